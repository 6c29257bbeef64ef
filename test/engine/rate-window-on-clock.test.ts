// A rate limit whose windows start on the clock (`windowStart: clock`: a counter keyed by the time
// divided by the window, reset at the top of each minute) rather than with a key's first request.
// The bundled mock serves such a limit, and the rate-limit scenarios judge it by the window each
// request falls in: a burst is not sent across a window's end, so a correct limiter raises no
// false alarm, and one that admits a request past its limit is caught. The target here is slow
// on purpose, as a server far away is: each request takes 100 ms of the mock's clock, and each
// case starts 3 s before the end of a minute, so a burst of 60 would run across it.
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { Profile } from '../../src/model/profile.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';

const RATE = loadScenarios().filter((s) => s.family === 'rate-limit');

function onTheClock(profile: Profile): Profile {
  const copy = structuredClone(profile);
  for (const limit of Object.values(copy.rateLimits!)) limit.windowStart = 'clock';
  return copy;
}

/**
 * Vaulera (60 a minute per key) with its windows on the clock, served by the mock as `serve`
 * changes it, on the slow target above (`stepMs` a request); how many minutes ended in a case.
 */
async function slowRun(serve: (p: Profile) => void, seed: number, stepMs = 100) {
  const profile = onTheClock(resolveProfile('vaulera').profile);
  const served = structuredClone(profile);
  serve(served);
  const fixtures = builtInFixtures(profile);
  const inner = await inProcessMockTarget(
    served,
    await createAuthMock({ profile: served, fixtures }),
  );
  const clock = inner.mock.world.clock;
  // Minutes that ended within a case, between two of its requests.
  let minutesEnded = 0;
  let minute: number | undefined;
  const target: Target = {
    ...inner,
    reset: async () => {
      await inner.reset!();
      clock.advance((60_000 - (clock.now() % 60_000) - 3_000 + 60_000) % 60_000);
      minute = undefined;
    },
    send: async (req) => {
      const now = Math.floor(clock.now() / 60_000);
      if (minute !== undefined && now !== minute) minutesEnded++;
      minute = now;
      clock.advance(stepMs);
      return inner.send(req);
    },
  };
  const creds = fixturesToCredentials(fixtures, profile);
  const verdicts = await runConformance([{ profile, creds, target }], RATE, { runs: 3, seed });
  return { verdicts, minutesEnded };
}

describe('rate windows on the clock, on a target slow enough for a burst to outlast a minute', () => {
  it('the correct mock passes every rate-limit scenario, over three seeds', async () => {
    expect(RATE.map((s) => s.id).sort()).toEqual(['rate-limit-429', 'rate-window-per-key']);
    for (const seed of [1, 2, 3]) {
      const { verdicts, minutesEnded } = await slowRun(() => {}, seed);
      expect(minutesEnded).toBeGreaterThan(0);
      expect(
        verdicts.map((v) => `${v.scenario} ${v.status}${v.reason ? `: ${v.reason}` : ''}`),
      ).toEqual(['rate-limit-429 PASS', 'rate-window-per-key PASS']);
    }
  }, 60_000);

  it('a limiter that admits one request past its limit is caught by both', async () => {
    const { verdicts, minutesEnded } = await slowRun((p) => {
      for (const limit of Object.values(p.rateLimits!)) limit.limit += 1;
    }, 1);
    expect(minutesEnded).toBeGreaterThan(0);
    expect(verdicts.map((v) => `${v.scenario} ${v.status}`)).toEqual([
      'rate-limit-429 FAIL',
      'rate-window-per-key FAIL',
    ]);
  }, 60_000);

  it('a target too slow for a window of requests to fit in a minute leaves the limit unchecked, said, not failed', async () => {
    const { verdicts } = await slowRun(() => {}, 1, 1_000);
    const v = verdicts.find((x) => x.scenario === 'rate-limit-429')!;
    expect(v.status).toBe('SKIP');
    expect(v.reason).toBe(
      "the 60 requests of a rate window do not fit in one 60 s window on the clock at this target's speed: the limit was not checked",
    );
    const w = verdicts.find((x) => x.scenario === 'rate-window-per-key')!;
    expect(w.status).toBe('PARTIAL');
    expect(w.reason).toMatch(/the limit itself was not checked: no run's request 61 came within/);
  }, 60_000);

  it('the mock serves the minute on the clock: the count starts again at its end, not 60 s after the first request', async () => {
    const profile = onTheClock(resolveProfile('vaulera').profile);
    const mock = await createAuthMock({ profile });
    const target = await inProcessMockTarget(profile, mock);
    const clock = mock.world.clock;
    // 50 s into a minute: the window the first request opens has 10 s left.
    clock.advance(60_000 - (clock.now() % 60_000) + 50_000);
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const route = profile.routes.find((r) => r.rateClass !== undefined && r.method === 'GET')!;
    const send = () =>
      target.send({
        method: 'GET',
        pathWithQuery: route.path,
        headers: { 'X-API-Key': creds.keys!.valid!.value },
      });
    const first = await send();
    expect(first.status, JSON.stringify(first.body)).toBe(route.success.status);
    for (let i = 2; i <= 60; i++) expect((await send()).status).toBe(route.success.status);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(10);
    clock.advance(10_000);
    expect((await send()).status).toBe(route.success.status);
  });
});
