/**
 * The one command that reruns exactly one case of a run: the run's own flags as they were given
 * (a profile file's path, --credentials, --resettable, --timeout, --max-time, and any flag a later
 * version adds), narrowed to that case: its scenario, the run's --runs and --seed, and its replay
 * --path. Report outputs and the run's own selection (--scenario, --exclude, --dry-run) are left
 * out; with `--profile all`, the case's own profile id. Values are quoted for a POSIX shell, and
 * relative paths stay as given: run it from the folder the run was started in.
 */
import type { Verdict } from '../verdict/verdict.ts';

/** Flags the rerun sets itself, or that do not change a verdict (where reports are written). */
const REPLACED = new Set([
  'profile',
  'scenario',
  'exclude',
  'dry-run',
  'runs',
  'seed',
  'path',
  'report',
  'junit',
  'json',
  'markdown',
  'html',
  // A certification covers the whole suite and refuses --scenario: one case reruns without it.
  'certify',
  // One case is one case whichever shard ran it (a shard of a one-case run may hold none).
  'shard',
]);

/**
 * The flags of `argv`, in the order given. `values` is what parseArgs made of them: a flag whose
 * value is a boolean takes no argument.
 */
function givenFlags(argv: readonly string[], values: Record<string, unknown>): [string, string?][] {
  const flags: [string, string?][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) flags.push([arg.slice(2, eq), arg.slice(eq + 1)]);
    else if (typeof values[arg.slice(2)] === 'boolean') flags.push([arg.slice(2)]);
    else flags.push([arg.slice(2), argv[++i] ?? '']);
  }
  return flags;
}

/** A word for a POSIX shell: as it is when it is plainly safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function rerunCommand(
  v: Verdict,
  run: {
    argv: readonly string[];
    values: Record<string, unknown>;
    runs: number;
    seed: number;
    /** The target when no --target was given (the bundled mock). */
    target?: string;
  },
): string {
  const profile = run.values.profile === 'all' ? v.profile : String(run.values.profile);
  const parts = ['npx authconform run', `--profile ${shellWord(profile)}`];
  const flags = givenFlags(run.argv, run.values).filter(([name]) => !REPLACED.has(name));
  if (run.target !== undefined && !flags.some(([name]) => name === 'target'))
    parts.push(`--target ${shellWord(run.target)}`);
  for (const [name, value] of flags)
    parts.push(value === undefined ? `--${name}` : `--${name} ${shellWord(value)}`);
  parts.push(`--scenario ${v.scenario}`, `--runs ${run.runs}`, `--seed ${run.seed}`);
  if (v.counterexample?.path) parts.push(`--path ${v.counterexample.path}`);
  return parts.join(' ');
}
