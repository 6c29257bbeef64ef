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

/** One fixed window a request is counted in: `limit` requests per `windowMs` under `bucket`. */
export interface RateWindow {
  bucket: string;
  limit: number;
  windowMs: number;
  /**
   * A new window starts at the last whole multiple of `windowMs` on the clock (the profile's
   * `windowStart: clock`), not at the request that opens it; it ends at the next multiple.
   */
  aligned?: boolean;
}

/** Where an admitted request was counted: each bucket and the start of its window then. */
export type RateGrant = { bucket: string; windowStart: number }[];

export type RateDecision =
  | { allowed: true; grant: RateGrant }
  | {
      allowed: false;
      /** Milliseconds until every full window has room again. */
      retryAfterMs: number;
    };

/**
 * What remembering a nonce found: a fresh nonce (now remembered), a replay, or a full bound
 * (nothing remembered: the request must be refused, with the wait until the oldest nonce of the
 * scope, or of the store, has expired).
 */
export type NonceVerdict =
  | 'fresh'
  | 'replay'
  | {
      /** Whose bound was reached: the scope's own, or the store's over every scope. */
      full: 'scope' | 'store';
      /** The bound that was reached. */
      max: number;
      retryAfterMs: number;
    };

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
   * Remembers a nonce for `ttlMs` under `scope` (merchant, key or global signing identity), in
   * one step. 'replay' when the same nonce is remembered there and not yet expired. A nonce is
   * never forgotten before its `ttlMs`: when `scope` already holds `maxInScope` unexpired nonces
   * (or the store its overall bound), nothing is remembered and the answer is `full`, with the
   * wait until room frees. A store may replace `maxInScope` with a bound of its own configuring.
   * Nonces of one scope share one `ttlMs` (that of its signing scheme).
   */
  rememberNonce(
    scope: string,
    nonce: string,
    ttlMs: number,
    maxInScope: number,
  ): Promise<NonceVerdict>;

  /**
   * Counts one request in every window, in one step, when each has room; when any is full the
   * request is counted in none and the answer says how long to wait. Of two concurrent requests
   * for the last slot, one gets it.
   */
  consumeRate(windows: RateWindow[]): Promise<RateDecision>;
  /**
   * Gives back what `consumeRate` counted, for a request refused after it was counted (its
   * records used up, a lifecycle or token error): only admitted requests spend a window. A
   * window that has since restarted is left alone.
   */
  refundRate(grant: RateGrant): Promise<void>;

  /** Forgets everything (the mock then re-seeds from fixtures). */
  clear(): Promise<void>;
  stats(): Promise<StoreStats>;

  /**
   * Present on a store several mocks share (Redis): the clock's offset and the seeding live in
   * it, so a clock moved or a reset made through one mock holds for all. Absent: each mock's
   * clock and reset are its own.
   */
  readonly shared?: SharedWorld;
}

/** What mocks sharing one store must also share: the seeded world and the clock. */
export interface SharedWorld {
  /**
   * Seeds `keys` unless the store holds a seeded world already (a replica that starts or
   * restarts joins it, losing nothing). `label` names the world (profile and fixtures): a store
   * seeded with another world is refused with an error saying so.
   */
  seedOnce(label: string, keys: KeyRecord[]): Promise<void>;
  /** Forgets everything (the clock's offset too) and seeds `keys`, in one step for every mock. */
  reseed(label: string, keys: KeyRecord[]): Promise<void>;
  /** The clock's offset every mock sharing the store runs on (ms), read once per request. */
  clockOffset(): Promise<number>;
  /** Moves the shared clock forward; the new offset, or undefined when it would pass `maxMs`. */
  advanceClock(ms: number, maxMs: number): Promise<number | undefined>;
}

/**
 * A bounded store refusing new work rather than forgetting what it holds (ARCHITECTURE.md,
 * principle 7). The mock answers it with the profile's 429 `rate_limited` (or, for a profile
 * without one, 429 `mock_store_full`) and Retry-After: never a 500.
 */
export class StoreFullError extends Error {
  constructor(
    readonly what: string,
    readonly max: number,
    /** How long until room may free (an expiring entry); undefined when only a reset frees it. */
    readonly retryAfterMs?: number,
  ) {
    super(`the mock holds at most ${max} ${what}`);
    this.name = 'StoreFullError';
  }
}
