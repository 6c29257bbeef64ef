/**
 * Runs the conformance scenarios against an example server over real HTTP, the way a partner
 * would run `authconform run --target URL --credentials FILE`, with one difference: each scenario
 * gets a freshly started server. A real server cannot be reset between properties like the
 * bundled mock, and the rate-limit scenarios spend the valid key's window, which would make every
 * later scenario wait out Retry-After (examples/FINDINGS.md, F1).
 */
import { join } from 'node:path';
import type { Credentials } from '../../src/model/credentials.ts';
import type { Profile } from '../../src/model/profile.ts';
import { propertySeed } from '../../src/engine/run-conformance.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { schemaRegistry, type SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { httpTarget } from '../../src/targets/http-target.ts';

export const EXAMPLES_DIR = join(import.meta.dirname, '../../examples');

export interface ExampleServer {
  url: string;
  close(): Promise<void>;
}

export interface ExampleRun {
  profile: Profile;
  creds: Credentials;
  /** Starts the example on 127.0.0.1, any free port. */
  start: () => Promise<ExampleServer>;
  runs: number;
  seed: number;
  /** Body schemas of a user profile that lives outside specs/ (F2). */
  registry?: SchemaRegistry;
  /** Only these scenario ids (default: every scenario). */
  only?: string[];
  /** Longest real wait for time to pass (default: the CLI's --max-wait default). */
  maxWaitSeconds?: number;
}

/**
 * One verdict per scenario that applies to the profile. Rate-limit scenarios run one case: a
 * second case would start inside the window the first one spent (F1).
 */
export async function runAgainstExample(run: ExampleRun): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const scenario of loadScenarios()) {
    if (run.only && !run.only.includes(scenario.id)) continue;
    const server = await run.start();
    try {
      const v = await runScenario(
        {
          profile: run.profile,
          creds: run.creds,
          target: httpTarget(server.url, { timeoutMs: 5000, startsFresh: true }),
          registry: run.registry ?? schemaRegistry(),
          ...(run.maxWaitSeconds !== undefined ? { maxWaitSeconds: run.maxWaitSeconds } : {}),
        },
        scenario,
        {
          runs: scenario.family === 'rate-limit' ? 1 : run.runs,
          seed: propertySeed(run.seed, run.profile.id, scenario.id),
        },
      );
      if (v) verdicts.push(v);
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
