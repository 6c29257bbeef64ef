/**
 * What every state store must do (mock-server/state/state-store.ts), run on each store: the
 * in-memory one (memory-store.test.ts) and Redis (redis-store.slow.test.ts). Each test gets a
 * new, empty store on a clock it moves.
 */
import { expect, it } from 'vitest';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import type { KeyRecord, StateStore } from '../../mock-server/state/state-store.ts';

export type MakeStore = (clock: MockClock) => Promise<StateStore>;

export function fixedClock() {
  let t = Date.parse('2026-06-01T00:00:00Z');
  const clock = new MockClock(() => t);
  return { clock, tick: (ms: number) => (t += ms) };
}

export function storeContract(make: MakeStore): void {
  const fresh = async () => {
    const { clock } = fixedClock();
    return { clock, store: await make(clock) };
  };

  it('rejects a nonce reused inside its window and accepts it after', async () => {
    const { clock, store } = await fresh();
    const remember = (scope: string, nonce: string) =>
      store.rememberNonce(scope, nonce, 300_000, 1_000);
    expect(await remember('merchant:1', 'abcdefgh')).toBe('fresh');
    expect(await remember('merchant:1', 'abcdefgh')).toBe('replay');
    expect(await remember('merchant:2', 'abcdefgh')).toBe('fresh');
    clock.advance(300_001);
    expect(await remember('merchant:1', 'abcdefgh')).toBe('fresh');
  });

  it("refuses a flood past an identity's bound, keeps every nonce inside its window, and frees room as the oldest expires", async () => {
    const { clock, store } = await fresh();
    expect(await store.rememberNonce('merchant:victim', 'victim-nonce', 300_000, 50)).toBe('fresh');
    clock.advance(1_000);
    const verdicts = [];
    for (let i = 0; i < 200; i++)
      verdicts.push(await store.rememberNonce('merchant:flood', `nonce-${i}`, 300_000, 50));
    expect(verdicts.filter((v) => v === 'fresh')).toHaveLength(50);
    expect(verdicts[50]).toEqual({ full: 'scope', max: 50, retryAfterMs: 300_000 });
    expect((await store.stats()).nonces).toBe(51);
    // Nothing was forgotten: the victim's nonce and the flood's first are still replays.
    expect(await store.rememberNonce('merchant:victim', 'victim-nonce', 300_000, 50)).toBe(
      'replay',
    );
    expect(await store.rememberNonce('merchant:flood', 'nonce-0', 300_000, 50)).toBe('replay');
    clock.advance(300_000);
    expect(await store.rememberNonce('merchant:flood', 'nonce-new', 300_000, 50)).toBe('fresh');
  });

  it('forgets nonces and rate windows once their time has passed', async () => {
    const { clock, store } = await fresh();
    for (let i = 0; i < 100; i++) await store.rememberNonce('m', `n${i}`, 300_000, 1_000);
    await store.consumeRate([{ bucket: 'key:a', limit: 10, windowMs: 60_000 }]);
    expect((await store.stats()).nonces).toBe(100);
    expect((await store.stats()).rateBuckets).toBe(1);
    clock.advance(301_000);
    const after = await store.stats();
    expect(after.nonces).toBe(0);
    expect(after.rateBuckets).toBe(0);
  });

  it('counts a fixed window and says how long to wait', async () => {
    const { clock, store } = await fresh();
    const consume = (bucket: string) => store.consumeRate([{ bucket, limit: 3, windowMs: 60_000 }]);
    for (let i = 0; i < 3; i++) expect((await consume('key:a')).allowed).toBe(true);
    expect(await consume('key:a')).toEqual({ allowed: false, retryAfterMs: 60_000 });
    clock.advance(20_000);
    expect(await consume('key:a')).toEqual({ allowed: false, retryAfterMs: 40_000 });
    expect((await consume('key:b')).allowed).toBe(true);
    clock.advance(40_000);
    expect((await consume('key:a')).allowed).toBe(true);
  });

  it('counts an aligned window from the last whole multiple of its length: it ends at the next, however late it was opened', async () => {
    const { clock, store } = await fresh();
    // The fixed clock starts at a whole minute: 50 s into it, the window has 10 s left.
    clock.advance(50_000);
    const w = [{ bucket: 'key:a', limit: 2, windowMs: 60_000, aligned: true }];
    const first = await store.consumeRate(w);
    expect(first).toEqual({
      allowed: true,
      grant: [{ bucket: 'key:a', windowStart: Date.parse('2026-06-01T00:00:00Z') }],
    });
    expect((await store.consumeRate(w)).allowed).toBe(true);
    expect(await store.consumeRate(w)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    // At the top of the minute the count starts again (a window counted from the first request
    // would hold for 50 s more).
    clock.advance(10_000);
    expect((await store.consumeRate(w)).allowed).toBe(true);
    expect((await store.consumeRate(w)).allowed).toBe(true);
    expect(await store.consumeRate(w)).toEqual({ allowed: false, retryAfterMs: 60_000 });
    // The refund of a grant of the window before gives nothing back into this one.
    await store.refundRate(first.allowed ? first.grant : []);
    expect((await store.consumeRate(w)).allowed).toBe(false);
  });

  it('counts a request refused by one window in none (a burst refusal does not spend the minute)', async () => {
    const { clock, store } = await fresh();
    const windows = [
      { bucket: 'min', limit: 5, windowMs: 60_000 },
      { bucket: 'burst', limit: 2, windowMs: 10_000 },
    ];
    const admitted = async () => {
      let n = 0;
      for (let i = 0; i < 10; i++) if ((await store.consumeRate(windows)).allowed) n++;
      return n;
    };
    expect(await admitted()).toBe(2);
    clock.advance(10_000);
    expect(await admitted()).toBe(2);
    clock.advance(10_000);
    // 4 admitted so far in the minute: one more, and the wait is the minute's, not the burst's.
    expect(await admitted()).toBe(1);
    expect(await store.consumeRate(windows)).toEqual({ allowed: false, retryAfterMs: 40_000 });
  });

  it('admits exactly the limit of concurrent requests for one window', async () => {
    const { store } = await fresh();
    const w = [{ bucket: 'key:a', limit: 7, windowMs: 60_000 }];
    const all = await Promise.all(Array.from({ length: 30 }, () => store.consumeRate(w)));
    expect(all.filter((d) => d.allowed)).toHaveLength(7);
  });

  it('gives back a refunded count, but not into a window that has since restarted', async () => {
    const { clock, store } = await fresh();
    const w = [{ bucket: 'key:a', limit: 1, windowMs: 60_000 }];
    const first = await store.consumeRate(w);
    if (!first.allowed) throw new Error('first refused');
    expect((await store.consumeRate(w)).allowed).toBe(false);
    await store.refundRate(first.grant);
    const second = await store.consumeRate(w);
    expect(second.allowed).toBe(true);
    clock.advance(60_000);
    expect((await store.consumeRate(w)).allowed).toBe(true); // the new window's one request
    await store.refundRate(second.allowed ? second.grant : []); // an old window's grant
    expect((await store.consumeRate(w)).allowed).toBe(false);
  });

  it('finds a key by its value, an earlier secret until it retires, and nothing for a near miss', async () => {
    const { store } = await fresh();
    const key = keyRecord('k1', {
      value: 'sk_abc.secret-new',
      previous: [
        { value: 'sk_abc.secret-old', retiresAt: 1000 },
        { value: 'sk_abc.secret-mid', retiresAt: 2000 },
      ],
    });
    await store.putKey(key);
    const current = await store.findKeyByValue('sk_abc.secret-new');
    expect(current?.key.id).toBe('k1');
    expect(current?.previousRetiresAt).toBeUndefined();
    expect((await store.findKeyByValue('sk_abc.secret-old'))?.previousRetiresAt).toBe(1000);
    expect((await store.findKeyByValue('sk_abc.secret-mid'))?.previousRetiresAt).toBe(2000);
    expect(await store.findKeyByValue('sk_abc.secret-nex')).toBeUndefined();
    await store.putKey({ ...key, previous: [] });
    expect(await store.findKeyByValue('sk_abc.secret-old')).toBeUndefined();
  });

  it('lists keys in the order they were first stored, a replaced key in its place', async () => {
    const { store } = await fresh();
    for (const id of ['b', 'a', 'c']) await store.putKey(keyRecord(id));
    await store.putKey(keyRecord('a', { status: 'revoked', revokedAt: 5 }));
    expect((await store.listKeys()).map((k) => [k.id, k.status])).toEqual([
      ['b', 'active'],
      ['a', 'revoked'],
      ['c', 'active'],
    ]);
    expect(await store.getKey('a')).toMatchObject({ status: 'revoked', revokedAt: 5 });
    expect(await store.getKey('nope')).toBeUndefined();
  });

  it('spends a refresh token once, of many concurrent spends, and drops it after its keep time', async () => {
    const { clock, store } = await fresh();
    const now = clock.now();
    await store.putToken({
      kind: 'refresh',
      token: 'rt_1',
      expiresAt: now + 1_000,
      keepUntil: now + 5_000,
      subject: 'u1',
      scopes: [],
    });
    const before = await Promise.all(Array.from({ length: 10 }, () => store.spendToken('rt_1')));
    expect(before.filter((t) => t && !t.spent)).toHaveLength(1);
    expect(await store.getToken('rt_1')).toMatchObject({ spent: true, subject: 'u1', scopes: [] });
    expect(await store.spendToken('nope')).toBeUndefined();
    clock.advance(5_000);
    expect(await store.getToken('rt_1')).toBeUndefined();
    expect(await store.spendToken('rt_1')).toBeUndefined();
  });

  it('uses a record up once, of two concurrent cancels', async () => {
    const { store } = await fresh();
    const seed = { id: 'pay_1', status: 'active' as const, fields: { amount: 100, tags: [] } };
    const both = await Promise.all([
      store.useUpRecord('pay_1', 'consumed', seed),
      store.useUpRecord('pay_1', 'consumed', seed),
    ]);
    expect(both.sort()).toEqual([false, true]);
    expect(await store.getRecord('pay_1')).toEqual({ ...seed, status: 'consumed' });
    await store.putRecord({ id: 'wh_1', resource: 'webhook', status: 'active' });
    expect(await store.useUpRecord('wh_1', 'deleted', seed)).toBe(true);
    expect(await store.getRecord('wh_1')).toEqual({
      id: 'wh_1',
      resource: 'webhook',
      status: 'deleted',
    });
    expect(await store.getRecord('nope')).toBeUndefined();
  });

  it('forgets everything on clear', async () => {
    const { clock, store } = await fresh();
    await store.putKey(keyRecord('a'));
    await store.putRecord({ id: 'r', status: 'active' });
    await store.rememberNonce('m', 'n-000001', 300_000, 10);
    await store.consumeRate([{ bucket: 'b', limit: 1, windowMs: 60_000 }]);
    const now = clock.now();
    await store.putToken({
      kind: 'session',
      token: 't',
      expiresAt: now + 1_000,
      keepUntil: now + 1_000,
      subject: 'a',
    });
    expect(await store.stats()).toEqual({
      keys: 1,
      tokens: 1,
      nonces: 1,
      rateBuckets: 1,
      records: 1,
    });
    await store.clear();
    expect(await store.stats()).toEqual({
      keys: 0,
      tokens: 0,
      nonces: 0,
      rateBuckets: 0,
      records: 0,
    });
    expect(await store.findKeyByValue('v-a')).toBeUndefined();
    expect(await store.rememberNonce('m', 'n-000001', 300_000, 10)).toBe('fresh');
  });
}

export function keyRecord(id: string, over: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id,
    value: `v-${id}`,
    format: 'f',
    type: 'secret',
    status: 'active',
    createdAt: 0,
    ...over,
  };
}
