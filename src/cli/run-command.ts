/**
 * `authconform run --profile <id|all|FILE|id,id...> --target <mock|URL> [--credentials FILE]
 *   [--scenario IDS] [--exclude IDS] [--scenarios DIR] [--dry-run] [--runs N] [--seed N]
 *   [--path P] [--rate N] [--timeout MS] [--resettable] [--state-url URL [--state-token-env NAME]]
 *   [--max-wait SECONDS] [--max-time DURATION] [--max-body BYTES]
 *   [--report DIR] [--junit FILE] [--json FILE] [--markdown FILE] [--html FILE]
 *   [--fail-on must|should|skip] [--certify] [--shard I/N]`
 * --shard I/N runs this machine's share of the cases (src/engine/shard-cases.ts); `authconform
 * merge` joins the shards' reports (src/cli/merge-command.ts).
 * --resettable: the URL is the bundled mock (`authconform mock`), reset through /__mock/reset
 * before each case. --state-url: any URL target's provider-state hooks (docs/state-protocol.md),
 * with the bearer token in the variable --state-token-env names (src/api/state-url.ts).
 * --max-wait: the longest real wait for time to pass (a rotation grace, a token lifetime) on a
 * target whose clock cannot be moved; a longer one leaves the verdict PARTIAL.
 * --timeout bounds each exchange (connect to the body's last byte), --max-body its body, and
 * --max-time the whole run: past it the cases left are ERROR and the reports are still written.
 * --scenario and --exclude take ids, id globs and family names (src/scenario/select-scenarios.ts);
 * --dry-run prints the run's plan (src/engine/plan-run.ts) and sends nothing.
 * --report DIR writes all four reports (src/report/write-reports.ts).
 * --waivers FILE turns a known FAIL/ERROR WAIVED, --baseline report.json compares with an earlier
 * run, --fail-on new fails only on new failures (src/api/waivers-baseline.ts); a waiver
 * that no longer holds is exit 1.
 * --fail-on skip also fails on a MUST SKIPped or PARTIAL; --certify is its preset for a
 * certification run (src/api/certify-option.ts).
 * The run itself is `verify()` (src/api/verify.ts): this file turns argv into its options and
 * prints what comes back.
 * Exit codes: 0 every MUST passed (and every SHOULD with --fail-on should), 1 a requirement
 * failed, a MUST was not checked in full under --fail-on skip, or nothing passed, 2 bad arguments
 * or specs, 3 target unreachable.
 */
import { DEFAULT_MAX_WAIT_SECONDS } from '../engine/clock-mover.ts';
import { dryRunReport } from './dry-run-report.ts';
import { profileList } from './profile-list.ts';
import { failOnAndCertify } from '../api/certify-option.ts';
import { rerunCommand } from '../api/rerun-command.ts';
import { isFailOnNew } from '../api/waivers-baseline.ts';
import { recordSummary } from './record-summary.ts';
import { stateHooksFromFlags } from '../api/state-url.ts';
import {
  DEFAULT_RUNS,
  planVerify,
  reportsWritten,
  verify,
  type VerifyOptions,
} from '../api/verify.ts';
import { parseByteSize, parseDuration } from './parse-limits.ts';
import { escapeControls } from '../report/escape-controls.ts';
import { progressReporter } from '../report/progress.ts';
import { guideLines, sourceRecord } from '../report/sources.ts';
import { reportFiles } from '../report/write-reports.ts';
import { parseCommandArgs, UsageError } from './usage-error.ts';

export { DEFAULT_RUNS };

export async function runRun(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    profile: { type: 'string' },
    target: { type: 'string', default: 'mock' },
    credentials: { type: 'string' },
    fixtures: { type: 'string' },
    scenario: { type: 'string' },
    exclude: { type: 'string', multiple: true },
    scenarios: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean', default: false },
    runs: { type: 'string', default: String(DEFAULT_RUNS) },
    seed: { type: 'string' },
    path: { type: 'string' },
    rate: { type: 'string' },
    timeout: { type: 'string', default: '10000' },
    'max-wait': { type: 'string', default: String(DEFAULT_MAX_WAIT_SECONDS) },
    'max-time': { type: 'string' },
    'max-body': { type: 'string' },
    resettable: { type: 'boolean', default: false },
    'state-url': { type: 'string' },
    'state-token-env': { type: 'string' },
    report: { type: 'string' },
    junit: { type: 'string' },
    json: { type: 'string' },
    markdown: { type: 'string' },
    html: { type: 'string' },
    'fail-on': { type: 'string', default: 'must' },
    certify: { type: 'boolean', default: false },
    waivers: { type: 'string' },
    baseline: { type: 'string' },
    shard: { type: 'string' },
  });
  if (!values.profile) throw new UsageError('--profile ID (or all, or a profile file) is required');
  const profiles = profileList(values.profile);
  const runs = positiveInt(values.runs, '--runs');
  const maxWaitSeconds = int(values['max-wait'], '--max-wait');
  const isMock = values.target === 'mock' || values.target === 'msw';
  const reports = { dir: values.report, ...values };
  // A certification is handed over: the CLI insists on a report to hand over (verify() does not,
  // its caller renders the record).
  failOnAndCertify({
    ...values,
    ...(isFailOnNew(values) ? { 'fail-on': 'must' } : {}),
    reports: reportFiles(values.report, values).length > 0,
    runs,
    defaultRuns: DEFAULT_RUNS,
    failOnGiven: argv.some((a) => a === '--fail-on' || a.startsWith('--fail-on=')),
  });
  const maxTime = values['max-time'];
  const timeoutMs = positiveInt(values.timeout, '--timeout');
  const state = stateHooksFromFlags(
    {
      isMock,
      ...(values['state-url'] !== undefined ? { stateUrl: values['state-url'] } : {}),
      ...(values['state-token-env'] !== undefined
        ? { stateTokenEnv: values['state-token-env'] }
        : {}),
    },
    process.env,
  );
  const seed = values.seed !== undefined ? int(values.seed, '--seed') : undefined;
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const options: VerifyOptions = {
    profile: profiles,
    target: values.target,
    ...(values.credentials !== undefined ? { credentials: values.credentials } : {}),
    ...(values.fixtures !== undefined ? { fixtures: values.fixtures } : {}),
    ...(values.scenario !== undefined ? { scenarios: [values.scenario] } : {}),
    ...(values.exclude ? { exclude: values.exclude } : {}),
    ...(values.scenarios ? { scenarioDirs: values.scenarios } : {}),
    runs,
    ...(seed !== undefined ? { seed } : {}),
    ...(values.path !== undefined ? { path: values.path } : {}),
    ...(values.rate !== undefined ? { rate: positiveInt(values.rate, '--rate') } : {}),
    timeoutMs,
    ...(values['max-body']
      ? { maxBodyBytes: parseByteSize(values['max-body'], '--max-body') }
      : {}),
    ...(maxTime ? { maxTimeMs: parseDuration(maxTime, '--max-time') * 1000 } : {}),
    maxWaitSeconds,
    resettable: values.resettable === true,
    ...(state ? { state } : {}),
    ...(argv.some((a) => a === '--fail-on' || a.startsWith('--fail-on='))
      ? { failOn: values['fail-on'] as VerifyOptions['failOn'] }
      : {}),
    certify: values.certify === true,
    ...(values.waivers !== undefined ? { waivers: values.waivers } : {}),
    ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
    ...(shard ? { shard } : {}),
    onNote: (line) => out.write(`${escapeControls(line)}\n`),
  };

  if (values['dry-run'] === true) {
    const plan = await planVerify(options);
    out.write(
      dryRunReport(plan.cases, {
        target: plan.target,
        seed: plan.seed,
        seedGiven: values.seed !== undefined,
        runs,
        ...(plan.shard ? { shard: plan.shard } : {}),
      }),
    );
    return 0;
  }

  const progress = progressReporter(out);
  let seedOfRun = seed ?? 0;
  // Profile id -> the name the list gave it (an id or a file): a case of a run of several reruns
  // its own profile alone.
  let nameOf = new Map<string, string>();
  const record = await verify({
    ...options,
    reports,
    onStart: (run) => {
      out.write(
        `authconform run: ${run.profiles.map((p) => p.profile.id).join(', ')} against ${run.target.description}, ${run.scenarios.length} scenario(s), ${run.runs} runs per property, seed ${run.seed}${shard ? `, shard ${shard.index}/${shard.count}` : ''}\n`,
      );
      for (const line of guideLines(
        run.profiles.map((l) => ({
          id: l.profile.id,
          source: sourceRecord(l.profile.source, l.file),
        })),
      ))
        out.write(`requirements cited from ${escapeControls(line)}\n`);
      seedOfRun = run.seed;
      nameOf = new Map(run.profiles.map((l, i) => [l.profile.id, profiles[i] ?? l.profile.id]));
    },
    onVerdict: progress.onVerdict,
    onWait: progress.onWait,
    rerun: (v) =>
      rerunCommand(v, {
        argv,
        values:
          profiles.length > 1 ? { ...values, profile: nameOf.get(v.profile) ?? v.profile } : values,
        runs,
        seed: seedOfRun,
        target: values.target,
      }),
  });
  progress.finish();

  // Everything printed or written from here on comes from the record: secrets masked, and the
  // same verdicts, totals and exit code in every format.
  out.write(recordSummary(record, reportsWritten(record)));
  return record.overall.exitCode;
}
function int(v: string, flag: string): number {
  if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag} must be an integer, got "${v}"`);
  return Number(v);
}

/** `--shard I/N`: the numbers; their range is checked with the other options (prepare-run.ts). */
function parseShard(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m)
    throw new UsageError(
      `--shard must be I/N, this machine's shard of N (for example 2/3), got "${v}"`,
    );
  return { index: Number(m[1]), count: Number(m[2]) };
}

function positiveInt(v: string, flag: string): number {
  const n = int(v, flag);
  if (n < 1) throw new UsageError(`${flag} must be at least 1, got ${n}`);
  return n;
}
