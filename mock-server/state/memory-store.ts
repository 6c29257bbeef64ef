/**
 * The default state store: in memory and bounded, and never bounded by forgetting (ARCHITECTURE.md,
 * principle 7). Nonces are kept per signing identity until their replay window ends; rate windows
 * and issued tokens until their time passes; keys and records until a reset. When a bound is
 * reached, new work is refused (StoreFullError, or a `full` nonce verdict) and the mock answers
 * 429 with Retry-After; nothing held is evicted to make room.
 */
import { hash } from 'node:crypto';
import type { Clock } from '../core/mock-types.ts';
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
  type StateStore,
  type StoreStats,
} from './state-store.ts';
import { ExpiringMap } from './expiring-map.ts';
import { NonceWindows } from './nonce-windows.ts';

export { StoreFullError };

export interface MemoryStoreLimits {
  /** Most nonces remembered at once over every signing identity (default 500 000). */
  maxNonces: number;
  /**
   * Most nonces of one signing identity (nonce scope) at once. Unset (the default): the bound
   * the mock derives from the profile's rate limits of the signed routes (see README, "Develop
   * an SDK against the mock"). Set: this bound instead, for every identity.
   */
  maxNoncesPerScope?: number;
  /** Most rate-limit windows tracked at once (default 50 000). */
  maxRateBuckets: number;
  /** Most issued tokens kept (default 50 000). */
  maxTokens: number;
  /** Most keys kept (default 10 000); creating more is refused. */
  maxKeys: number;
  /** Most created or used-up records kept (default 50 000); creating more is refused. */
  maxRecords: number;
}

const DEFAULT_LIMITS: MemoryStoreLimits = {
  maxNonces: 500_000,
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
  /**
   * A key value's digest -> the key's id and which of its values it is: -1 the current one, else
   * its place in `previous`. Rebuilt with the key by every putKey (records are never changed in
   * place), so a lookup compares no value with another.
   */
  private readonly byValue = new Map<string, { id: string; previous: number }>();
  private readonly records = new Map<string, RecordState>();
  private readonly tokens: ExpiringMap<IssuedToken>;
  private readonly nonces: NonceWindows;
  private readonly windows: ExpiringMap<Window>;

  constructor(
    private readonly clock: Clock,
    limits: Partial<MemoryStoreLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    // Every expiry is read from the (movable) mock clock, so advancing it takes effect at once.
    this.nonces = new NonceWindows(clock, this.limits.maxNonces, this.limits.maxNoncesPerScope);
    this.windows = new ExpiringMap(clock, this.limits.maxRateBuckets, 'rate windows');
    this.tokens = new ExpiringMap(clock, this.limits.maxTokens, 'tokens');
  }

  /** Looked up by digest alone: no secret is compared with another, byte by byte or otherwise. */
  async findKeyByValue(value: string): Promise<KeyMatch | undefined> {
    const entry = this.byValue.get(digest(value));
    const key = entry === undefined ? undefined : this.keys.get(entry.id);
    if (!key) return undefined;
    if (entry!.previous < 0) return { key };
    const prev = key.previous?.[entry!.previous];
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
    // Frozen: the index below answers from the values as stored, so no caller may change a
    // record it was handed (getKey, listKeys, findKeyByValue give the stored one) in place.
    const copy = deepFreeze(structuredClone(key));
    this.keys.set(key.id, copy);
    // The current value last: where a previous value is the same, the current one is found.
    copy.previous?.forEach((p, i) =>
      this.byValue.set(digest(p.value), { id: copy.id, previous: i }),
    );
    this.byValue.set(digest(copy.value), { id: copy.id, previous: -1 });
  }

  async putToken(token: IssuedToken): Promise<void> {
    this.tokens.set(token.token, { ...token }, token.keepUntil);
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

  async rememberNonce(
    scope: string,
    nonce: string,
    ttlMs: number,
    maxInScope: number,
  ): Promise<NonceVerdict> {
    return this.nonces.remember(scope, nonce, ttlMs, maxInScope);
  }

  async consumeRate(windows: RateWindow[]): Promise<RateDecision> {
    const now = this.clock.now();
    // Look at every window first, count in none unless all have room: a request refused by its
    // burst window does not spend its minute window. No await in between: one step.
    const current: { start: number; count: number }[] = [];
    let retryAfterMs = 0;
    for (const w of windows) {
      const held = this.windows.get(w.bucket);
      const c =
        held && now - held.start < w.windowMs
          ? held
          : { start: w.aligned ? now - (now % w.windowMs) : now, count: 0 };
      if (c.count >= w.limit) retryAfterMs = Math.max(retryAfterMs, c.start + w.windowMs - now);
      current.push(c);
    }
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
    // New windows first (a full store refuses before anything was counted), then the counts.
    for (let i = 0; i < windows.length; i++) {
      const c = current[i]!;
      if (c.count === 0) this.windows.set(windows[i]!.bucket, c, c.start + windows[i]!.windowMs);
    }
    const grant: RateGrant = [];
    for (let i = 0; i < windows.length; i++) {
      current[i]!.count++;
      grant.push({ bucket: windows[i]!.bucket, windowStart: current[i]!.start });
    }
    return { allowed: true, grant };
  }

  async refundRate(grant: RateGrant): Promise<void> {
    for (const g of grant) {
      const held = this.windows.get(g.bucket);
      if (held && held.start === g.windowStart && held.count > 0) held.count--;
    }
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
    return {
      keys: this.keys.size,
      tokens: this.tokens.size(),
      nonces: this.nonces.size(),
      rateBuckets: this.windows.size(),
      records: this.records.size,
    };
  }
}

/** A key value's index entry (sha256, base64): no store keeps a secret as a lookup key. */
export function digest(value: string): string {
  // One call, no Hash object: every request with a key looks one up.
  return hash('sha256', value, 'base64');
}

/**
 * Which of the key's values (its current one or a previous one inside its grace) has this digest,
 * told by digest alone: the value sent is compared with no secret, so its timing tells nothing
 * of one (a holder of a rotated-out value learns nothing of the new one).
 */
export function matchOf(key: KeyRecord, valueDigest: string): KeyMatch | undefined {
  if (digest(key.value) === valueDigest) return { key };
  const prev = key.previous?.find((p) => digest(p.value) === valueDigest);
  return prev ? { key, previousRetiresAt: prev.retiresAt } : undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
