/**
 * Runs the conformance scenarios against an example app asked in-process (no socket), the way a
 * team runs them in its own unit test. Where the HTTP example tests start a fresh server per
 * scenario (test/examples/run-example.ts: a real server cannot be reset, and the rate-limit
 * scenarios spend the valid key's window), the in-process equivalent is the target's `reset`
 * hook: the test builds a fresh app from the seeded data before every case.
 */
import type { Credentials } from '../../src/model/credentials.ts';
import { propertySeed } from '../../src/engine/run-conformance.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { schemaRegistry, type SchemaRegistry } from '../../src/spec/schema-registry.ts';
import type { Target } from '../../src/targets/target.ts';

export interface InProcessRun {
  profile: Parameters<typeof runScenario>[0]['profile'];
  creds: Credentials;
  target: Target;
  runs: number;
  seed: number;
  /** Body schemas of a user profile that lives outside specs/. */
  registry?: SchemaRegistry;
  /** Only these scenario ids (default: every scenario). */
  only?: string[];
}

/** One verdict per scenario that applies to the profile, in catalogue order. */
export async function runInProcess(run: InProcessRun): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const scenario of loadScenarios()) {
    if (run.only && !run.only.includes(scenario.id)) continue;
    const v = await runScenario(
      {
        profile: run.profile,
        creds: run.creds,
        target: run.target,
        registry: run.registry ?? schemaRegistry(),
      },
      scenario,
      { runs: run.runs, seed: propertySeed(run.seed, run.profile.id, scenario.id) },
    );
    if (v) verdicts.push(v);
  }
  return verdicts;
}

/** "scenario STATUS" per verdict, sorted: what two runs are compared by. */
export function statusLines(verdicts: Verdict[]): string[] {
  return verdicts.map((v) => `${v.scenario} ${v.status}`).sort();
}
