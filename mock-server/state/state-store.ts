/**
 * The mock's mutable state, behind one interface so that a shared store (Redis) can replace the
 * bounded in-memory one when several mock instances must agree. Every method is async for that
 * reason; the in-memory store answers at once.
 */

export type KeyStatus = 'active' | 'revoked' | 'deleted';

/** An API key as the mock holds it. `value` is the current full key. */
export interface KeyRecord {
  id: string;
  value: string;
  format: string;
  type: string;
  environment?: 'live' | 'test';
  status: KeyStatus;
  /** Scopes held; undefined means every scope. */
  scopes?: string[];
  tenant?: string;
  merchant?: string;
  store?: string;
  organization?: string;
  name?: string;
  description?: string;
  createdAt: number;
  expiresAt?: number;
  revokedAt?: number;
  /** Earlier values after rotation, valid until `retiresAt`. */
  previous?: { value: string; retiresAt: number }[];
}

/** What a key value resolves to: the key, and whether the value is a retired earlier secret. */
export interface KeyMatch {
  key: KeyRecord;
  /** The value is an earlier secret of this key (after rotation); retired once its time passed. */
  previousRetiresAt?: number;
}

/** Refresh and session tokens: opaque strings the mock issued. */
export interface IssuedToken {
  kind: 'refresh' | 'session';
  token: string;
  expiresAt: number;
  /** Kept (and recognized as expired) until then; evicted after. */
  keepUntil: number;
  /** Who it was issued to: user id (refresh) or key id (session). */
  subject: string;
  scopes?: string[];
  spent?: boolean;
}

/**
 * A record's life as the mock saw it: one the API created (owned by its creator), or a fixtures
 * record that was since used up. Fixtures records without an entry here are as the fixtures say.
 */
export interface RecordState {
  id: string;
  /** The resource it was created as (a webhook, a payment); absent for a fixtures record. */
  resource?: string;
  environment?: 'live' | 'test';
  tenant?: string;
  merchant?: string;
  store?: string;
  organization?: string;
  /** A created record's fields as its creation answered them (they fill later answers). */
  fields?: Record<string, unknown>;
  /** consumed: cancelled, voided, fully refunded; deleted: gone. */
  status: 'active' | 'consumed' | 'deleted';
}

export interface RateDecision {
  allowed: boolean;
  /** Milliseconds until a request would be allowed again (0 when allowed). */
  retryAfterMs: number;
}

export interface StoreStats {
  keys: number;
  tokens: number;
  nonces: number;
  rateBuckets: number;
  records: number;
}

export interface StateStore {
  findKeyByValue(value: string): Promise<KeyMatch | undefined>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  listKeys(): Promise<KeyRecord[]>;
  /** Inserts or replaces a key (and indexes its current and previous values). */
  putKey(key: KeyRecord): Promise<void>;

  putToken(token: IssuedToken): Promise<void>;
  getToken(token: string): Promise<IssuedToken | undefined>;
  /** Marks a token spent and returns it as it was before, in one step (a refresh token is spent once). */
  spendToken(token: string): Promise<IssuedToken | undefined>;

  /** Inserts or replaces a record's state (bounded: a full store refuses, it never forgets). */
  putRecord(record: RecordState): Promise<void>;
  getRecord(id: string): Promise<RecordState | undefined>;
  /**
   * Moves a record from active to `status` in one step and answers true; false when it was not
   * active (already used up): of two concurrent cancels, one succeeds.
   */
  useUpRecord(id: string, status: 'consumed' | 'deleted', seed: RecordState): Promise<boolean>;

  /**
   * Remembers a nonce for `ttlMs` under `scope` (merchant, key or global). Returns false when
   * the same nonce is already remembered there: a replay.
   */
  rememberNonce(scope: string, nonce: string, ttlMs: number): Promise<boolean>;

  /** Counts one request against a fixed window; over `limit` it is refused with the wait. */
  consumeRate(bucket: string, limit: number, windowMs: number): Promise<RateDecision>;

  /** Forgets everything (the mock then re-seeds from fixtures). */
  clear(): Promise<void>;
  stats(): Promise<StoreStats>;
}
