/**
 * A run set up from `verify()`'s options, before its first request: the options checked, the
 * profiles, credentials and scenarios loaded, the waivers and baseline read, the report folders
 * made, and each profile's target built (the bundled mock, a URL, an in-process app, or the
 * caller's own target), with its state hooks attached and a URL's clock read.
 */
import { randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { DEFAULT_MAX_WAIT_SECONDS } from '../engine/clock-mover.ts';
import type { ProfileRun } from '../engine/engine-context.ts';
import { type FailOn } from '../report/run-record.ts';
import { reportFiles, prepareReportFiles } from '../report/write-reports.ts';
import { loadScenarios } from '../scenario/load-scenarios.ts';
import { checkProfileCites } from '../scenario/profile-cites.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { ScenarioSelectionError, selectScenarios } from '../scenario/select-scenarios.ts';
import { builtInProfileIds, resolveProfile } from '../spec/builtin-specs.ts';
import { addSchemasBesideProfile } from '../spec/schema-registry.ts';
import { fixturesToCredentials } from '../spec/fixtures-to-credentials.ts';
import { loadCredentials } from '../spec/load-credentials.ts';
import type { LoadedProfile } from '../spec/load-profile.ts';
import { appTarget, isInProcessApp } from '../targets/app-target.ts';
import { describeValue } from '../targets/in-process-target.ts';
import { httpTarget, syncClock } from '../targets/http-target.ts';
import { otherProfileWarning } from '../targets/mock-health-probe.ts';
import { inProcessMockTarget } from '../targets/mock-target.ts';
import { mswMockTarget } from '../targets/msw-target.ts';
import type { RunDeadline } from '../targets/run-deadline.ts';
import { stateHooks, withStateHooks } from '../targets/state-hooks.ts';
import type { Target } from '../targets/target.ts';
import { failOnAndCertify } from './certify-option.ts';
import { mockFixtures } from './mock-fixtures.ts';
import { attachStateHooks } from './state-url.ts';
import { VerifyOptionError } from './verify-error.ts';
import { isFailOnNew, waiversAndBaseline } from './waivers-baseline.ts';
import type { VerifyOptions } from './verify-options.ts';
import { DEFAULT_RUNS } from './verify-options.ts';

export interface PreparedRun {
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

export async function prepareRun(
  o: VerifyOptions,
  mode: { dryRun: boolean },
): Promise<PreparedRun> {
  if (typeof o.credentials === 'string') warnIfShared(o.credentials, o.onNote);
  const { runs, maxWaitSeconds, seed, target, isMsw, isMock, url, expanded, failOn, certify } =
    checkVerifyOptions(o);
  const reports = reportFiles(o.reports?.dir, o.reports ?? {});
  if (!mode.dryRun)
    try {
      prepareReportFiles(reports);
    } catch (e) {
      throw new VerifyOptionError((e as Error).message);
    }

  const allScenarios = loadScenarios(o.scenarioDirs);
  const scenarios = chosenScenarios(allScenarios, o, o.onNote);
  // A profile loaded by the caller gets the body schemas beside its file, as one named by path.
  const loaded = expanded.map((p) => {
    if (typeof p === 'string') return resolveProfile(p);
    if (existsSync(p.file)) addSchemasBesideProfile(p.file);
    return p;
  });
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
  // The targets this run built; a Target the caller gave stays open: it is the caller's to close.
  const close = async () => {
    if (typeof target === 'object' && !isInProcessApp(target)) return;
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
          ...(o.onWait ? { onWait: o.onWait } : {}),
        });
      // An in-process app (Node listener, Fetch handler, Fastify instance), with the run's bounds.
      else if (isInProcessApp(target))
        t = appTarget(target, {
          ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
          ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}),
          ...(deadline ? { deadline } : {}),
        });
      // A target of the caller's own (a recording wrapper, a broken server), left open at the end.
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

/** A Target of the caller's own: what the run calls on it is there. */
function isTarget(value: unknown): value is Target {
  const t = value as Partial<Record<keyof Target, unknown>> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof t.send === 'function' &&
    typeof t.close === 'function' &&
    typeof t.baseUrl === 'string'
  );
}

/**
 * The options checked on their own, before anything is loaded or sent: each value in range, no
 * two that contradict each other. Throws VerifyOptionError; `conformanceSuite` calls it while
 * vitest collects the tests, so a mistake fails the file once instead of every test.
 */
export function checkVerifyOptions(o: VerifyOptions) {
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
  checkShard(o);
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
  // Anything else must be an app to ask in-process or a Target of the caller's own: said here,
  // not as "close is not a function" once the run has begun.
  if (typeof target !== 'string' && !isInProcessApp(target) && !isTarget(target))
    throw new VerifyOptionError(
      `--target must be "mock", "msw", an http(s) URL, an in-process app (a Node listener, a Fetch handler or app, a Fastify instance) or a Target (with send and close); got ${describeValue(target)}`,
    );
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
      `--profile names ${expanded.length} profiles (all, or a list): several run against the bundled mock; a URL target implements one profile`,
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
  return { runs, maxWaitSeconds, seed, target, isMsw, isMock, url, expanded, failOn, certify };
}

/** `shard`: i of n, 1 <= i <= n; waivers and a baseline are judged on the whole run, not a shard. */
function checkShard(o: VerifyOptions): void {
  if (o.shard === undefined) return;
  const { index, count } = o.shard;
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index))
    throw new VerifyOptionError(`--shard must be I/N with N at least 1, got ${index}/${count}`);
  if (index < 1 || index > count)
    throw new VerifyOptionError(
      `--shard ${index}/${count}: the shard number must be from 1 to ${count}`,
    );
  for (const [flag, given] of [
    ['--waivers', o.waivers],
    ['--baseline', o.baseline],
  ] as const)
    if (given !== undefined)
      throw new VerifyOptionError(
        `--shard does not take ${flag}: a shard sees only its own cases; give it to authconform merge, which judges the whole run`,
      );
}

/** A credentials file others can read holds secrets they should not: said (not an error). */
function warnIfShared(file: string, onNote: ((line: string) => void) | undefined): void {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return; // a missing file is reported where it is read, with its name
  }
  if (mode & 0o077)
    onNote?.(
      `warning: ${file} holds secrets and is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 ${file}`,
    );
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
  // An empty list is a selection that chose nothing, not "every scenario": said, not run whole.
  if (o.scenarios !== undefined && o.scenarios.length === 0)
    throw new VerifyOptionError(
      'scenarios is an empty list: name at least one scenario, id glob or family, or leave it out to run every scenario',
    );
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
