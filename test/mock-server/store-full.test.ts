/**
 * Issue 12, item 1 (every store): a full store refuses new work with a documented 429 and
 * Retry-After (the profile's rate_limited, or `mock_store_full` for a profile without one),
 * never a 500, and never by forgetting what it holds. Limits are injected small.
 */
import { describe, expect, it } from 'vitest';
import { mockSession } from '../support/mock-session.ts';

describe('a full mock store', () => {
  it("answers the key past the store's bound with the profile's 429 and keeps every key it holds", async () => {
    const fixtureKeys = (await mockSession('gateway')).mock.world.fixtures.keys.length;
    const s = await mockSession('gateway', { storeLimits: { maxKeys: fixtureKeys + 2 } });
    const create = async () => s.send(await s.positive('createApiKey'));
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    const refused = await create();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(s.profile.errors[s.profile.denials.rate_limited as string]!.body);
    expect(refused.headers['retry-after']).toBe('60');
    expect((await s.mock.world.store.stats()).keys).toBe(fixtureKeys + 2);
    // Every key still works: nothing was evicted to make room.
    expect((await s.send(await s.positive('listApiKeys'))).status).toBe(200);
  });

  it('answers a session token past the bound with 429 until one expires', async () => {
    const s = await mockSession('vaulera', { storeLimits: { maxTokens: 2 } });
    const issue = async () => s.send(await s.positive('createSessionToken'));
    expect((await issue()).status).toBe(200);
    expect((await issue()).status).toBe(200);
    const refused = await issue();
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    s.mock.world.clock.advance(wait * 1000);
    expect((await issue()).status).toBe(200);
  });

  it('answers 429 mock_store_full for a profile that has no rate-limit denial', async () => {
    const base = await mockSession('gateway');
    const profile = structuredClone(base.profile);
    delete profile.denials.rate_limited;
    for (const r of profile.routes) delete r.rateClass;
    delete profile.rateLimits;
    const s = await mockSession(profile, {
      storeLimits: { maxKeys: base.mock.world.fixtures.keys.length },
    });
    const refused = await s.send(await s.positive('createApiKey'));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body).toEqual({
      error: 'mock_store_full',
      message: `the mock holds at most ${base.mock.world.fixtures.keys.length} keys`,
    });
  });
});
