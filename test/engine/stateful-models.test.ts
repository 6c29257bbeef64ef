// Stateful requirements run as model-based tests, and the scenarios that need the target's own
// tokens or clock: each mistake in test/support/state-faults.ts is caught by its scenario (a model
// scenario with a shrunk command sequence), and the correct mock passes.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import { STATE_FAULTS, stateFaultTarget } from '../support/state-faults.ts';

const all = loadScenarios();
const scenarios = all.filter((s) => s.model !== undefined);

describe('stateful requirements run as model-based tests', () => {
  it('every model scenario passes on the correct mock of each profile it applies to', async () => {
    const runs = [];
    for (const id of ['auxvault', 'gateway', 'vaulera', 'luxcore', 'vesuviopay']) {
      const { profile } = resolveProfile(id);
      const creds = fixturesToCredentials(builtInFixtures(profile), profile);
      runs.push({ profile, creds, target: await inProcessMockTarget(profile) });
    }
    // Five command sequences per model and profile: the faults below are caught by the search at 30.
    const verdicts = await runConformance(runs, scenarios, { runs: 5, seed: 7 });
    expect(verdicts.length).toBeGreaterThanOrEqual(8);
    for (const v of verdicts)
      expect(v.status, `${v.profile} ${v.scenario}: ${v.reason}`).toBe('PASS');
  });

  for (const f of STATE_FAULTS) {
    it(`${f.profile}: ${f.name} (${f.models}) is caught by ${f.caughtBy}`, async () => {
      const { target, profile, creds } = await stateFaultTarget(f);
      const scenario = all.find((s) => s.id === f.caughtBy)!;
      const [v] = await runConformance([{ profile, creds, target }], [scenario], {
        runs: 30,
        seed: 3,
      });
      expect(v?.status, v?.reason).toBe('FAIL');
      // A model run's counterexample is the shrunk command sequence, with the exchanges of that run.
      if (scenario.model) expect(v!.counterexample!.route).toMatch(/^commands: /);
      expect(v!.counterexample!.exchanges.length).toBeGreaterThan(0);
    });
  }

  it("says SKIP, and why, where a scenario must move the target's clock and cannot", async () => {
    const { profile } = resolveProfile('vaulera');
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const { advanceClock: _, ...fixedClock } = await inProcessMockTarget(profile);
    const verdicts = await runConformance(
      [{ profile, creds, target: fixedClock }],
      all.filter((s) => ['session-token-expired', 'key-lifecycle-model'].includes(s.id)),
      { runs: 5, seed: 1 },
    );
    const expiry = verdicts.find((v) => v.scenario === 'session-token-expired');
    const lifecycle = verdicts.find((v) => v.scenario === 'key-lifecycle-model');
    expect(expiry!.status).toBe('SKIP');
    expect(expiry!.reason).toMatch(/moves the target's clock \d+ s forward/);
    // vaulera has no rotation grace: nothing in its lifecycle needs the clock.
    expect(lifecycle!.status).toBe('PASS');
  });

  it('a model run replays exactly with the same seed', async () => {
    const seen: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const { target, profile, creds } = await stateFaultTarget(
        STATE_FAULTS.find((f) => f.name === 'deleted key still accepted')!,
      );
      const [v] = await runConformance(
        [{ profile, creds, target }],
        scenarios.filter((s) => s.id === 'key-lifecycle-model'),
        { runs: 30, seed: 11 },
      );
      seen.push([v!.counterexample!.route, v!.counterexample!.path]);
    }
    expect(seen[0]).toEqual(seen[1]);
  });
});
