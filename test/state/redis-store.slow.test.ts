/**
 * The Redis store against a real redis-server: the same contract as the in-memory store, and
 * what only a shared store must do: two clients on one prefix agree (one nonce admitted, one
 * rate limit counted), the world is seeded once and reset in one step with the shared clock, a
 * Redis that may evict or has run out of memory is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@redis/client';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import { connectRedisStore, type RedisStore } from '../../mock-server/state/redis-store.ts';
import {
  HAS_REDIS,
  NEEDS_REDIS,
  startRedisServer,
  type RedisServer,
} from '../support/redis-server.ts';
import { fixedClock, keyRecord, storeContract } from './store-contract.ts';

let redis: RedisServer;
const opened: RedisStore[] = [];
let n = 0;

async function open(clock: MockClock, prefix = `t${++n}`): Promise<RedisStore> {
  const store = await connectRedisStore({ url: redis.url, prefix, clock });
  opened.push(store);
  return store;
}

/** Runs a command on the test's Redis directly (CONFIG SET). */
async function redisCommand(...args: string[]): Promise<unknown> {
  const c = createClient({ url: redis.url });
  await c.connect();
  try {
    return await c.sendCommand(args);
  } finally {
    await c.close();
  }
}

describe.skipIf(!HAS_REDIS)(`the Redis store${NEEDS_REDIS}`, () => {
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await redis?.stop();
  });

  describe('keeps the state store contract', () => {
    storeContract((clock) => open(clock));
  });

  it('admits a nonce through exactly one of two mocks sharing the prefix', async () => {
    const { clock } = fixedClock();
    const [a, b] = [await open(clock, 'shared-nonce'), await open(clock, 'shared-nonce')];
    const verdicts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).rememberNonce('key:1', 'same-nonce', 300_000, 100),
      ),
    );
    expect(verdicts.filter((v) => v === 'fresh')).toHaveLength(1);
  });

  it('counts one rate window over two mocks, and keeps prefixes apart', async () => {
    const { clock } = fixedClock();
    const [a, b] = [await open(clock, 'shared-rate'), await open(clock, 'shared-rate')];
    const other = await open(clock, 'shared-rate2');
    const w = [{ bucket: 'key:1', limit: 5, windowMs: 60_000 }];
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).consumeRate(w)),
    );
    expect(all.filter((d) => d.allowed)).toHaveLength(5);
    expect((await other.consumeRate(w)).allowed).toBe(true);
    await other.clear();
    expect((await a.consumeRate(w)).allowed).toBe(false);
  });

  it('seeds a world once, joins it on restart, refuses another world, and resets it with the clock', async () => {
    const { clock } = fixedClock();
    const a = await open(clock, 'world');
    await a.shared.seedOnce('world 1', [keyRecord('k1')]);
    await a.putKey(keyRecord('created'));
    expect(await a.shared.advanceClock(60_000, 10 ** 12)).toBe(60_000);
    const restarted = await open(new MockClock(), 'world');
    await restarted.shared.seedOnce('world 1', [keyRecord('k1')]);
    expect((await restarted.listKeys()).map((k) => k.id)).toEqual(['k1', 'created']);
    expect(await restarted.shared.clockOffset()).toBe(60_000);
    await expect(restarted.shared.seedOnce('world 2', [])).rejects.toThrow(
      'the Redis prefix "world" holds another mock world (world 1), not world 2',
    );
    expect(await a.shared.advanceClock(10 ** 12, 10 ** 12)).toBeUndefined();
    await restarted.shared.reseed('world 1', [keyRecord('k1')]);
    expect((await a.listKeys()).map((k) => k.id)).toEqual(['k1']);
    expect(await a.shared.clockOffset()).toBe(0);
  });

  it('refuses a Redis whose maxmemory-policy may evict, naming the setting to use', async () => {
    const { clock } = fixedClock();
    for (const policy of ['allkeys-lru', 'volatile-ttl']) {
      await redisCommand('CONFIG', 'SET', 'maxmemory-policy', policy);
      try {
        await expect(open(clock)).rejects.toThrow(
          `has maxmemory-policy ${policy}: it may evict a nonce or a rate window inside its window (a replay admitted, a limit reset). Set maxmemory-policy noeviction`,
        );
      } finally {
        await redisCommand('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      }
    }
  });

  it('refuses new work when Redis is out of memory, keeping what it holds', async () => {
    const { clock } = fixedClock();
    const store = await open(clock);
    expect(await store.rememberNonce('m', 'n-000001', 300_000, 10)).toBe('fresh');
    await redisCommand('CONFIG', 'SET', 'maxmemory', '1');
    try {
      await expect(store.rememberNonce('m', 'n-000002', 300_000, 10)).rejects.toMatchObject({
        name: 'StoreFullError',
      });
      await expect(
        store.consumeRate([{ bucket: 'b', limit: 1, windowMs: 1_000 }]),
      ).rejects.toMatchObject({ name: 'StoreFullError' });
    } finally {
      await redisCommand('CONFIG', 'SET', 'maxmemory', '0');
    }
    expect(await store.rememberNonce('m', 'n-000001', 300_000, 10)).toBe('replay');
  });

  it('says which URL is wrong or does not answer, password masked', async () => {
    const { clock } = fixedClock();
    const url = (u: string) => connectRedisStore({ url: u, prefix: 'x', clock });
    await expect(url('http://127.0.0.1:6379')).rejects.toThrow(
      '"http://127.0.0.1:6379" is not a Redis URL (http:): redis://HOST:6379[/DB]',
    );
    await expect(url('redis://127.0.0.1:6379/zero')).rejects.toThrow(
      'the path must be a database number (/0, /1, ...), got "/zero"',
    );
    const refused = url(`redis://user:hunter2-secret-9876@127.0.0.1:${redis.port + 1}/0`);
    await expect(refused).rejects.toThrow(
      `no Redis answered at redis://user:****9876@127.0.0.1:${redis.port + 1}/0`,
    );
  });
});
