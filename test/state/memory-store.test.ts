import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../mock-server/state/memory-store.ts';
import { fixedClock, keyRecord, storeContract } from './store-contract.ts';

describe('the in-memory store keeps the state store contract', () => {
  storeContract(async (clock) => new MemoryStore(clock));
});

describe('the keys the in-memory store hands out', () => {
  it('are frozen: a change in place throws, and the value index answers as stored', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
    await store.putKey(
      keyRecord('k1', { value: 'sk.new', previous: [{ value: 'sk.old', retiresAt: 9 }] }),
    );
    const held = (await store.getKey('k1'))!;
    expect(() => {
      (held as { value: string }).value = 'sk.changed';
    }).toThrow(TypeError);
    expect(() => {
      held.previous![0]!.retiresAt = 99;
    }).toThrow(TypeError);
    expect((await store.findKeyByValue('sk.new'))?.key.value).toBe('sk.new');
    expect((await store.findKeyByValue('sk.old'))?.previousRetiresAt).toBe(9);
    // The record put is the caller's still: the store froze its own copy.
    const mine = keyRecord('k2');
    await store.putKey(mine);
    mine.value = 'v-changed';
    expect((await store.findKeyByValue('v-k2'))?.key.id).toBe('k2');
  });
});

describe('the bounded in-memory store', () => {
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

  it("frees a full identity's room one nonce at a time, as each of its oldest expires", async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
    const remember = (nonce: string) => store.rememberNonce('merchant:1', nonce, 300_000, 3);
    for (const n of ['n-1', 'n-2', 'n-3']) {
      expect(await remember(n)).toBe('fresh');
      clock.advance(10_000);
    }
    expect(await remember('n-4')).toEqual({ full: 'scope', max: 3, retryAfterMs: 270_000 });
    clock.advance(270_000); // n-1 expires, n-2 and n-3 do not
    expect(await remember('n-1')).toBe('fresh'); // expired: no longer a replay
    expect(await remember('n-4')).toEqual({ full: 'scope', max: 3, retryAfterMs: 10_000 });
    expect(await remember('n-3')).toBe('replay');
    clock.advance(10_000); // n-2 expires
    expect(await remember('n-4')).toBe('fresh');
    expect(await remember('n-5')).toMatchObject({ full: 'scope' });
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
