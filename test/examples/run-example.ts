/**
 * Runs the conformance scenarios against an example server over real HTTP, the way a partner
 * would run `authconform run --target URL --credentials FILE`, through the same `verify()`, with
 * one difference: each scenario gets a freshly started server (one verify() per scenario). A real
 * server cannot be reset between properties like the bundled mock, and the rate-limit scenarios
 * spend the valid key's window, which would make every later scenario wait out Retry-After
 * (examples/FINDINGS.md, F1).
 */
import { join } from 'node:path';
import { planVerify, verify, type VerifyOptions } from '../../src/api/verify.ts';
import type { Credentials } from '../../src/model/credentials.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { LoadedProfile } from '../../src/spec/load-profile.ts';
import { httpTarget } from '../../src/targets/http-target.ts';

export const EXAMPLES_DIR = join(import.meta.dirname, '../../examples');

/** `--profile`, `--target` and `--credentials` of a CLI run of an example against it at `url`. */
export function exampleRunArgs(example: string, url: string): string[] {
  const dir = join(EXAMPLES_DIR, example);
  const [profile, credentials] = ['profile.yaml', 'credentials.yaml'].map((f) => join(dir, f));
  return ['--profile', profile!, '--target', url, '--credentials', credentials!];
}

export interface ExampleServer {
  url: string;
  close(): Promise<void>;
}

export interface ExampleRun {
  /**
   * The profile as loaded (`resolveProfile(file)` finds a user profile's body schemas beside it,
   * F2), or a changed copy of it: `{ ...loaded, profile: changed }`.
   */
  profile: LoadedProfile;
  creds: Credentials;
  /** Starts the example on 127.0.0.1, any free port. */
  start: () => Promise<ExampleServer>;
  runs: number;
  seed: number;
  /** Only these scenario ids (default: every scenario). */
  only?: string[];
  /** Longest real wait for time to pass (default: the CLI's --max-wait default). */
  maxWaitSeconds?: number;
}

/** The URL target of a server started for one scenario. */
const freshServer = (url: string) => httpTarget(url, { timeoutMs: 5000, startsFresh: true });

/**
 * One verdict per scenario that applies to the profile, each from verify() against a server
 * started for it. Rate-limit scenarios run one case: a second case would start inside the window
 * the first one spent (F1). Each property's seed is verify()'s, derived from the run's seed, the
 * profile and the scenario, so a verdict here is the one `authconform run --seed` gives.
 */
export async function runAgainstExample(run: ExampleRun): Promise<Verdict[]> {
  const options = {
    profile: run.profile,
    credentials: run.creds,
    seed: run.seed,
    ...(run.maxWaitSeconds !== undefined ? { maxWaitSeconds: run.maxWaitSeconds } : {}),
  } satisfies Partial<VerifyOptions>;
  // Which scenarios apply (nothing is sent for the plan): no server is started for the others.
  const plan = await planVerify({
    ...options,
    target: freshServer('http://127.0.0.1:9'),
    ...(run.only ? { scenarios: run.only } : {}),
  });
  const verdicts: Verdict[] = [];
  for (const { scenario, plan: p } of plan.cases) {
    if (p.kind === 'not-applicable') continue;
    const server = await run.start();
    try {
      const record = await verify({
        ...options,
        target: freshServer(server.url),
        scenarios: [scenario.id],
        runs: scenario.family === 'rate-limit' ? 1 : run.runs,
      });
      verdicts.push(...record.verdicts);
    } finally {
      await server.close();
    }
  }
  return verdicts;
}

/**
 * A verdict that is short of PASS only because an example's clock cannot be moved and the wait is
 * beyond --max-wait (a rotation grace, a rate window's reset, a late replay): the checks that ran
 * held, and the verdict says what was not checked.
 */
function clockLimited(v: Verdict): boolean {
  return (
    (v.status === 'PARTIAL' || v.status === 'SKIP') &&
    /(?:clock cannot be moved|offers no way to)[^;]*--max-wait/.test(v.reason ?? '') &&
    !/credentials have no/.test(v.reason ?? '')
  );
}

/**
 * "scenario: STATUS (reason)" for every verdict that is not a PASS, for readable assertions;
 * a verdict short of PASS only for the example's fixed clock is listed by `clockLimitedIds`.
 */
export function notPassed(verdicts: Verdict[]): string[] {
  return verdicts
    .filter((v) => v.status !== 'PASS' && !clockLimited(v))
    .map((v) => `${v.scenario}: ${v.status}${v.reason ? ` (${v.reason.split('\n')[0]})` : ''}`);
}

/** Scenario ids whose verdict is PARTIAL or SKIP only because the example's clock cannot move. */
export function clockLimitedIds(verdicts: Verdict[]): string[] {
  return verdicts
    .filter(clockLimited)
    .map((v) => `${v.scenario}: ${v.status}`)
    .sort();
}
