/**
 * The state store several mock replicas share: Redis, through node-redis (@redis/client, the
 * client Redis itself maintains; no dependencies of its own). Every step that must be one step
 * for all replicas is one Lua script (redis-scripts.ts): a nonce is admitted by one replica, a
 * rate window's last slot goes to one request, a record is used up once, a refresh token is
 * spent once. The clock's offset and the seeded world live in the store too (`shared`).
 *
 * Nothing is forgotten inside its window: entries carry their own expiry, and the store refuses
 * a Redis that may evict (`maxmemory-policy` other than `noeviction`): an evicted nonce is a
 * replay admitted, an evicted rate window a limit reset. A Redis out of memory refuses new work
 * (StoreFullError: the mock answers 429), as the bounded memory store does.
 */
import { createHash } from 'node:crypto';
import { createClient, type RedisArgument } from '@redis/client';
import type { Clock } from '../core/mock-types.ts';
import { digest, matchOf } from './memory-store.ts';
import * as lua from './redis-scripts.ts';
import { checkRedisUrl, maskUrl, RedisStoreError } from './redis-url.ts';

export { RedisStoreError };
import {
  StoreFullError,
  type IssuedToken,
  type KeyMatch,
  type KeyRecord,
  type NonceVerdict,
  type RateDecision,
  type RateGrant,
  type RateWindow,
  type RecordState,
  type SharedWorld,
  type StateStore,
  type StoreStats,
} from './state-store.ts';

type Client = ReturnType<typeof openClient>;
type Reply = string | number | null | Reply[];

export interface RedisStoreOptions {
  /** redis://[user:password@]host:port[/db] or rediss://... */
  url: string;
  /** Every key of this store starts with `${prefix}:` (one prefix per mocked world). */
  prefix: string;
  /** The mock's clock: its offset follows the shared one (see `shared.clockOffset`). */
  clock: Clock;
}

/** Connects, checks Redis keeps what it is given, and answers the store. */
export async function connectRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const shown = checkRedisUrl(options.url);
  const connected = { ready: false };
  const client = openClient(options.url, connected);
  try {
    await client.connect();
  } catch (e) {
    throw new RedisStoreError(`no Redis answered at ${shown}: ${(e as Error).message}`);
  }
  connected.ready = true;
  const maxmemory = await checkEvictionPolicy(client, shown).catch(async (e: unknown) => {
    await client.close().catch(() => {});
    throw e;
  });
  return new RedisStore(client, options.prefix, options.clock, maxmemory);
}

function openClient(url: string, connected: { ready: boolean }) {
  const client = createClient({
    url,
    // Fail fast while a replica has no Redis: a request then fails instead of hanging.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 3_000,
      // At start, no Redis is an error to report; later, Redis restarting is waited out.
      reconnectStrategy: (retries, cause) =>
        connected.ready ? Math.min(50 * 2 ** retries, 2_000) : cause,
    },
  });
  client.on('error', () => {}); // each failed command says so to its caller
  return client;
}

export class RedisStore implements StateStore {
  private readonly p: string;
  private readonly pattern: string;
  readonly shared: SharedWorld;

  constructor(
    private readonly client: Client,
    prefix: string,
    private readonly clock: Clock,
    /** Redis's maxmemory (bytes; 0: none), named when it is full. */
    private readonly maxmemory = 0,
  ) {
    this.p = `${prefix}:`;
    this.pattern = `${this.p.replace(/[*?[\]\\]/g, '\\$&')}*`;
    this.shared = {
      seedOnce: async (label, keys) => {
        const held = await this.seed('start', label, keys);
        if (held !== label)
          throw new RedisStoreError(
            `the Redis prefix "${prefix}" holds another mock world (${held}), not ${label}: start every replica with the same profile and fixtures, or give this one another --store-prefix`,
          );
      },
      reseed: async (label, keys) => void (await this.seed('reset', label, keys)),
      clockOffset: async () => Number((await this.client.get(`${this.p}clock`)) ?? 0),
      advanceClock: async (ms, maxMs) => {
        const r = (await this.run(lua.ADVANCE_CLOCK, `${this.p}clock`, Math.ceil(ms), maxMs)) as [
          number,
          string,
        ];
        return r[0] === 1 ? Number(r[1]) : undefined;
      },
    };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async findKeyByValue(value: string): Promise<KeyMatch | undefined> {
    const valueDigest = digest(value);
    const json = (await this.run(lua.FIND_KEY, this.p, valueDigest)) as string | null;
    if (json === null) return undefined;
    return matchOf(JSON.parse(json) as KeyRecord, valueDigest);
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    const json = await this.client.hGet(`${this.p}key:${id}`, 'json');
    return json == null ? undefined : (JSON.parse(json) as KeyRecord);
  }

  async listKeys(): Promise<KeyRecord[]> {
    const all = (await this.run(lua.LIST_KEYS, this.p)) as string[];
    return all.map((json) => JSON.parse(json) as KeyRecord);
  }

  async putKey(key: KeyRecord): Promise<void> {
    await this.run(lua.PUT_KEY, this.p, key.id, ...keyArgs(key).slice(1));
  }

  async putToken(token: IssuedToken): Promise<void> {
    const k = `${this.p}tok:${digest(token.token)}`;
    const { spent, ...rest } = token;
    await this.guard(() =>
      this.client
        .multi()
        .del(k)
        .hSet(k, {
          json: JSON.stringify(rest),
          keep: String(token.keepUntil),
          ...(spent ? { spent: '1' } : {}),
        })
        .pExpire(k, ttl(token.keepUntil, this.clock.now()))
        .exec(),
    );
  }

  async getToken(token: string): Promise<IssuedToken | undefined> {
    const [json, keep, spent] = await this.client.hmGet(`${this.p}tok:${digest(token)}`, [
      'json',
      'keep',
      'spent',
    ]);
    if (json == null || Number(keep) <= this.clock.now()) return undefined;
    return { ...(JSON.parse(json) as IssuedToken), ...(spent === '1' ? { spent: true } : {}) };
  }

  async spendToken(token: string): Promise<IssuedToken | undefined> {
    const k = `${this.p}tok:${digest(token)}`;
    const r = (await this.run(lua.SPEND_TOKEN, k, this.clock.now())) as [string, string] | null;
    if (r === null) return undefined;
    return { ...(JSON.parse(r[0]) as IssuedToken), ...(r[1] === '1' ? { spent: true } : {}) };
  }

  async putRecord(record: RecordState): Promise<void> {
    const { status, ...rest } = record;
    await this.guard(() =>
      this.client.hSet(`${this.p}rec:${record.id}`, { json: JSON.stringify(rest), status }),
    );
  }

  async getRecord(id: string): Promise<RecordState | undefined> {
    const [json, status] = await this.client.hmGet(`${this.p}rec:${id}`, ['json', 'status']);
    if (json == null) return undefined;
    return { ...(JSON.parse(json) as RecordState), status: status as RecordState['status'] };
  }

  async useUpRecord(
    id: string,
    status: 'consumed' | 'deleted',
    seed: RecordState,
  ): Promise<boolean> {
    const { status: _, ...rest } = seed;
    const r = await this.run(lua.USE_UP_RECORD, `${this.p}rec:${id}`, status, JSON.stringify(rest));
    return r === 1;
  }

  async rememberNonce(
    scope: string,
    nonce: string,
    ttlMs: number,
    maxInScope: number,
  ): Promise<NonceVerdict> {
    const now = this.clock.now();
    const r = (await this.run(
      lua.REMEMBER_NONCE,
      `${this.p}nonce:${scope}`,
      nonce,
      now,
      ttlMs,
      maxInScope,
    )) as [string, string?];
    if (r[0] === 'full') return { full: 'scope', max: maxInScope, retryAfterMs: Number(r[1]) };
    return r[0] as 'fresh' | 'replay';
  }

  async consumeRate(windows: RateWindow[]): Promise<RateDecision> {
    const args = windows.flatMap((w) => [
      `${this.p}rate:${w.bucket}`,
      w.limit,
      w.windowMs,
      w.aligned ? 1 : 0,
    ]);
    const r = (await this.run(lua.CONSUME_RATE, this.clock.now(), ...args)) as [
      number,
      ...string[],
    ];
    if (r[0] === 0) return { allowed: false, retryAfterMs: Number(r[1]) };
    return {
      allowed: true,
      grant: windows.map((w, i) => ({ bucket: w.bucket, windowStart: Number(r[i + 1]) })),
    };
  }

  async refundRate(grant: RateGrant): Promise<void> {
    if (grant.length === 0) return;
    await this.run(
      lua.REFUND_RATE,
      ...grant.flatMap((g) => [`${this.p}rate:${g.bucket}`, g.windowStart]),
    );
  }

  async clear(): Promise<void> {
    await this.run(lua.CLEAR, this.pattern);
  }

  async stats(): Promise<StoreStats> {
    const [keys, tokens, nonces, rateBuckets, records] = (await this.run(
      lua.STATS,
      this.p,
      this.pattern,
      this.clock.now(),
    )) as number[];
    return {
      keys: keys!,
      tokens: tokens!,
      nonces: nonces!,
      rateBuckets: rateBuckets!,
      records: records!,
    };
  }

  private async seed(mode: 'start' | 'reset', label: string, keys: KeyRecord[]): Promise<string> {
    const args = keys.flatMap(keyArgs);
    return (await this.run(lua.SEED, this.p, this.pattern, mode, label, ...args)) as string;
  }

  /** Runs a script by its digest, sending its text once when Redis does not know it yet. */
  private async run(script: string, ...args: (string | number)[]): Promise<Reply> {
    const argv: RedisArgument[] = args.map(String);
    const sha = scriptDigest(script);
    return this.guard(async () => {
      try {
        return await this.client.sendCommand<Reply>(['EVALSHA', sha, '0', ...argv]);
      } catch (e) {
        if (!String((e as Error).message).startsWith('NOSCRIPT')) throw e;
        return await this.client.sendCommand<Reply>(['EVAL', script, '0', ...argv]);
      }
    });
  }

  /** A Redis out of memory (noeviction) refuses writes: the store is full, the mock says 429. */
  private async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      if (String((e as Error).message).startsWith('OOM'))
        throw new StoreFullError('bytes in Redis (its maxmemory)', this.maxmemory);
      throw e;
    }
  }
}

/** (id, json, digests of the current and previous values) of a key, as the scripts take them. */
function keyArgs(key: KeyRecord): string[] {
  const values = [key.value, ...(key.previous ?? []).map((p) => p.value)];
  return [key.id, JSON.stringify(key), JSON.stringify(values.map(digest))];
}

/**
 * Refuses a Redis that may evict what the mock holds: `allkeys-*` evicts any key, `volatile-*`
 * the keys with an expiry, which are the nonces and rate windows. Answers maxmemory (bytes).
 */
async function checkEvictionPolicy(client: Client, shown: string): Promise<number> {
  let policy: string | undefined;
  let maxmemory = 0;
  try {
    const cfg = await client.configGet(['maxmemory-policy', 'maxmemory']);
    policy = cfg['maxmemory-policy'];
    maxmemory = Number(cfg.maxmemory ?? 0);
  } catch {
    // CONFIG may be renamed or refused (managed Redis): INFO says the same.
    const info = await client.info('memory');
    policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    maxmemory = Number(/^maxmemory:(\d+)/m.exec(info)?.[1] ?? 0);
  }
  if (policy !== undefined && policy !== 'noeviction')
    throw new RedisStoreError(
      `the Redis at ${shown} has maxmemory-policy ${policy}: it may evict a nonce or a rate window inside its window (a replay admitted, a limit reset). Set maxmemory-policy noeviction (redis.conf, or CONFIG SET maxmemory-policy noeviction); the mock then answers 429 when Redis is full`,
    );
  return maxmemory;
}

/** Milliseconds Redis keeps an entry the mock needs until `until` (at least 1). */
function ttl(until: number, now: number): number {
  return Math.max(1, Math.ceil(until - now));
}

const shas = new Map<string, string>();
function scriptDigest(script: string): string {
  let sha = shas.get(script);
  if (sha === undefined) shas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
  return sha;
}
