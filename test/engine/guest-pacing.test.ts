// Issue 16 item 5: against a target that cannot be reset (a guest), the run is planned against
// the profile's rate limits: its own traffic is paced below the per-key limit (never a 429 it
// did not ask for), rate-limit scenarios run last on the keys the run left unspent longest, each
// wait is taken once and said, a target that refuses connections is reported at once, and a
// server that refuses everything fails without waiting for windows. The mock's clock and the
// run's waits share one fake clock: a minute of waiting takes no real time.
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import { httpTarget } from '../../src/targets/http-target.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { Target } from '../../src/targets/target.ts';
import type { Scenario } from '../../src/scenario/scenario-model.ts';
import type { WaitNotice } from '../../src/targets/run-deadline.ts';
import { fakeWaitClock } from '../support/fake-wait-clock.ts';
import { createServer } from 'node:net';

const LIMIT = 8;
const WINDOW_SECONDS = 60;
const IDS = [
  'missing-key',
  'revoked-key-refused',
  'rate-limit-429',
  'rate-window-per-key',
  'unknown-key',
];
const scenarios = loadScenarios().filter((s) => IDS.includes(s.id));

/** A profile (vaulera) with a small per-key limit, served by the in-process mock on the fake clock, no reset. */
async function guestRun(
  opts: {
    answer?: (status: number) => number;
    profile?: string;
    scenarios?: Scenario[];
    limit?: number;
  } = {},
) {
  const { profile: builtIn } = resolveProfile(opts.profile ?? 'vaulera');
  const profile = structuredClone(builtIn);
  for (const l of Object.values(profile.rateLimits!)) {
    l.limit = opts.limit ?? LIMIT;
    l.windowSeconds = WINDOW_SECONDS;
  }
  const fixtures = builtInFixtures(builtIn);
  const clock = fakeWaitClock(Date.now());
  const mock = await createAuthMock({
    profile,
    fixtures,
    clock: new MockClock(() => clock.now()),
  });
  const {
    reset: _reset,
    advanceClock: _advance,
    ...inner
  } = await inProcessMockTarget(profile, mock);
  // 429s the harness drew without asking for them (outside a rate-limit scenario's spending).
  const unasked: string[] = [];
  let seeing = 0;
  const target: Target = {
    ...inner,
    send: async (req) => {
      const res = await inner.send(req);
      if (res.status === 429 && seeing === 0) unasked.push(`${req.method} ${req.pathWithQuery}`);
      return opts.answer ? { ...res, status: opts.answer(res.status) } : res;
    },
    seeing429: async (fn) => {
      seeing++;
      try {
        return await fn();
      } finally {
        seeing--;
      }
    },
  };
  const waits: WaitNotice[] = [];
  const ran: string[] = [];
  const started = clock.now();
  const creds = fixturesToCredentials(fixtures, builtIn);
  const verdicts = await runConformance([{ profile, creds, target }], opts.scenarios ?? scenarios, {
    runs: 10,
    seed: 3,
    clock,
    onWait: (w) => waits.push(w),
    onVerdict: (v) => ran.push(v.scenario),
  });
  return { verdicts, unasked, waits, ran, elapsedMs: clock.now() - started };
}

describe('a run against a guest target, planned against its rate limits', () => {
  it('paces its own traffic below the per-key limit and still passes a correct server', async () => {
    const { verdicts, unasked, waits, ran, elapsedMs } = await guestRun();
    expect(unasked).toEqual([]);
    for (const v of verdicts)
      expect(v.status, `${v.scenario}: ${v.reason}`).toMatch(
        v.scenario === 'rate-window-per-key' ? /^(PASS|PARTIAL)$/ : /^PASS$/,
      );
    // The rate-limit scenarios ran last (the rest of the run is not held back by a window they
    // spent), and are reported in the scenarios' order all the same.
    expect(ran.slice(-2).sort()).toEqual(['rate-limit-429', 'rate-window-per-key']);
    expect(verdicts.map((v) => v.scenario)).toEqual(
      scenarios.map((s) => s.id).filter((id) => verdicts.some((v) => v.scenario === id)),
    );
    // Each wait was said, with its reason; none is longer than one window (and its slack).
    expect(waits.length).toBeGreaterThan(0);
    for (const w of waits)
      expect(w.untilMs - w.fromMs).toBeLessThanOrEqual(WINDOW_SECONDS * 1000 + 1000);
    expect(waits.some((w) => /rate-limit-429/.test(w.reason))).toBe(true);
    // The rate-limit scenarios spent two keys: one wait served both, not one window each after
    // the run. Two windows of pacing at most for ~40 admitted requests over two keys of 8.
    const fresh = waits.filter((w) => /a fresh rate window/.test(w.reason));
    expect(fresh.length).toBeLessThanOrEqual(2);
    expect(elapsedMs).toBeLessThan(6 * (WINDOW_SECONDS + 1) * 1000);
  });

  it('waits for room before a case, not between building a request and sending it (a JWT inside its leeway stays inside)', async () => {
    const { verdicts, unasked } = await guestRun({
      profile: 'vesuviopay',
      // A window of 5 fills between some case's accepted twin and its faulty request.
      limit: 5,
      scenarios: loadScenarios().filter((s) => s.id === 'jwt-within-leeway-accepted'),
    });
    expect(unasked).toEqual([]);
    expect(verdicts.map((v) => `${v.scenario} ${v.status} ${v.reason ?? ''}`.trim())).toEqual([
      'jwt-within-leeway-accepted PASS',
    ]);
  });

  it('fails a server with no limit, as before', async () => {
    const { verdicts } = await guestRun({ answer: (s) => (s === 429 ? 200 : s) });
    expect(verdicts.find((v) => v.scenario === 'rate-limit-429')?.status).toBe('FAIL');
    expect(verdicts.find((v) => v.scenario === 'rate-window-per-key')?.status).toBe('FAIL');
  });

  it('fails a server that refuses everything without waiting for a rate window', async () => {
    const { verdicts, waits } = await guestRun({ answer: () => 401 });
    for (const id of ['rate-limit-429', 'rate-window-per-key'])
      expect(verdicts.find((v) => v.scenario === id)?.status).toBe('FAIL');
    expect(waits).toEqual([]);
  });
});

describe('a target that refuses connections', () => {
  it('is reported unreachable at once: every case ERROR, no wait, a handful of attempts', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const { profile } = resolveProfile('vaulera');
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const inner = httpTarget(`http://127.0.0.1:${port}`);
    let attempts = 0;
    const target: Target = {
      ...inner,
      send: (req) => {
        attempts++;
        return inner.send(req);
      },
    };
    const clock = fakeWaitClock(Date.now());
    const waits: WaitNotice[] = [];
    const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
      runs: 10,
      seed: 3,
      clock,
      onWait: (w) => waits.push(w),
    });
    expect(verdicts.length).toBe(IDS.length);
    for (const v of verdicts) expect(v.status, v.scenario).toBe('ERROR');
    expect(verdicts.slice(1).every((v) => /unreachable/.test(v.reason ?? ''))).toBe(true);
    expect(attempts).toBeLessThanOrEqual(2);
    expect(waits).toEqual([]);
    expect(clock.waited).toEqual([]);
  });
});
