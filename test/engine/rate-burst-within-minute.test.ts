// A rate limit whose burst binds (20 per 10 s) inside a minute that three bursts fill (60 a
// minute), the shape of many real limits and of no built-in profile but luxcore's (whose minute
// no run can fill): both rate-limit scenarios are judged by the burst, the correct mock passes
// them over five seeds, and a limiter whose burst admits one too many is caught by both.
// The model judges by the burst, but a run that waits out burst window after burst window can
// reach the minute's limit inside one minute (a draw it can make, rarely): there a correct limiter
// refuses on the minute, and the model must not have sent that request as one it requires to be
// accepted. That run is played here command by command.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { engineContext } from '../../src/engine/engine-context.ts';
import type { ModelSession } from '../../src/engine/stateful/model-session.ts';
import { prepareRateWindow } from '../../src/engine/stateful/rate-window-model.ts';
import { schemaRegistry } from '../../src/spec/schema-registry.ts';
import type { Profile } from '../../src/model/profile.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';

const RATE = loadScenarios().filter((s) => s.family === 'rate-limit');

/** Vaulera with 60 a minute and a burst of 20 per 10 s. */
function burstProfile(): Profile {
  const profile = structuredClone(resolveProfile('vaulera').profile);
  for (const limit of Object.values(profile.rateLimits!)) {
    limit.limit = 60;
    limit.windowSeconds = 60;
    limit.burst = { limit: 20, windowSeconds: 10 };
  }
  return profile;
}

/** The profile, served by the mock as `serve` changes it, through both rate-limit scenarios. */
async function burstRun(serve: (p: Profile) => void, seed: number) {
  const profile = burstProfile();
  const served = structuredClone(profile);
  serve(served);
  const fixtures = builtInFixtures(profile);
  const target = await inProcessMockTarget(
    served,
    await createAuthMock({ profile: served, fixtures }),
  );
  const creds = fixturesToCredentials(fixtures, profile);
  return runConformance([{ profile, creds, target }], RATE, { runs: 5, seed });
}

describe('a burst limit inside a minute that three bursts fill', () => {
  it('the correct mock passes both rate-limit scenarios, over five seeds', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const verdicts = await burstRun(() => {}, seed);
      expect(
        verdicts.map((v) => `${v.scenario} ${v.status}${v.reason ? `: ${v.reason}` : ''}`),
        `seed ${seed}`,
      ).toEqual(['rate-limit-429 PASS', 'rate-window-per-key PASS']);
    }
  }, 60_000);

  it('a limiter whose burst admits one too many is caught by both', async () => {
    const verdicts = await burstRun((p) => {
      for (const limit of Object.values(p.rateLimits!)) limit.burst!.limit += 1;
    }, 1);
    expect(verdicts.map((v) => `${v.scenario} ${v.status}`)).toEqual([
      'rate-limit-429 FAIL',
      'rate-window-per-key FAIL',
    ]);
  }, 60_000);

  it('a run that waits out four burst windows inside one minute sends none the minute refuses, and fails nothing', async () => {
    const profile = burstProfile();
    const fixtures = builtInFixtures(profile);
    const inner = await inProcessMockTarget(profile, await createAuthMock({ profile, fixtures }));
    const answered: number[] = [];
    const target = {
      ...inner,
      send: async (req: Parameters<typeof inner.send>[0]) => {
        const res = await inner.send(req);
        answered.push(res.status);
        return res;
      },
    };
    const creds = fixturesToCredentials(fixtures, profile);
    const ctx = engineContext({ profile, creds, target, registry: schemaRegistry() });
    const model = prepareRateWindow(ctx)!;
    const named = (name: RegExp) => {
      for (const arb of model.commands) {
        const [c] = fc.sample(arb, { numRuns: 1, seed: 1 });
        if (name.test(String(c))) return c!;
      }
      throw new Error(`no command ${name}`);
    };
    const [exhaust, waitOut] = [named(/^exhaust\(valid\)$/), named(/^wait out/)];
    const s: ModelSession = { ctx, log: [], obtained: new Set() };
    await target.reset!();
    const m = model.initial();
    // 20 accepted and the 21st refused, then three more bursts 11 s apart: 80 inside 33 s.
    await model.preamble!(m, s);
    for (let k = 0; k < 3; k++) {
      await waitOut.run(m, s);
      if (exhaust.check(m)) await exhaust.run(m, s);
    }
    // Three bursts of 20 accepted and 1 refused; the fourth stops where the requests sent in the
    // minute (the refused ones too: the guard cannot know which the target counted) reach 60.
    expect(answered).toHaveLength(60);
    expect(answered.filter((x) => x !== 200)).toEqual([429, 429]);
    expect(model.uncheckedAfter?.()).toBeUndefined();
  });
});
