/** `authconform validate [PATH...]`: every problem as file:line:col, then a one-line tally. */
import { validateSpecs, holdsNoSpecFile, DEFAULT_VALIDATE_PATHS } from '../spec/validate-specs.ts';
import { formatProblem } from '../spec/spec-error.ts';
import { parseCommandArgs, UsageError } from './usage-error.ts';

export function runValidate(argv: string[], out: NodeJS.WritableStream): number {
  const { positionals } = parseCommandArgs(argv, {}, true);
  const paths = positionals.length > 0 ? positionals : DEFAULT_VALIDATE_PATHS;
  const empty = paths.find(holdsNoSpecFile);
  if (empty !== undefined)
    throw new UsageError(
      `no profile or other spec file (*.yaml, *.yml) in ${empty}; name a profile file or a folder that holds one`,
    );
  const verdicts = validateSpecs(paths);
  let bad = 0;
  for (const v of verdicts) {
    if (v.problems.length === 0) {
      out.write(`ok    ${v.kind.padEnd(11)} ${v.file}\n`);
      for (const w of v.warnings ?? []) out.write(`warning: ${formatProblem(w)}\n`);
    } else {
      bad++;
      for (const p of v.problems) out.write(`${formatProblem(p)}\n`);
    }
  }
  const problems = verdicts.reduce((n, v) => n + v.problems.length, 0);
  out.write(`${verdicts.length} file(s) checked, ${bad} with problems (${problems} problem(s))\n`);
  return bad > 0 || verdicts.length === 0 ? 1 : 0;
}
