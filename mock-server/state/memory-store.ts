/**
 * The default state store: in memory and bounded. Nonces and rate windows live in LRU caches
 * with a TTL on the mock's clock, so a flood of unique nonces evicts the oldest rather than
 * growing without limit; keys and tokens are few (fixtures plus what a session creates) and are
 * capped too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../core/mock-types.ts';
import type {
  IssuedToken,
  KeyMatch,
  KeyRecord,
  RateDecision,
  RecordState,
  StateStore,
  StoreStats,
} from './state-store.ts';

export interface MemoryStoreLimits {
  /** Most nonces remembered at once (default 100 000). */
  maxNonces: number;
  /** Most rate-limit windows tracked at once (default 50 000). */
  maxRateBuckets: number;
  /** Most issued tokens kept (default 50 000). */
  maxTokens: number;
  /** Most keys kept (default 10 000); creating more is refused by the caller. */
  maxKeys: number;
  /** Most created or used-up records kept (default 50 000); creating more is refused. */
  maxRecords: number;
}

const DEFAULT_LIMITS: MemoryStoreLimits = {
  maxNonces: 100_000,
  maxRateBuckets: 50_000,
  maxTokens: 50_000,
  maxKeys: 10_000,
  maxRecords: 50_000,
};

interface Window {
  start: number;
  count: number;
}

export class MemoryStore implements StateStore {
  readonly limits: MemoryStoreLimits;
  private readonly keys = new Map<string, KeyRecord>();
  private readonly byValue = new Map<string, string>();
  private readonly records = new Map<string, RecordState>();
  private readonly tokens: LRUCache<string, IssuedToken>;
  private readonly nonces: LRUCache<string, true>;
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly clock: Clock,
    limits: Partial<MemoryStoreLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    const perf = { now: () => clock.now() };
    // ttlResolution 0: read the (movable) clock on every check, so advancing it takes effect at once.
    this.nonces = new LRUCache({ max: this.limits.maxNonces, ttl: 1, perf, ttlResolution: 0 });
    this.windows = new LRUCache({
      max: this.limits.maxRateBuckets,
      ttl: 1,
      perf,
      ttlResolution: 0,
    });
    this.tokens = new LRUCache({ max: this.limits.maxTokens, ttl: 1, perf, ttlResolution: 0 });
  }

  /** Looked up by digest, then compared in constant time: no secret is compared byte by byte. */
  async findKeyByValue(value: string): Promise<KeyMatch | undefined> {
    const id = this.byValue.get(digest(value));
    const key = id === undefined ? undefined : this.keys.get(id);
    if (!key) return undefined;
    if (sameSecret(key.value, value)) return { key };
    const prev = key.previous?.find((p) => sameSecret(p.value, value));
    return prev ? { key, previousRetiresAt: prev.retiresAt } : undefined;
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    return this.keys.get(id);
  }

  async listKeys(): Promise<KeyRecord[]> {
    return [...this.keys.values()];
  }

  async putKey(key: KeyRecord): Promise<void> {
    const old = this.keys.get(key.id);
    if (!old && this.keys.size >= this.limits.maxKeys)
      throw new StoreFullError('keys', this.limits.maxKeys);
    if (old)
      for (const v of [old.value, ...(old.previous ?? []).map((p) => p.value)])
        this.byValue.delete(digest(v));
    const copy = structuredClone(key);
    this.keys.set(key.id, copy);
    for (const v of [copy.value, ...(copy.previous ?? []).map((p) => p.value)])
      this.byValue.set(digest(v), copy.id);
  }

  async putToken(token: IssuedToken): Promise<void> {
    this.tokens.set(
      token.token,
      { ...token },
      { ttl: Math.max(1, token.keepUntil - this.clock.now()) },
    );
  }

  async getToken(token: string): Promise<IssuedToken | undefined> {
    return this.tokens.get(token);
  }

  async spendToken(token: string): Promise<IssuedToken | undefined> {
    const found = this.tokens.get(token);
    if (!found) return undefined;
    const before = { ...found };
    found.spent = true; // the cached object itself: no await between reading and spending
    return before;
  }

  async putRecord(record: RecordState): Promise<void> {
    if (!this.records.has(record.id) && this.records.size >= this.limits.maxRecords)
      throw new StoreFullError('records', this.limits.maxRecords);
    this.records.set(record.id, { ...record });
  }

  async getRecord(id: string): Promise<RecordState | undefined> {
    const r = this.records.get(id);
    return r && { ...r };
  }

  async useUpRecord(
    id: string,
    status: 'consumed' | 'deleted',
    seed: RecordState,
  ): Promise<boolean> {
    const r = this.records.get(id);
    if (r && r.status !== 'active') return false;
    await this.putRecord({ ...(r ?? seed), status });
    return true;
  }

  async rememberNonce(scope: string, nonce: string, ttlMs: number): Promise<boolean> {
    const k = `${scope}\u0000${nonce}`;
    if (this.nonces.has(k)) return false;
    this.nonces.set(k, true, { ttl: ttlMs });
    return true;
  }

  async consumeRate(bucket: string, limit: number, windowMs: number): Promise<RateDecision> {
    const now = this.clock.now();
    let w = this.windows.get(bucket);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(bucket, w, { ttl: windowMs });
    }
    if (w.count >= limit) return { allowed: false, retryAfterMs: w.start + windowMs - now };
    w.count++;
    return { allowed: true, retryAfterMs: 0 };
  }

  async clear(): Promise<void> {
    this.keys.clear();
    this.byValue.clear();
    this.records.clear();
    this.tokens.clear();
    this.nonces.clear();
    this.windows.clear();
  }

  async stats(): Promise<StoreStats> {
    // purgeStale so the counts are of live entries, not of what is merely not yet evicted.
    this.nonces.purgeStale();
    this.windows.purgeStale();
    this.tokens.purgeStale();
    return {
      keys: this.keys.size,
      tokens: this.tokens.size,
      nonces: this.nonces.size,
      rateBuckets: this.windows.size,
      records: this.records.size,
    };
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export class StoreFullError extends Error {
  constructor(
    readonly what: string,
    readonly max: number,
  ) {
    super(`the mock holds at most ${max} ${what}`);
    this.name = 'StoreFullError';
  }
}
