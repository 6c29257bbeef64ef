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
    expect(await store.rememberNonce('merchant:1', 'abcdefgh', 300_000)).toBe(true);
    expect(await store.rememberNonce('merchant:1', 'abcdefgh', 300_000)).toBe(false);
    expect(await store.rememberNonce('merchant:2', 'abcdefgh', 300_000)).toBe(true);
    clock.advance(300_001);
    expect(await store.rememberNonce('merchant:1', 'abcdefgh', 300_000)).toBe(true);
  });

  it('stays within its nonce bound under a flood of unique nonces', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock, { maxNonces: 5_000 });
    for (let i = 0; i < 60_000; i++) await store.rememberNonce('merchant:1', `nonce-${i}`, 300_000);
    const { nonces } = await store.stats();
    expect(nonces).toBe(5_000);
    // The newest are the ones remembered: a replay of a recent nonce is still caught.
    expect(await store.rememberNonce('merchant:1', 'nonce-59999', 300_000)).toBe(false);
  });

  it('forgets nonces and rate windows once their time has passed', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
    for (let i = 0; i < 1_000; i++) await store.rememberNonce('m', `n${i}`, 300_000);
    await store.consumeRate('key:a', 10, 60_000);
    expect((await store.stats()).nonces).toBe(1_000);
    clock.advance(301_000);
    const after = await store.stats();
    expect(after.nonces).toBe(0);
    expect(after.rateBuckets).toBe(0);
  });

  it('counts a fixed window and says how long to wait', async () => {
    const { clock } = fixedClock();
    const store = new MemoryStore(clock);
    for (let i = 0; i < 3; i++)
      expect((await store.consumeRate('key:a', 3, 60_000)).allowed).toBe(true);
    const refused = await store.consumeRate('key:a', 3, 60_000);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 60_000 });
    clock.advance(20_000);
    expect((await store.consumeRate('key:a', 3, 60_000)).retryAfterMs).toBe(40_000);
    expect((await store.consumeRate('key:b', 3, 60_000)).allowed).toBe(true);
    clock.advance(40_000);
    expect((await store.consumeRate('key:a', 3, 60_000)).allowed).toBe(true);
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
