/**
 * `authconform run --profile <id|all|FILE> --target <mock|URL> [--credentials FILE]
 *   [--scenario IDS] [--exclude IDS] [--dry-run] [--runs N] [--seed N] [--path P] [--rate N]
 *   [--timeout MS] [--resettable] [--state-url URL [--state-token-env NAME]]
 *   [--max-wait SECONDS] [--max-time DURATION] [--max-body BYTES]
 *   [--report DIR] [--junit FILE] [--json FILE] [--markdown FILE] [--html FILE]
 *   [--fail-on must|should|skip] [--certify]`
 * --resettable: the URL is the bundled mock (`authconform mock`), reset through /__mock/reset
 * before each case. --state-url: any URL target's provider-state hooks (docs/state-protocol.md),
 * with the bearer token in the variable --state-token-env names (src/cli/state-url-option.ts).
 * --max-wait: the longest real wait for time to pass (a rotation grace, a token lifetime) on a
 * target whose clock cannot be moved; a longer one leaves the verdict PARTIAL.
 * --timeout bounds each exchange (connect to the body's last byte), --max-body its body, and
 * --max-time the whole run: past it the cases left are ERROR and the reports are still written.
 * --scenario and --exclude take ids, id globs and family names (src/scenario/select-scenarios.ts);
 * --dry-run prints the run's plan (src/engine/plan-run.ts) and sends nothing.
 * --report DIR writes all four reports (src/report/write-reports.ts).
 * --waivers FILE turns a known FAIL/ERROR WAIVED, --baseline report.json compares with an earlier
 * run, --fail-on new fails only on new failures (src/cli/waivers-baseline-options.ts); a waiver
 * that no longer holds is exit 1.
 * --fail-on skip also fails on a MUST SKIPped or PARTIAL; --certify is its preset for a
 * certification run (src/cli/certify-option.ts).
 * Exit codes: 0 every MUST passed (and every SHOULD with --fail-on should), 1 a requirement
 * failed, a MUST was not checked in full under --fail-on skip, or nothing passed, 2 bad arguments
 * or specs, 3 target unreachable.
 */
import { randomInt } from 'node:crypto';
import { statSync } from 'node:fs';
import { DEFAULT_MAX_WAIT_SECONDS } from '../engine/clock-mover.ts';
import { builtInProfileIds, resolveProfile } from '../spec/builtin-specs.ts';
import { checkFixturesFile, mockFixtures } from './mock-fixtures.ts';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { fixturesToCredentials } from '../spec/fixtures-to-credentials.ts';
import { loadCredentials } from '../spec/load-credentials.ts';
import { loadScenarios } from '../scenario/load-scenarios.ts';
import { ScenarioSelectionError, selectScenarios } from '../scenario/select-scenarios.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { planRun } from '../engine/plan-run.ts';
import { otherProfileWarning } from '../targets/mock-health-probe.ts';
import { dryRunReport } from './dry-run-report.ts';
import { failOnAndCertify } from './certify-option.ts';
import { rerunCommand } from './rerun-command.ts';
import {
  isFailOnNew,
  waiversAndBaseline,
  waiversAndBaselineText,
} from './waivers-baseline-options.ts';
import { runConformance } from '../engine/run-conformance.ts';
import type { ProfileRun } from '../engine/engine-context.ts';
import { inProcessMockTarget } from '../targets/mock-target.ts';
import { mswMockTarget } from '../targets/msw-target.ts';
import { httpTarget, syncClock } from '../targets/http-target.ts';
import { runDeadline } from '../targets/run-deadline.ts';
import { withStateHooks } from '../targets/state-hooks.ts';
import { attachStateHooks, stateHooksFromFlags } from './state-url-option.ts';
import { parseByteSize, parseDuration } from './parse-limits.ts';
import { failureDetails, summaryTable } from '../report/console-report.ts';
import { escapeControls } from '../report/escape-controls.ts';
import { secretsOf } from '../secrets/mask-known-secrets.ts';
import { progressReporter } from '../report/progress.ts';
import { buildRunRecord } from '../report/run-record.ts';
import { coverageText } from '../report/coverage.ts';
import { guideLines, sourceRecord } from '../report/sources.ts';
import { prepareReportFiles, reportFiles, writeReports } from '../report/write-reports.ts';
import type { LoadedProfile } from '../spec/load-profile.ts';
import { parseCommandArgs, UsageError } from './usage-error.ts';
import type { Verdict } from '../verdict/verdict.ts';

export const DEFAULT_RUNS = 25;

export async function runRun(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    profile: { type: 'string' },
    target: { type: 'string', default: 'mock' },
    credentials: { type: 'string' },
    fixtures: { type: 'string' },
    scenario: { type: 'string' },
    exclude: { type: 'string', multiple: true },
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
  });
  if (!values.profile) throw new UsageError('--profile ID (or all, or a profile file) is required');
  const runs = positiveInt(values.runs, '--runs');
  // fast-check's replay path: colon-separated run indexes, as a failure prints it.
  if (values.path !== undefined && !/^\d+(?::\d+)*$/.test(values.path))
    throw new UsageError(
      `--path must be the replay path a failure printed (numbers joined by ':', e.g. 3:1:0), got "${values.path}"`,
    );
  const maxWaitSeconds = int(values['max-wait'], '--max-wait');
  if (maxWaitSeconds < 0)
    throw new UsageError(`--max-wait must be 0 or more, got ${maxWaitSeconds}`);
  const seed = values.seed !== undefined ? int(values.seed, '--seed') : randomInt(0, 2 ** 31 - 1);
  const isMsw = values.target === 'msw';
  // The bundled mock in-process: through Hapi's inject (mock) or through its msw handlers (msw).
  const isMock = values.target === 'mock' || isMsw;
  if (!isMock && (!/^https?:\/\//.test(values.target) || !URL.canParse(values.target)))
    throw new UsageError(
      `--target must be "mock", "msw" or an http(s) URL, got "${values.target}"`,
    );
  if (values.credentials !== undefined) warnIfShared(values.credentials, out);
  if (!isMock && !values.credentials)
    throw new UsageError(
      'a URL target needs --credentials FILE (the keys and secrets provisioned for the run)',
    );
  const ids = values.profile === 'all' ? builtInProfileIds() : [values.profile];
  if (!isMock && ids.length > 1)
    throw new UsageError(
      '--profile all runs against the bundled mock; a URL target implements one profile',
    );
  if (values.fixtures !== undefined) {
    if (!isMock)
      throw new UsageError(
        '--fixtures is the world of the bundled mock: use it with --target mock|msw',
      );
    if (ids.length > 1) throw new UsageError('--fixtures goes with a single --profile');
    checkFixturesFile(values.fixtures, values.profile);
  }

  const { failOn, certify } = failOnAndCertify({
    ...values,
    ...(isFailOnNew(values) ? { 'fail-on': 'must' } : {}),
    reports: reportFiles(values.report, values).length > 0,
    runs,
    defaultRuns: DEFAULT_RUNS,
    failOnGiven: argv.some((a) => a === '--fail-on' || a.startsWith('--fail-on=')),
  });
  const dryRun = values['dry-run'] === true;
  const reports = reportFiles(values.report, values);
  try {
    if (!dryRun) prepareReportFiles(reports);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  const excludes = values.exclude ?? [];
  const scenarios = chosenScenarios(values.scenario, excludes, out);
  // --waivers and --baseline are read now: a bad file is found before a request is sent.
  const judged = waiversAndBaseline(values, {
    profiles: ids.map((id) => resolveProfile(id).profile.id),
    scenarios: scenarios.map((s) => s.id),
    allScenarios: loadScenarios().map((s) => s.id),
  });

  const maxTime = values['max-time'];
  const deadline = maxTime
    ? runDeadline(parseDuration(maxTime, '--max-time'), `--max-time ${maxTime}`)
    : undefined;
  const maxBodyBytes = values['max-body']
    ? parseByteSize(values['max-body'], '--max-body')
    : undefined;
  const state = stateHooksFromFlags(
    {
      isMock,
      ...(values['state-url'] !== undefined ? { stateUrl: values['state-url'] } : {}),
      ...(values['state-token-env'] !== undefined
        ? { stateTokenEnv: values['state-token-env'] }
        : {}),
    },
    process.env,
    { timeoutMs: positiveInt(values.timeout, '--timeout'), ...(deadline ? { deadline } : {}) },
  );
  const profileRuns: ProfileRun[] = [];
  const loaded: LoadedProfile[] = [];
  for (const id of ids) {
    const spec = resolveProfile(id);
    loaded.push(spec);
    const { profile } = spec;
    // The mock's world: --fixtures, the built-in fixtures, or one generated from the profile.
    const world = isMock ? mockFixtures(profile, id, values.fixtures).fixtures : undefined;
    let creds = values.credentials
      ? loadCredentials(values.credentials, profile)
      : fixturesToCredentials(world ?? mockFixtures(profile, id, undefined).fixtures, profile);
    let target = isMsw
      ? await mswMockTarget(profile, world)
      : isMock
        ? await inProcessMockTarget(profile, await createAuthMock({ profile, fixtures: world! }))
        : httpTarget(values.target, {
            resettable: values.resettable === true,
            timeoutMs: positiveInt(values.timeout, '--timeout'),
            ...(maxBodyBytes ? { maxBodyBytes } : {}),
            ...(deadline ? { deadline } : {}),
            ...(values.rate ? { rate: positiveInt(values.rate, '--rate') } : {}),
          });
    // --state-url: reset and clock through the target's state hooks (docs/state-protocol.md).
    if (state && !dryRun)
      ({ creds, target } = await attachStateHooks({ profile, creds, target }, state, scenarios));
    else if (state) target = withStateHooks(target, state);
    profileRuns.push({ profile, creds, target });
    if (isMock || dryRun) continue;
    // A mock of another profile fails everywhere for a reason no verdict names: say so first.
    const other = await otherProfileWarning(values.target, profile.id);
    // It quotes the profile id the target named: written out, never sent to the terminal raw.
    if (other) out.write(`${escapeControls(other)}\n`);
    // A URL target's clock is read from its Date header before any timestamp-window scenario.
    await syncClock(target);
  }

  // What applies and why not: the dry run prints it, the run record's coverage reads it.
  const planned = planRun(profileRuns, scenarios, { runs, maxWaitSeconds });
  if (dryRun) {
    out.write(
      dryRunReport(planned, {
        target: isMock ? mockDescription(isMsw) : values.target,
        seed,
        seedGiven: values.seed !== undefined,
        runs,
      }),
    );
    for (const r of profileRuns) await r.target.close();
    return 0;
  }

  out.write(
    `authconform run: ${ids.join(', ')} against ${isMock ? mockDescription(isMsw) : values.target}, ${scenarios.length} scenario(s), ${runs} runs per property, seed ${seed}\n`,
  );
  for (const line of guideLines(
    loaded.map((l) => ({ id: l.profile.id, source: sourceRecord(l.profile.source, l.file) })),
  ))
    out.write(`requirements cited from ${escapeControls(line)}\n`);
  const started = new Date();
  const progress = progressReporter(out);
  const verdicts = await runConformance(profileRuns, scenarios, {
    runs,
    seed,
    ...(values.path ? { path: values.path } : {}),
    maxWaitSeconds,
    onVerdict: progress.onVerdict,
    ...(deadline ? { deadline } : {}),
  });
  progress.finish();
  for (const r of profileRuns) await r.target.close();

  // Everything printed or written from here on comes from the record: secrets masked, and the
  // same verdicts, totals and exit code in every format.
  const record = judged.judge(
    buildRunRecord({
      profiles: loaded,
      target: isMock
        ? { description: mockDescription(isMsw), url: profileRuns[0]!.target.baseUrl }
        : { description: values.target, url: values.target },
      seed,
      runs,
      failOn,
      ...(certify ? { certify } : {}),
      planned,
      ...(values.scenario || excludes.length > 0
        ? {
            scenarioFilter: [values.scenario, ...excludes.map((x) => `--exclude ${x}`)]
              .filter(Boolean)
              .join(' '),
          }
        : {}),
      verdicts: judged.waive(verdicts),
      rerun: (v) => rerunCommand(v, { argv, values, runs, seed, target: values.target }),
      secrets: profileRuns.flatMap((r) => secretsOf(r.creds)),
      startedAt: started,
      durationMs: Date.now() - started.getTime(),
    }),
  );
  for (const v of record.verdicts.filter((x) => x.status === 'FAIL'))
    out.write('\n' + failureDetails(v, v.rerun));
  out.write('\n' + coverageText(record.coverage) + '\n' + summaryTable(record.verdicts));
  out.write(waiversAndBaselineText(record));
  out.write(`seed ${seed}, ${(record.durationMs / 1000).toFixed(1)} s\n`);
  for (const path of writeReports(record, reports)) out.write(`report written: ${path}\n`);
  out.write(escapeControls(`${record.overall.banner}: ${record.overall.reason}`) + '\n');
  return record.overall.exitCode;
}

/** --scenario and --exclude applied to every scenario; a term that matches nothing is exit 2. */
function chosenScenarios(
  include: string | undefined,
  exclude: string[],
  out: NodeJS.WritableStream,
): Scenario[] {
  try {
    const { scenarios, notes } = selectScenarios(
      loadScenarios(),
      include ? [include] : [],
      exclude,
    );
    for (const note of notes) out.write(`note: ${note}\n`);
    return scenarios;
  } catch (e) {
    if (e instanceof ScenarioSelectionError) throw new UsageError(e.message);
    throw e;
  }
}

/** A credentials file others can read holds secrets they should not: say so (not an error). */
function warnIfShared(file: string, out: NodeJS.WritableStream): void {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return; // a missing file is reported where it is read, with its name
  }
  if (mode & 0o077)
    out.write(
      `warning: ${file} holds secrets and is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 ${file}\n`,
    );
}

function int(v: string, flag: string): number {
  if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag} must be an integer, got "${v}"`);
  return Number(v);
}

function positiveInt(v: string, flag: string): number {
  const n = int(v, flag);
  if (n < 1) throw new UsageError(`${flag} must be at least 1, got ${n}`);
  return n;
}

function mockDescription(msw: boolean): string {
  return msw ? 'the bundled mock (msw handlers)' : 'the bundled mock (in-process)';
}
