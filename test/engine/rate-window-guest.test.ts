// On a target that cannot be reset, rate-limit scenarios wait for a fresh window before their
// case: a correct server whose window earlier scenarios spent still passes, and a server with no
// limit still fails. The profile's window is shortened to 4 s and its limit to 5 (in the mock and
// the harness alike): the waits are real (a guest cannot move the target's clock), so the window
// is as short as lets a burst of limit + 1 requests land in the part of it where the model requires
// the 429 (its first 2 s) on a loaded machine; where they do not, the verdict is PARTIAL, not PASS.
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { httpTarget } from '../../src/targets/http-target.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { Profile } from '../../src/model/profile.ts';

async function guestRun(mutate: (p: Profile) => void) {
  const { profile: builtIn } = resolveProfile('vaulera');
  const profile = structuredClone(builtIn);
  for (const l of Object.values(profile.rateLimits!)) {
    l.windowSeconds = 4;
    l.limit = 5;
  }
  const served = structuredClone(profile);
  mutate(served);
  const fixtures = builtInFixtures(builtIn);
  const server = await startMockServer(await createAuthMock({ profile: served, fixtures }), {
    port: 0,
  });
  try {
    const creds = fixturesToCredentials(fixtures, builtIn);
    // Not resettable: the harness is a guest, as on a partner's server.
    const target = httpTarget(server.url);
    const scenarios = loadScenarios().filter((s) =>
      ['missing-key', 'revoked-key-refused', 'rate-limit-429', 'rate-window-per-key'].includes(
        s.id,
      ),
    );
    return await runConformance([{ profile, creds, target }], scenarios, { runs: 5, seed: 2 });
  } finally {
    await server.stop();
  }
}

// The two runs wait out windows in real time, each against a server of its own: together.
describe.concurrent('rate-limit scenarios on a target that cannot be reset', () => {
  it('wait out the window the earlier scenarios spent, and pass a correct server', async () => {
    const verdicts = await guestRun(() => {});
    // PASS, not PARTIAL: the 5 s window reset was waited out in real time (under --max-wait),
    // and per-key accounting was checked with the fixtures' second key.
    for (const v of verdicts) expect(v.status, `${v.scenario}: ${v.reason}`).toBe('PASS');
    const rate = verdicts.filter((v) => v.family === 'rate-limit');
    expect(rate.length).toBe(2);
    // One case each (no reset between cases), after a fresh window.
    for (const v of rate) expect(v.runs).toBe(1);
  }, 60_000);

  it('still fail a server with no limit', async () => {
    const verdicts = await guestRun((p) => {
      for (const r of p.routes) delete r.rateClass;
    });
    expect(verdicts.find((v) => v.scenario === 'rate-limit-429')?.status).toBe('FAIL');
    expect(verdicts.find((v) => v.scenario === 'rate-window-per-key')?.status).toBe('FAIL');
  }, 60_000);
});
