/**
 * Issue 12, item 6: a rate limit counts the requests it admitted, as the profile says (no
 * profile field says refused requests count). A request refused by the burst window, or refused
 * after the rate check (its record already used up), does not spend the window; concurrent
 * requests for the last slots admit exactly the limit. LuxCore: standard 100/min per key;
 * payments 5000/min with a burst of 500/10 s (shrunk here to 5/min, burst 2/10 s).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockSession, type MockSession } from '../support/mock-session.ts';

const FROZEN_MS = Date.UTC(2026, 0, 1, 0, 0, 0) + 400;
const CANCEL = 'payments-cancel';

describe('rate limits count admitted requests only (luxcore)', () => {
  let s: MockSession;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(FROZEN_MS);
    s = await mockSession('luxcore');
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const statuses = async (n: number, routeId: string) => {
    const req = await s.positive(routeId);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await s.send(req)).status);
    return out;
  };
  const count = (xs: number[], status: number) => xs.filter((x) => x === status).length;

  it('a request refused by the burst window does not spend the minute window', async () => {
    const profile = structuredClone(s.profile);
    profile.rateLimits!.payment = {
      ...profile.rateLimits!.payment!,
      limit: 5,
      windowSeconds: 60,
      burst: { limit: 2, windowSeconds: 10 },
    };
    s = await mockSession(profile);
    expect(count(await statuses(10, 'payments-create'), 201)).toBe(2);
    s.mock.world.clock.advance(10_000);
    expect(count(await statuses(10, 'payments-create'), 201)).toBe(2);
    s.mock.world.clock.advance(10_000);
    // Four admitted in this minute: one more, then the minute's own wait (40 s), not the burst's.
    const last = await statuses(3, 'payments-create');
    expect(last).toEqual([201, 429, 429]);
    const over = await s.send(await s.positive('payments-create'));
    expect(over.headers['retry-after']).toBe('40');
  });

  it('a request refused after the rate check (a session token for a scope that does not exist) does not spend the window', async () => {
    s = await mockSession('vaulera');
    const { limit } = s.profile.rateLimits!.default!;
    expect(limit).toBe(60);
    const bad = await s.positive('createSessionToken', { body: { scope: 'no-such-scope' } });
    const refused = [];
    for (let i = 0; i < limit + 10; i++) refused.push((await s.send(bad)).status);
    expect(refused).toEqual(Array(limit + 10).fill(400));
    const good = await statuses(limit + 1, 'createSessionToken');
    expect(good).toEqual([...Array(limit).fill(200), 429]);
  });

  it('of limit + 30 concurrent requests exactly the limit is admitted, and the losers of a concurrent cancel give their count back', async () => {
    const { limit } = s.profile.rateLimits!.standard!;
    expect(limit).toBe(100);
    // limit + 30 concurrent cancels of one pending payment: one cancels it, the others are
    // refused after the rate check (already cancelled) or, while slots are held, with 429.
    const cancel = await s.positive(CANCEL);
    const cancels = await Promise.all(
      Array.from({ length: limit + 30 }, () => s.send(structuredClone(cancel))),
    );
    const cancelStatuses = cancels.map((r) => r.status);
    expect(count(cancelStatuses, 200)).toBe(1);
    expect(count(cancelStatuses, 404) + count(cancelStatuses, 429)).toBe(limit + 29);

    // Only the one cancel spent the window: limit - 1 of limit + 30 concurrent reads are admitted.
    const req = await s.positive('balance-get');
    const answers = await Promise.all(
      Array.from({ length: limit + 30 }, () => s.send(structuredClone(req))),
    );
    expect(
      count(
        answers.map((r) => r.status),
        200,
      ),
    ).toBe(limit - 1);
    expect(
      count(
        answers.map((r) => r.status),
        429,
      ),
    ).toBe(31);
  });
});
