/**
 * `verify()`: one conformance run, the one path every caller takes. The CLI turns argv into these
 * options and prints what comes back; `authconform/vitest`, the suites, the benchmarks and the
 * project's tests call it directly. It loads the profiles, credentials and scenarios, builds the
 * target, reads its clock, runs every applicable scenario and returns the run's record, from
 * which every report is rendered (secrets masked, the same totals and exit code in each).
 */
import { randomInt } from 'node:crypto';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { DEFAULT_MAX_WAIT_SECONDS } from '../engine/clock-mover.ts';
import { planRun } from '../engine/plan-run.ts';
import { runConformance } from '../engine/run-conformance.ts';
import type { ProfileRun } from '../engine/engine-context.ts';
import type { Verdict } from '../verdict/verdict.ts';
import type { Credentials } from '../model/credentials.ts';
import { secretsOf } from '../secrets/mask-known-secrets.ts';
import {
  buildRunRecord,
  verdictMasker,
  type FailOn,
  type RecordedVerdict,
  type RunRecord,
} from '../report/run-record.ts';
import { reportFiles, prepareReportFiles, writeReports } from '../report/write-reports.ts';
import type { ReportFormat } from '../report/write-reports.ts';
import { loadScenarios } from '../scenario/load-scenarios.ts';
import { checkProfileCites } from '../scenario/profile-cites.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { ScenarioSelectionError, selectScenarios } from '../scenario/select-scenarios.ts';
import { builtInProfileIds, resolveProfile } from '../spec/builtin-specs.ts';
import { fixturesToCredentials } from '../spec/fixtures-to-credentials.ts';
import { loadCredentials } from '../spec/load-credentials.ts';
import type { LoadedProfile } from '../spec/load-profile.ts';
import { appTarget, isInProcessApp, type InProcessApp } from '../targets/app-target.ts';
import { httpTarget, syncClock } from '../targets/http-target.ts';
import { otherProfileWarning } from '../targets/mock-health-probe.ts';
import { inProcessMockTarget } from '../targets/mock-target.ts';
import { mswMockTarget } from '../targets/msw-target.ts';
import type { RunDeadline } from '../targets/run-deadline.ts';
import { stateHooks, withStateHooks } from '../targets/state-hooks.ts';
import type { Target } from '../targets/target.ts';
import { failOnAndCertify } from './certify-option.ts';
import { mockFixtures } from './mock-fixtures.ts';
import { rerunCommand } from './rerun-command.ts';
import { attachStateHooks } from './state-url.ts';
import { VerifyOptionError } from './verify-error.ts';
import { isFailOnNew, waiversAndBaseline } from './waivers-baseline.ts';

/** Runs per property when `runs` is not given: what a certification draws at least. */
export const DEFAULT_RUNS = 25;

/** Where a run's reports go: every format under `dir`, and/or one file per format. */
export type ReportOptions = { dir?: string } & Partial<Record<ReportFormat, string>>;

/**
 * What `verify()` runs against: the bundled mock, a URL, a Node app of your own asked in-process
 * (docs/in-process-targets.md), or a target of your own.
 */
export type VerifyTarget = 'mock' | 'msw' | (string & {}) | Target | InProcessApp;

/**
 * The options of `verify()` and `planVerify()` (and, less the callbacks, of `conformanceSuite()`).
 * Only `profile` is required; each option is a flag of `authconform run` (docs/library.md has the
 * table), and a `VerifyOptionError` names it as the flag.
 */
export interface VerifyOptions {
  /**
   * A built-in profile id (`luxcore`), `all` (every built-in profile, bundled mock only), a path
   * to a profile YAML file, a profile already loaded with `loadProfile()`, or a list of these.
   */
  profile: string | LoadedProfile | readonly (string | LoadedProfile)[];
  /**
   * `mock` (default: the bundled mock in-process through Hapi's inject), `msw` (the bundled mock
   * through its msw handlers), an http(s) URL, an app asked in-process with no socket (a Node
   * listener such as an Express app, a Fetch handler or a Hono app, a Fastify instance, or what
   * `nodeListenerTarget`/`fetchHandlerTarget`/`fastifyTarget` made; see `appTarget`), or a
   * `Target` (for example `httpTarget(url)`).
   */
  target?: VerifyTarget;
  /**
   * The keys and secrets provisioned for the run: a credentials YAML file, or one already loaded.
   * Required for a URL or a target of your own; the bundled mock's come from its fixtures.
   */
  credentials?: string | Credentials;
  /** The bundled mock's world (a fixtures YAML file); default: the profile's own fixtures. */
  fixtures?: string;
  /** Scenario ids, id globs or family names to run (default: every scenario). */
  scenarios?: readonly string[];
  /**
   * Your team's own scenario files, run beside the built-in ones: folders of *.yaml files, or
   * files (docs/writing-a-scenario.md). Validated like the built-in ones, with file:line:col.
   */
  scenarioDirs?: readonly string[];
  /** Scenario ids, id globs or family names to leave out. */
  exclude?: readonly string[];
  /** Cases drawn per property (default 25). */
  runs?: number;
  /** The run's seed (default: drawn, and recorded in the record). */
  seed?: number;
  /** Replays one counterexample: the path a failure printed (`3:1:0`), with its seed. */
  path?: string;
  /** Most requests per second to a URL target (default: unbounded). */
  rate?: number;
  /** Longest exchange with a URL target, connect to the body's last byte (default 10,000 ms). */
  timeoutMs?: number;
  /** Largest response body read from a URL target (default 1 MiB). */
  maxBodyBytes?: number;
  /** The whole run's limit in ms: past it the cases left are ERROR, and the record is still built. */
  maxTimeMs?: number;
  /** Longest real wait for time to pass where the target's clock cannot be moved (default 30 s). */
  maxWaitSeconds?: number;
  /** Ends the run like `maxTimeMs` does: the case in flight and every later one are ERROR. */
  signal?: AbortSignal;
  /** The URL is the bundled mock (`authconform mock`): reset through /__mock/reset between cases. */
  resettable?: boolean;
  /** A URL target's provider-state hooks (docs/state-protocol.md) and their bearer token. */
  state?: { url: string; token: string; tokenSource?: string };
  /** What fails the run: a MUST (default), also a SHOULD, also a MUST not checked in full, or only new failures (with `baseline`). */
  failOn?: FailOn | 'new';
  /** A certification: the whole suite at the default runs or more, failing on any MUST not checked. */
  certify?: boolean;
  /** A waivers YAML file: known failures turned WAIVED until they expire. */
  waivers?: string;
  /** An earlier run's report.json to compare with. */
  baseline?: string;
  /** Reports written when the run ends; their folders are made (and checked) before it starts. */
  reports?: ReportOptions;
  /** Called once the run is set up, before the first request. */
  onStart?: (run: RunStart) => void;
  /** Called with the plan before the first request: what will run, SKIP or not apply, and why. */
  onPlan?: (cases: RunPlan) => void;
  /** Called with each verdict as it comes (secrets masked, its rerun command added): `done` of `total` cases. */
  onVerdict?: (v: RecordedVerdict, done: number, total: number) => void;
  /** Notes and warnings worth showing a person (a selection term that matched by family, a mock of another profile). */
  onNote?: (line: string) => void;
  /** The command that reruns one case; default: `npx authconform run ...` from these options. */
  rerun?: (v: Verdict) => string;
}

/** What a run is about to do, given to `onStart`. */
export interface RunStart {
  profiles: readonly LoadedProfile[];
  target: { description: string; url: string };
  scenarios: readonly Scenario[];
  runs: number;
  seed: number;
}

/** The plan of a run (`run --dry-run`): per profile and scenario, runs, SKIP or not applicable. */
export type RunPlan = ReturnType<typeof planRun>;

/**
 * Runs the conformance scenarios and returns the run's record. Reporters take the record:
 * `junitReport(record)`, `jsonReport(record)`, `markdownReport(record)`, `htmlReport(record)`.
 *
 * Throws `VerifyOptionError` for options that cannot be honoured and `SpecError` (with file, line
 * and column) for a profile, credentials or scenario file that does not validate; a target that
 * cannot be reached is not thrown but recorded (verdicts ERROR, `record.overall.exitCode` 3).
 *
 * @example
 * ```ts
 * import { verify, markdownReport } from 'authconform';
 *
 * const record = await verify({ profile: 'luxcore', target: 'mock', seed: 1 });
 * console.log(record.overall.banner, record.totals);
 * console.log(markdownReport(record));
 * ```
 */
export async function verify(options: VerifyOptions): Promise<RunRecord> {
  const run = await prepareRun(options, { dryRun: false });
  try {
    const planned = planRun(run.profileRuns, run.scenarios, run.planOptions);
    options.onPlan?.(planned);
    const rerun = options.rerun ?? ((v: Verdict) => defaultRerun(v, options, run));
    const recorded = verdictMasker(
      run.profileRuns.flatMap((r) => secretsOf(r.creds)),
      run.targetRecord.url,
    );
    const onVerdict = options.onVerdict;
    options.onStart?.({
      profiles: run.loaded,
      target: run.targetRecord,
      scenarios: run.scenarios,
      runs: run.runs,
      seed: run.seed,
    });
    const started = new Date();
    const verdicts = await runConformance(run.profileRuns, run.scenarios, {
      runs: run.runs,
      seed: run.seed,
      ...(options.path !== undefined ? { path: options.path } : {}),
      maxWaitSeconds: run.planOptions.maxWaitSeconds,
      ...(onVerdict
        ? {
            onVerdict: (v: Verdict, done: number, total: number) =>
              onVerdict(recorded(v, rerun(v)), done, total),
          }
        : {}),
      ...(run.deadline ? { deadline: run.deadline } : {}),
    });
    const record = run.judged.judge(
      buildRunRecord({
        profiles: run.loaded,
        target: run.targetRecord,
        seed: run.seed,
        runs: run.runs,
        failOn: run.failOn,
        ...(run.certify ? { certify: run.certify } : {}),
        planned,
        ...(run.scenarioFilter !== undefined ? { scenarioFilter: run.scenarioFilter } : {}),
        verdicts: run.judged.waive(verdicts),
        rerun,
        secrets: run.profileRuns.flatMap((r) => secretsOf(r.creds)),
        startedAt: started,
        durationMs: Date.now() - started.getTime(),
        ...(options.scenarioDirs ? { scenarioDirs: options.scenarioDirs } : {}),
      }),
    );
    written.set(record, writeReports(record, run.reports));
    return record;
  } finally {
    await run.close();
  }
}

/**
 * What a run would do, sent nothing: per profile and scenario, how many cases would run, or why
 * it would SKIP or does not apply. Takes the same options as `verify()`, and throws as it does
 * (`VerifyOptionError`, `SpecError`); the target is built but never asked.
 *
 * @example
 * ```ts
 * import { planVerify } from 'authconform';
 *
 * const plan = await planVerify({ profile: 'gateway', target: 'mock' });
 * for (const p of plan.cases) console.log(p.profile, p.scenario.id, p.plan.kind);
 * ```
 */
export async function planVerify(
  options: VerifyOptions,
): Promise<{ cases: RunPlan; seed: number; runs: number; target: string }> {
  const run = await prepareRun(options, { dryRun: true });
  try {
    return {
      cases: planRun(run.profileRuns, run.scenarios, run.planOptions),
      seed: run.seed,
      runs: run.runs,
      target: run.targetRecord.description,
    };
  } finally {
    await run.close();
  }
}

/**
 * The paths `verify()` wrote its reports to (the `reports` option), for a caller that prints
 * them; empty for a record made without `reports`, or by another call. Throws nothing.
 *
 * @example
 * ```ts
 * import { reportsWritten, verify } from 'authconform';
 *
 * const record = await verify({ profile: 'luxcore', reports: { dir: 'reports' } });
 * for (const file of reportsWritten(record)) console.log(`wrote ${file}`);
 * ```
 */
export function reportsWritten(record: RunRecord): readonly string[] {
  return written.get(record) ?? [];
}
const written = new WeakMap<RunRecord, readonly string[]>();

interface PreparedRun {
  loaded: LoadedProfile[];
  profileRuns: ProfileRun[];
  scenarios: Scenario[];
  scenarioFilter: string | undefined;
  runs: number;
  seed: number;
  failOn: FailOn;
  certify: boolean;
  deadline: RunDeadline | undefined;
  judged: ReturnType<typeof waiversAndBaseline>;
  targetRecord: { description: string; url: string };
  planOptions: { runs: number; maxWaitSeconds: number };
  reports: ReturnType<typeof reportFiles>;
  /** Profile id -> how the caller named it (an id or a file), for rerun commands. */
  profileArgs: Map<string, string>;
  close(): Promise<void>;
}

async function prepareRun(o: VerifyOptions, mode: { dryRun: boolean }): Promise<PreparedRun> {
  const runs = o.runs ?? DEFAULT_RUNS;
  if (!Number.isInteger(runs) || runs < 1)
    throw new VerifyOptionError(`--runs must be at least 1, got ${runs}`);
  // fast-check's replay path: colon-separated run indexes, as a failure prints it.
  if (o.path !== undefined && !/^\d+(?::\d+)*$/.test(o.path))
    throw new VerifyOptionError(
      `--path must be the replay path a failure printed (numbers joined by ':', e.g. 3:1:0), got "${o.path}"`,
    );
  const maxWaitSeconds = o.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  if (!(maxWaitSeconds >= 0))
    throw new VerifyOptionError(`--max-wait must be 0 or more, got ${maxWaitSeconds}`);
  for (const [name, v] of [
    ['--timeout', o.timeoutMs],
    ['--rate', o.rate],
    ['--max-body', o.maxBodyBytes],
    ['--max-time', o.maxTimeMs],
  ] as const)
    if (v !== undefined && !(v > 0))
      throw new VerifyOptionError(`${name} must be more than 0, got ${v}`);
  const seed = o.seed ?? randomInt(0, 2 ** 31 - 1);
  if (!Number.isSafeInteger(seed))
    throw new VerifyOptionError(`--seed must be an integer, got ${seed}`);

  const target = o.target ?? 'mock';
  const isMsw = target === 'msw';
  // The bundled mock in-process: through Hapi's inject (mock) or through its msw handlers (msw).
  const isMock = target === 'mock' || isMsw;
  const url = typeof target === 'string' && !isMock ? target : undefined;
  if (url !== undefined && (!/^https?:\/\//.test(url) || !URL.canParse(url)))
    throw new VerifyOptionError(`--target must be "mock", "msw" or an http(s) URL, got "${url}"`);
  if (!isMock && o.credentials === undefined)
    throw new VerifyOptionError(
      `${url !== undefined ? 'a URL target' : 'a target of your own (an in-process app)'} needs --credentials FILE (the keys and secrets provisioned for the run)`,
    );
  const profileArgs = (Array.isArray(o.profile) ? o.profile : [o.profile]) as (
    string | LoadedProfile
  )[];
  const expanded = profileArgs.flatMap((p) => (p === 'all' ? builtInProfileIds() : [p]));
  if (expanded.length === 0) throw new VerifyOptionError('--profile names no profile');
  if (!isMock && expanded.length > 1)
    throw new VerifyOptionError(
      '--profile all runs against the bundled mock; a URL target implements one profile',
    );
  if (o.fixtures !== undefined) {
    if (!isMock)
      throw new VerifyOptionError(
        '--fixtures is the world of the bundled mock: use it with --target mock|msw',
      );
    if (expanded.length > 1) throw new VerifyOptionError('--fixtures goes with a single --profile');
  }
  if (o.state !== undefined && isMock)
    throw new VerifyOptionError(
      '--state-url is for a URL target; the bundled mock (--target mock|msw) is reset and clock-moved in-process',
    );

  const { failOn, certify } = failOnAndCertify({
    'fail-on': isFailOnNew({ ...o, 'fail-on': o.failOn }) ? 'must' : (o.failOn ?? 'must'),
    certify: o.certify,
    ...(o.scenarios?.length ? { scenario: o.scenarios.join(',') } : {}),
    exclude: [...(o.exclude ?? [])],
    path: o.path,
    // An API caller renders the record itself; only the CLI insists on a report to hand over.
    reports: true,
    runs,
    defaultRuns: DEFAULT_RUNS,
    failOnGiven: o.failOn !== undefined,
  });
  const reports = reportFiles(o.reports?.dir, o.reports ?? {});
  if (!mode.dryRun)
    try {
      prepareReportFiles(reports);
    } catch (e) {
      throw new VerifyOptionError((e as Error).message);
    }

  const allScenarios = loadScenarios(o.scenarioDirs);
  const scenarios = chosenScenarios(allScenarios, o, o.onNote);
  const loaded = expanded.map((p) => (typeof p === 'string' ? resolveProfile(p) : p));
  // A profile's own `cites` must name scenarios of this run (built-in or the user's).
  checkProfileCites(loaded, allScenarios);
  // Waivers and baseline are read now: a bad file is found before a request is sent.
  const judged = waiversAndBaseline(
    { waivers: o.waivers, baseline: o.baseline, 'fail-on': o.failOn, certify: o.certify },
    {
      profiles: loaded.map((l) => l.profile.id),
      scenarios: scenarios.map((s) => s.id),
      allScenarios: allScenarios.map((s) => s.id),
    },
  );
  const deadline = runDeadlineOf(o);
  const hooks = o.state
    ? stateHooks(o.state.url, o.state.token, {
        tokenSource: o.state.tokenSource ?? 'the state token',
        timeoutMs: o.timeoutMs ?? 10_000,
        ...(deadline ? { deadline } : {}),
      })
    : undefined;

  const profileRuns: ProfileRun[] = [];
  const close = async () => {
    for (const r of profileRuns) await r.target.close();
  };
  try {
    for (let i = 0; i < loaded.length; i++) {
      const { profile } = loaded[i]!;
      const arg = typeof expanded[i] === 'string' ? (expanded[i] as string) : profile.id;
      // The mock's world: `fixtures`, the built-in fixtures, or one generated from the profile.
      const world = isMock ? mockFixtures(profile, arg, o.fixtures).fixtures : undefined;
      let creds =
        typeof o.credentials === 'string'
          ? loadCredentials(o.credentials, profile)
          : (o.credentials ?? fixturesToCredentials(world!, profile));
      let t: Target;
      if (isMsw) t = await mswMockTarget(profile, world);
      else if (isMock)
        t = await inProcessMockTarget(profile, await createAuthMock({ profile, fixtures: world! }));
      else if (url !== undefined)
        t = httpTarget(url, {
          resettable: o.resettable === true,
          ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
          ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}),
          ...(deadline ? { deadline } : {}),
          ...(o.rate !== undefined ? { rate: o.rate } : {}),
        });
      // An in-process app (Node listener, Fetch handler, Fastify instance), with the run's bounds.
      else if (isInProcessApp(target))
        t = appTarget(target, {
          ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
          ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}),
          ...(deadline ? { deadline } : {}),
        });
      // A target of the caller's own (a recording wrapper).
      else t = target as Target;
      // The state hooks: reset and clock through the target's provider-state URL.
      if (hooks && !mode.dryRun)
        ({ creds, target: t } = await attachStateHooks(
          { profile, creds, target: t },
          hooks,
          scenarios,
        ));
      else if (hooks) t = withStateHooks(t, hooks);
      profileRuns.push({ profile, creds, target: t });
      if (url === undefined || mode.dryRun) continue;
      // A mock of another profile fails everywhere for a reason no verdict names: say so first.
      const other = await otherProfileWarning(url, profile.id);
      if (other) o.onNote?.(other);
      // A URL target's clock is read from its Date header before any timestamp-window scenario.
      await syncClock(t);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const targetRecord = isMock
    ? {
        description: isMsw ? 'the bundled mock (msw handlers)' : 'the bundled mock (in-process)',
        url: profileRuns[0]!.target.baseUrl,
      }
    : url !== undefined
      ? { description: url, url }
      : { description: profileRuns[0]!.target.description, url: profileRuns[0]!.target.baseUrl };
  const selection = [
    ...(o.scenarios?.length ? [o.scenarios.join(',')] : []),
    ...(o.exclude ?? []).map((x) => `--exclude ${x}`),
  ];
  const prepared: PreparedRun = {
    loaded,
    profileRuns,
    scenarios,
    scenarioFilter: selection.length > 0 ? selection.join(' ') : undefined,
    runs,
    seed,
    failOn,
    certify,
    deadline,
    judged,
    targetRecord,
    planOptions: { runs, maxWaitSeconds },
    reports,
    profileArgs: new Map(
      loaded.map((l, i) => [
        l.profile.id,
        typeof expanded[i] === 'string' ? (expanded[i] as string) : l.file,
      ]),
    ),
    close,
  };
  return prepared;
}

/** The run's deadline: `maxTimeMs`, the caller's `signal`, whichever ends first. */
function runDeadlineOf(o: VerifyOptions): RunDeadline | undefined {
  const signals: AbortSignal[] = [];
  const labels: string[] = [];
  if (o.maxTimeMs !== undefined) {
    signals.push(AbortSignal.timeout(o.maxTimeMs));
    labels.push(`--max-time ${o.maxTimeMs / 1000}`);
  }
  if (o.signal) {
    signals.push(o.signal);
    labels.push('the abort signal');
  }
  if (signals.length === 0) return undefined;
  return {
    signal: signals.length === 1 ? signals[0]! : AbortSignal.any(signals),
    flag: labels.join(' or '),
  };
}

/**
 * The scenarios a run with these options runs: the catalogue (built-in, and `scenarioDirs`)
 * narrowed by `scenarios` and `exclude`. The vitest integration declares its tests from it.
 * Whether each applies to a profile is `planVerify()`'s answer, not this one's.
 *
 * Throws `SpecError` (file:line:col) for a file of `scenarioDirs` that does not validate, and
 * `VerifyOptionError` for a selection term that matches no scenario.
 *
 * @example
 * ```ts
 * import { scenariosOfRun } from 'authconform';
 *
 * // A family name selects all of its scenarios; an id glob selects by id.
 * for (const s of scenariosOfRun({ scenarios: ['nonce-replay', 'jwt-*'] }))
 *   console.log(s.severity, s.id, s.title);
 * ```
 */
export function scenariosOfRun(
  o: Pick<VerifyOptions, 'scenarios' | 'exclude' | 'scenarioDirs'>,
): Scenario[] {
  return chosenScenarios(loadScenarios(o.scenarioDirs), o);
}

/** `scenarios` and `exclude` applied to every scenario; a term that matches nothing is an error. */
function chosenScenarios(
  all: readonly Scenario[],
  o: Pick<VerifyOptions, 'scenarios' | 'exclude'>,
  onNote?: (line: string) => void,
): Scenario[] {
  try {
    const { scenarios, notes } = selectScenarios(
      all,
      o.scenarios?.length ? [o.scenarios.join(',')] : [],
      [...(o.exclude ?? [])],
    );
    for (const note of notes) onNote?.(`note: ${note}`);
    return scenarios;
  } catch (e) {
    if (e instanceof ScenarioSelectionError) throw new VerifyOptionError(e.message);
    throw e;
  }
}

/** `npx authconform run ...` narrowed to one case, from the options of an API call. */
function defaultRerun(v: Verdict, o: VerifyOptions, run: PreparedRun): string {
  const target = o.target ?? 'mock';
  // An in-process app has no URL of its own: the rerun names the place of the app's.
  const argv = [
    '--target',
    typeof target === 'string'
      ? target
      : isInProcessApp(target)
        ? 'URL-OF-YOUR-APP'
        : run.targetRecord.url,
  ];
  if (typeof o.credentials === 'string') argv.push('--credentials', o.credentials);
  if (o.fixtures !== undefined) argv.push('--fixtures', o.fixtures);
  if (o.resettable) argv.push('--resettable');
  if (o.timeoutMs !== undefined) argv.push('--timeout', String(o.timeoutMs));
  if (o.rate !== undefined) argv.push('--rate', String(o.rate));
  for (const dir of o.scenarioDirs ?? []) argv.push('--scenarios', dir);
  return rerunCommand(v, {
    argv,
    values: { profile: run.profileArgs.get(v.profile) ?? v.profile, resettable: true },
    runs: run.runs,
    seed: run.seed,
  });
}
