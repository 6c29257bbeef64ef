import { describe, expect, it } from 'vitest';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import { MemoryStore } from '../../mock-server/state/memory-store.ts';

function fixedClock() {
  let t = Date.parse('2026-06-01T00:00:00Z');
  const clock = new MockClock(() => t);
  return { clock, tick: (ms: number) => (t += ms) };
}

describe('the bounded in-memory store', () => {
  it('rejects a nonce reused inside its window and accepts it after', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
    const remember = (scope: string, nonce: string) =>
      store.rememberNonce(scope, nonce, 300_000, 1_000);
    expect(await remember('merchant:1', 'abcdefgh')).toBe('fresh');
    expect(await remember('merchant:1', 'abcdefgh')).toBe('replay');
    expect(await remember('merchant:2', 'abcdefgh')).toBe('fresh');
    clock.advance(300_001);
    expect(await remember('merchant:1', 'abcdefgh')).toBe('fresh');
  });

  it("refuses a flood past an identity's bound, keeps every nonce inside its window, and frees room as the oldest expires", async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock, { maxNonces: 200 });
    expect(await store.rememberNonce('merchant:victim', 'victim-nonce', 300_000, 50)).toBe('fresh');
    clock.advance(1_000);
    const verdicts = [];
    for (let i = 0; i < 5_000; i++)
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

  it('refuses a new nonce once the store holds its overall bound, whoever signs it', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock, { maxNonces: 200 });
    for (let m = 0; m < 4; m++) {
      for (let i = 0; i < 50; i++)
        expect(await store.rememberNonce(`key:${m}`, `n-${i}`, 300_000, 50)).toBe('fresh');
      clock.advance(10_000);
    }
    expect(await store.rememberNonce('key:other', 'n-0', 300_000, 50)).toEqual({
      full: 'store',
      max: 200,
      retryAfterMs: 260_000,
    });
    expect(await store.rememberNonce('key:0', 'n-0', 300_000, 50)).toBe('replay');
    clock.advance(260_000); // key:0's nonces expire
    expect(await store.rememberNonce('key:other', 'n-0', 300_000, 50)).toBe('fresh');
    expect((await store.stats()).nonces).toBe(151);
  });

  it("a configured per-identity bound replaces the caller's", async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock, { maxNoncesPerScope: 2 });
    expect(await store.rememberNonce('m', 'n-000001', 300_000, 1_000)).toBe('fresh');
    expect(await store.rememberNonce('m', 'n-000002', 300_000, 1_000)).toBe('fresh');
    expect(await store.rememberNonce('m', 'n-000003', 300_000, 1_000)).toMatchObject({
      full: 'scope',
      max: 2,
    });
  });

  it('forgets nonces and rate windows once their time has passed', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
    for (let i = 0; i < 1_000; i++) await store.rememberNonce('m', `n${i}`, 300_000, 1_000);
    await store.consumeRate([{ bucket: 'key:a', limit: 10, windowMs: 60_000 }]);
    expect((await store.stats()).nonces).toBe(1_000);
    clock.advance(301_000);
    const after = await store.stats();
    expect(after.nonces).toBe(0);
    expect(after.rateBuckets).toBe(0);
  });

  it('counts a fixed window and says how long to wait', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
    const consume = (bucket: string) => store.consumeRate([{ bucket, limit: 3, windowMs: 60_000 }]);
    for (let i = 0; i < 3; i++) expect((await consume('key:a')).allowed).toBe(true);
    expect(await consume('key:a')).toEqual({ allowed: false, retryAfterMs: 60_000 });
    clock.advance(20_000);
    expect(await consume('key:a')).toEqual({ allowed: false, retryAfterMs: 40_000 });
    expect((await consume('key:b')).allowed).toBe(true);
    clock.advance(40_000);
    expect((await consume('key:a')).allowed).toBe(true);
  });

  it('counts a request refused by one window in none (a burst refusal does not spend the minute)', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
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

  it('gives back a refunded count, but not into a window that has since restarted', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
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

  it('refuses rate windows and tokens beyond their bound until one expires, never evicting', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock, { maxRateBuckets: 2, maxTokens: 1 });
    const w = (bucket: string, windowMs: number) => [{ bucket, limit: 1, windowMs }];
    expect((await store.consumeRate(w('a', 60_000))).allowed).toBe(true);
    expect((await store.consumeRate(w('b', 10_000))).allowed).toBe(true);
    await expect(store.consumeRate(w('c', 60_000))).rejects.toMatchObject({
      name: 'StoreFullError',
      retryAfterMs: 10_000,
    });
    // 'a' is still spent: a flood of buckets did not reset it.
    expect((await store.consumeRate(w('a', 60_000))).allowed).toBe(false);
    clock.advance(10_000);
    expect((await store.consumeRate(w('c', 60_000))).allowed).toBe(true);

    const now = clock.now();
    const token = (t: string) => ({
      kind: 'refresh' as const,
      token: t,
      expiresAt: now + 1_000,
      keepUntil: now + 5_000,
      subject: 'u',
    });
    await store.putToken(token('t1'));
    await expect(store.putToken(token('t2'))).rejects.toThrow('the mock holds at most 1 tokens');
    expect(await store.getToken('t1')).toBeDefined();
    clock.advance(5_000);
    await store.putToken(token('t2'));
  });

  it('finds a key by its value, an earlier secret until it retires, and nothing for a near miss', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
    const key = {
      id: 'k1',
      value: 'sk_abc.secret-new',
      format: 'f',
      type: 'secret',
      status: 'active' as const,
      createdAt: 0,
      previous: [{ value: 'sk_abc.secret-old', retiresAt: 1000 }],
    };
    await store.putKey(key);
    expect((await store.findKeyByValue('sk_abc.secret-new'))?.key.id).toBe('k1');
    expect((await store.findKeyByValue('sk_abc.secret-old'))?.previousRetiresAt).toBe(1000);
    expect(await store.findKeyByValue('sk_abc.secret-nex')).toBeUndefined();
    await store.putKey({ ...key, previous: [] });
    expect(await store.findKeyByValue('sk_abc.secret-old')).toBeUndefined();
  });

  it('refuses keys beyond its bound instead of growing', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock, { maxKeys: 2 });
    const k = (id: string) => ({
      id,
      value: `v-${id}`,
      format: 'f',
      type: 't',
      status: 'active' as const,
      createdAt: 0,
    });
    await store.putKey(k('a'));
    await store.putKey(k('b'));
    await expect(store.putKey(k('c'))).rejects.toThrow('the mock holds at most 2 keys');
    await store.putKey({ ...k('a'), status: 'revoked' }); // replacing is fine
  });
});
