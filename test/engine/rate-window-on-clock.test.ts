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

/** How the slow target of a run takes its requests, and reads its clock. */
interface Slow {
  /** ms of the mock's clock a request takes (or takes when it is sent at `now`). */
  stepMs?: number | ((nowMs: number) => number);
  /** ms before the end of a minute each case starts. */
  leadMs?: number;
  /**
   * The clock read as from a Date header, as for a URL: whole seconds written when the answer
   * was, read after it came back, so that what the harness reads trails the target's clock by
   * this many ms; its clock window says so (it bounds the target's clock, up to 1250 ms wide).
   */
  lagMs?: number;
  /** The scenarios run (default both). */
  only?: string;
}

/**
 * Vaulera (60 a minute per key) with its windows on the clock, served by the mock as `serve`
 * changes it, on the slow target above (100 ms a request, cases 3 s before the end of a
 * minute unless `slow` says otherwise); how many minutes ended in a case. The harness is given
 * `profile` as `change` leaves it (the mock serves it too).
 */
async function slowRun(
  serve: (p: Profile) => void,
  seed: number,
  slow: Slow = {},
  change: (p: Profile) => void = () => {},
) {
  const { stepMs = 100, leadMs = 3_000, lagMs, only } = slow;
  const profile = onTheClock(resolveProfile('vaulera').profile);
  change(profile);
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
  // A harness that never stops sending is stopped here (its case is ERROR), not left to hang.
  let sent = 0;
  const target: Target = {
    ...inner,
    ...(lagMs !== undefined
      ? {
          nowSeconds: () => Math.floor((clock.now() - lagMs) / 1000),
          clockWindow: () => ({ loMs: clock.now() - lagMs, hiMs: clock.now() - lagMs + 1250 }),
        }
      : {}),
    reset: async () => {
      await inner.reset!();
      clock.advance((60_000 - (clock.now() % 60_000) - leadMs + 60_000) % 60_000);
      minute = undefined;
    },
    send: async (req) => {
      if (++sent > 20_000) throw new Error('the harness sent 20 000 requests');
      const now = Math.floor(clock.now() / 60_000);
      if (minute !== undefined && now !== minute) minutesEnded++;
      minute = now;
      clock.advance(typeof stepMs === 'number' ? stepMs : stepMs(clock.now()));
      return inner.send(req);
    },
  };
  const creds = fixturesToCredentials(fixtures, profile);
  const scenarios = only ? RATE.filter((s) => s.id === only) : RATE;
  const verdicts = await runConformance([{ profile, creds, target }], scenarios, { runs: 3, seed });
  return { verdicts, minutesEnded };
}

const said = (verdicts: { scenario: string; status: string; reason?: string }[]) =>
  verdicts.map((v) => `${v.scenario} ${v.status}${v.reason ? `: ${v.reason}` : ''}`);

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
    const { verdicts } = await slowRun(() => {}, 1, { stepMs: 1_000 });
    const v = verdicts.find((x) => x.scenario === 'rate-limit-429')!;
    expect(v.status).toBe('SKIP');
    expect(v.reason).toBe(
      "the 60 requests of a rate window do not fit in one 60 s window on the clock at this target's speed: the limit was not checked",
    );
    const w = verdicts.find((x) => x.scenario === 'rate-window-per-key')!;
    expect(w.status).toBe('PARTIAL');
    expect(w.reason).toMatch(/the limit itself was not checked: no run's request 61 came within/);
  }, 60_000);

  it('a target whose every request takes 3 s: a burst that never fits in a minute is SKIP, not sent for ever', async () => {
    const { verdicts } = await slowRun(() => {}, 1, { stepMs: 3_000, only: 'rate-limit-429' });
    expect(said(verdicts)).toEqual([
      "rate-limit-429 SKIP: the 60 requests of a rate window do not fit in one 60 s window on the clock at this target's speed: the limit was not checked",
    ]);
  });

  it('one request of a burst slow enough to be counted in the next minute: the burst moves on, no false FAIL', async () => {
    // Cases start 3.4 s before the end of a minute; the request sent 3.2 s before it takes 3.5 s.
    const stepMs = (now: number) => (now % 60_000 >= 56_800 && now % 60_000 < 57_000 ? 3_500 : 10);
    const { verdicts } = await slowRun(() => {}, 1, {
      stepMs,
      leadMs: 3_400,
      only: 'rate-limit-429',
    });
    expect(said(verdicts)).toEqual(['rate-limit-429 PASS']);
  });

  it("a clock read from a Date header, up to a second behind the target's: no false FAIL near the end of a minute", async () => {
    for (const lagMs of [0, 300, 900])
      for (const leadMs of [50, 600, 1_500]) {
        const { verdicts } = await slowRun(() => {}, 1, { lagMs, leadMs, only: 'rate-limit-429' });
        expect(said(verdicts), `${lagMs} ms behind, ${leadMs} ms before the end`).toEqual([
          'rate-limit-429 PASS',
        ]);
      }
  });

  it("the model's window opened in the last moments of a minute, on a clock up to a second behind, or by slow requests: no false FAIL", async () => {
    for (const lagMs of [undefined, 300, 900])
      for (const leadMs of [50, 600, 1_500]) {
        const { verdicts } = await slowRun(() => {}, 1, {
          ...(lagMs !== undefined ? { lagMs } : {}),
          leadMs,
          only: 'rate-window-per-key',
        });
        expect(said(verdicts), `${lagMs ?? 0} ms behind, ${leadMs} ms before the end`).toEqual([
          'rate-window-per-key PASS',
        ]);
      }
    // Requests slower than the mock's clock window allows for (250 ms): one sent before the end
    // of a minute may be counted after it, in the model's next window too.
    for (const leadMs of [350, 3_000]) {
      const { verdicts } = await slowRun(() => {}, 1, {
        stepMs: 500,
        leadMs,
        only: 'rate-window-per-key',
      });
      expect(said(verdicts), `500 ms a request, ${leadMs} ms before the end`).toEqual([
        'rate-window-per-key PASS',
      ]);
    }
  });

  it("the model's burst window of 1 or 2 s on the clock: a request counted in the next one is not taken for the last one's", async () => {
    for (const [windowSeconds, leadMs] of [
      [2, 50],
      [2, 2_100],
      [1, 2_100],
    ] as const) {
      const { verdicts } = await slowRun(
        () => {},
        1,
        { leadMs, only: 'rate-window-per-key' },
        (p) => {
          for (const limit of Object.values(p.rateLimits!))
            limit.burst = { limit: 5, windowSeconds };
        },
      );
      expect(said(verdicts), `${windowSeconds} s, ${leadMs} ms before the end`).toEqual([
        'rate-window-per-key PASS',
      ]);
    }
  });

  it('a burst window of 2 s on the clock: a burst is not sent across its end either', async () => {
    // 5 per 2 s: each case starts 100 ms before an even second, where a burst runs across it.
    const { verdicts } = await slowRun(
      () => {},
      1,
      { stepMs: 30, leadMs: 2_100, only: 'rate-limit-429' },
      (p) => {
        for (const limit of Object.values(p.rateLimits!))
          limit.burst = { limit: 5, windowSeconds: 2 };
      },
    );
    expect(said(verdicts)).toEqual(['rate-limit-429 PASS']);
  });

  it('a burst window left part spent, where the minute has room for less than two bursts: the move leaves the minute room, and one too many is caught', async () => {
    // 15 a minute, 10 per 10 s: each case starts 4 s before the end of a 10 s window in mid-minute,
    // and at 250 ms a request the burst has sent 7 when 2 s are left; 7 + 10 would pass 15.
    const tight = (p: Profile) => {
      for (const limit of Object.values(p.rateLimits!)) {
        limit.limit = 15;
        limit.burst = { limit: 10, windowSeconds: 10 };
      }
    };
    const slow = { stepMs: 250, leadMs: 14_000, only: 'rate-limit-429' };
    const { verdicts } = await slowRun(() => {}, 1, slow, tight);
    expect(said(verdicts)).toEqual(['rate-limit-429 PASS']);
    const { verdicts: tooMany } = await slowRun(
      (p) => (p.rateLimits!.default!.burst!.limit += 1),
      1,
      slow,
      tight,
    );
    expect(said(tooMany)).toEqual([
      'rate-limit-429 FAIL: the faulty request (expected denial rate_limited -> rate_limited): expected status 429, got 200',
    ]);
  });

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
