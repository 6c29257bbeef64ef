// The mock's rate limits (mock-server/core/rate-limit.ts): the route's class counted per key (or
// merchant, tenant, IP) in a window, and in the class's shorter burst window where it has one;
// over either the request is rate_limited with a Retry-After in whole seconds.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../mock-server/core/authenticate.ts';
import { Denial } from '../../../mock-server/core/deny.ts';
import { MockClock } from '../../../mock-server/core/mock-clock.ts';
import type { MockRequest } from '../../../mock-server/core/mock-types.ts';
import type { MockWorld } from '../../../mock-server/core/mock-world.ts';
import { checkRateLimit } from '../../../mock-server/core/rate-limit.ts';
import { MemoryStore, type MemoryStoreLimits } from '../../../mock-server/state/memory-store.ts';
import { StoreFullError, type KeyRecord } from '../../../mock-server/state/state-store.ts';
import {
  resolveReferences,
  type ResolvedRateLimit,
  type ResolvedRoute,
} from '../../../src/model/resolved-profile.ts';
import { builtInFixtures, resolveProfile } from '../../../src/spec/builtin-specs.ts';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const resolved = (id: string) => resolveReferences(resolveProfile(id).profile);
const luxProfile = resolved('luxcore');
const auxProfile = resolved('auxvault');

/** A fresh world of the profile: its fixtures, an empty memory store and a clock at T0. */
function worldOf(profile = luxProfile, limits: Partial<MemoryStoreLimits> = {}): MockWorld {
  const clock = new MockClock(() => T0);
  return {
    profile,
    fixtures: builtInFixtures(profile),
    store: new MemoryStore(clock, limits),
    clock,
  } as unknown as MockWorld;
}
const routeOf = (profile: typeof luxProfile, id: string): ResolvedRoute =>
  profile.routes.find((r) => r.id === id)!;
/** The route with its class's limit changed (the shape the profile resolves to). */
const withLimit = (route: ResolvedRoute, limit: Partial<ResolvedRateLimit>): ResolvedRoute => ({
  ...route,
  rateLimit: { ...route.rateLimit!, ...limit },
});

const byKey = (id: string, fields: Partial<KeyRecord> = {}): Caller => ({
  credentials: ['apiKey'],
  key: { id, value: 'v', format: 'f', type: 'secret', status: 'active', createdAt: 0, ...fields },
  keyCredential: 'apiKey',
});
const request = (remoteAddress?: string): MockRequest => ({
  method: 'GET',
  path: '/',
  pathWithQuery: '/',
  headers: {},
  body: new Uint8Array(),
  ...(remoteAddress ? { remoteAddress } : {}),
});

/** 'admitted', or the denial as `reason retry=<seconds>`. */
async function outcome(
  world: MockWorld,
  route: ResolvedRoute,
  caller: Caller,
  req = request(),
): Promise<string> {
  try {
    await checkRateLimit(world, route, req, caller);
    return 'admitted';
  } catch (e) {
    if (e instanceof Denial) return `${e.reason} retry=${e.context.retryAfterSeconds}`;
    throw e;
  }
}
/** How many of `n` requests are admitted, in order. */
async function admitted(
  world: MockWorld,
  route: ResolvedRoute,
  caller: Caller,
  n: number,
  req = request(),
): Promise<number> {
  let count = 0;
  for (let i = 0; i < n; i++)
    if ((await outcome(world, route, caller, req)) === 'admitted') count++;
  return count;
}

const standard = routeOf(luxProfile, 'payments-list'); // 100 per minute per key
const payment = routeOf(luxProfile, 'payments-create'); // 5000 per minute, burst 500 per 10 s
const paymentV2 = routeOf(luxProfile, 'payments-create-v2'); // the same `payment` class

describe('checkRateLimit', () => {
  it('admits every request of a route without a rate class, counting nothing', async () => {
    const world = worldOf(auxProfile);
    const unlimited = routeOf(auxProfile, 'accessToken');
    expect(unlimited.rateLimit).toBeUndefined();
    expect(await admitted(world, unlimited, byKey('k'), 1000)).toBe(1000);
    expect((await world.store.stats()).rateBuckets).toBe(0);
  });

  it("admits up to the class's limit in its window, then refuses the next with the wait left", async () => {
    const world = worldOf();
    expect(await admitted(world, standard, byKey('key_a'), 100)).toBe(100);
    world.clock.advance(20_500);
    // The window opened at T0: 39.5 s are left, rounded up to whole seconds.
    expect(await outcome(world, standard, byKey('key_a'))).toBe('rate_limited retry=40');
  });

  it('admits again once the clock reaches the end of the window, and not a millisecond before', async () => {
    const world = worldOf();
    expect(await admitted(world, standard, byKey('key_a'), 100)).toBe(100);
    world.clock.advance(59_999);
    expect(await outcome(world, standard, byKey('key_a'))).toBe('rate_limited retry=1');
    world.clock.advance(1);
    expect(await admitted(world, standard, byKey('key_a'), 101)).toBe(100);
  });

  it('counts each key on its own: a key at its limit does not refuse another', async () => {
    const world = worldOf();
    expect(await admitted(world, standard, byKey('key_a'), 101)).toBe(100);
    expect(await outcome(world, standard, byKey('key_b'))).toBe('admitted');
  });

  it('counts per class: routes of one class share a count, another class has its own', async () => {
    const world = worldOf();
    const small = { limit: 3, burst: undefined };
    expect(await admitted(world, withLimit(payment, small), byKey('key_a'), 2)).toBe(2);
    expect(await admitted(world, withLimit(paymentV2, small), byKey('key_a'), 2)).toBe(1);
    // The standard class of the same key is untouched.
    expect(await admitted(world, standard, byKey('key_a'), 100)).toBe(100);
  });

  it('refuses past the burst within its short window, with the burst window’s wait', async () => {
    const world = worldOf();
    expect(await admitted(world, payment, byKey('key_a'), 501)).toBe(500);
    world.clock.advance(2_000);
    expect(await outcome(world, payment, byKey('key_a'))).toBe('rate_limited retry=8');
    world.clock.advance(8_000);
    expect(await admitted(world, payment, byKey('key_a'), 501)).toBe(500);
  });

  it('refuses on the long window once it is spent, though the burst window has room', async () => {
    const world = worldOf();
    const route = withLimit(payment, { limit: 4, burst: { limit: 3, windowSeconds: 10 } });
    expect(await admitted(world, route, byKey('key_a'), 5)).toBe(3);
    world.clock.advance(10_000);
    // One more fits the minute; then the wait is the minute's (50 s), not the burst's.
    expect(await admitted(world, route, byKey('key_a'), 5)).toBe(1);
    expect(await outcome(world, route, byKey('key_a'))).toBe('rate_limited retry=50');
  });

  it('does not count a refused request: waiting out the burst leaves the minute where it was', async () => {
    const world = worldOf();
    const route = withLimit(payment, { limit: 6, burst: { limit: 2, windowSeconds: 10 } });
    expect(await admitted(world, route, byKey('key_a'), 50)).toBe(2);
    world.clock.advance(10_000);
    expect(await admitted(world, route, byKey('key_a'), 50)).toBe(2);
    world.clock.advance(10_000);
    expect(await admitted(world, route, byKey('key_a'), 50)).toBe(2);
  });

  it('gives a count back through refund, for a request refused after it was admitted', async () => {
    const world = worldOf();
    const route = withLimit(standard, { limit: 1 });
    const first = await checkRateLimit(world, route, request(), byKey('key_a'));
    expect(await outcome(world, route, byKey('key_a'))).toMatch(/^rate_limited/);
    await first.refund();
    expect(await outcome(world, route, byKey('key_a'))).toBe('admitted');
    expect(await outcome(world, route, byKey('key_a'))).toMatch(/^rate_limited/);
  });

  it('counts a session or a JWT by its subject, and callers with no identity together', async () => {
    const world = worldOf();
    const route = withLimit(standard, { limit: 1 });
    const jwt = (sub?: string): Caller => ({
      credentials: ['bearer'],
      jwt: { credential: 'bearer', claims: sub ? { sub } : {}, bindings: {} },
    });
    expect(await outcome(world, route, jwt('user-1'))).toBe('admitted');
    expect(await outcome(world, route, jwt('user-1'))).toMatch(/^rate_limited/);
    expect(await outcome(world, route, jwt('user-2'))).toBe('admitted');
    expect(await outcome(world, route, jwt())).toBe('admitted');
    expect(await outcome(world, route, { credentials: [] })).toMatch(/^rate_limited/);
  });

  it('counts per IP address when the class is per ip, whatever key the caller holds', async () => {
    const world = worldOf();
    const route = withLimit(standard, { per: 'ip', limit: 2 });
    const from = (ip: string) => request(ip);
    expect(await outcome(world, route, byKey('key_a'), from('198.51.100.1'))).toBe('admitted');
    expect(await outcome(world, route, byKey('key_b'), from('198.51.100.1'))).toBe('admitted');
    expect(await outcome(world, route, byKey('key_c'), from('198.51.100.1'))).toMatch(
      /^rate_limited/,
    );
    expect(await outcome(world, route, byKey('key_a'), from('198.51.100.2'))).toBe('admitted');
  });

  it("counts per merchant or tenant by the caller's bindings, keys of one merchant together", async () => {
    const world = worldOf(auxProfile);
    const transaction = routeOf(auxProfile, 'transaction');
    const perMerchant = withLimit(transaction, { per: 'merchant', limit: 1 });
    const m901 = (id: string) => byKey(id, { merchant: 'merchant-901' });
    expect(await outcome(world, perMerchant, m901('key_a'))).toBe('admitted');
    expect(await outcome(world, perMerchant, m901('key_b'))).toMatch(/^rate_limited/);
    expect(await outcome(world, perMerchant, byKey('key_c', { merchant: 'merchant-456' }))).toBe(
      'admitted',
    );
    // merchant-901 belongs to this tenant in the fixtures: a tenant-wide key shares its count.
    const perTenant = withLimit(transaction, { per: 'tenant', limit: 1 });
    expect(await outcome(world, perTenant, m901('key_a'))).toBe('admitted');
    const tenantWide = byKey('key_d', { tenant: '550e8400-e29b-41d4-a716-446655440000' });
    expect(await outcome(world, perTenant, tenantWide)).toMatch(/^rate_limited/);
  });

  it('fails closed when the store holds its most windows: refused, and no held count is dropped', async () => {
    const world = worldOf(luxProfile, { maxRateBuckets: 2 });
    const route = withLimit(standard, { limit: 1 });
    expect(await outcome(world, route, byKey('key_a'))).toBe('admitted');
    expect(await outcome(world, route, byKey('key_b'))).toBe('admitted');
    const third = checkRateLimit(world, route, request(), byKey('key_c'));
    await expect(third).rejects.toBeInstanceOf(StoreFullError);
    await expect(third).rejects.toMatchObject({ retryAfterMs: 60_000 });
    // key_a's spent window was not evicted to make room.
    expect(await outcome(world, route, byKey('key_a'))).toMatch(/^rate_limited/);
    world.clock.advance(60_000);
    expect(await outcome(world, route, byKey('key_c'))).toBe('admitted');
  });
});
