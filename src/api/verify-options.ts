/**
 * The options of `verify()` and `planVerify()`, with what each bounds and its default; the CLI's
 * flags map onto them one to one (docs/library.md has the table).
 */
import type { planRun } from '../engine/plan-run.ts';
import type { Verdict } from '../verdict/verdict.ts';
import type { Credentials } from '../model/credentials.ts';
import type { FailOn, RecordedVerdict } from '../report/run-record.ts';
import type { ReportFormat } from '../report/write-reports.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import type { LoadedProfile } from '../spec/load-profile.ts';
import type { InProcessApp } from '../targets/app-target.ts';
import type { Target } from '../targets/target.ts';
import type { WaitNotice } from '../targets/run-deadline.ts';

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
   * `Target` (for example `httpTarget(url)`), which the run leaves open for you to close.
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
  /**
   * Runs shard `index` (1-based) of `count`: a deterministic share of the profile x scenario cases,
   * balanced by their expected cost, a case never split (`authconform merge` joins the reports).
   */
  shard?: { index: number; count: number };
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
  /**
   * Called when the run starts a wait of a second or more (a rate window to make room, a fresh
   * window for a rate-limit scenario, a 429's Retry-After): why, and when it ends. Not in reports.
   */
  onWait?: (w: WaitNotice) => void;
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
