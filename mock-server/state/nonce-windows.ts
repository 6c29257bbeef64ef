/**
 * Remembered nonces, per signing identity (the nonce scope: a merchant, a key, or one global
 * scope), each kept until its replay window ends and never before: a flood by one identity can
 * neither evict another's nonces nor its own. Memory is bounded twice: each scope holds at most
 * its bound (what the identity can legitimately get admitted inside the window), the store at
 * most `maxTotal`; a new nonce beyond either is refused, and the request with it.
 *
 * One Map per scope, in insertion order. A scope's nonces share one time to live (that of its
 * signing scheme), and the clock only moves forward, so insertion order is expiry order: expired
 * nonces are dropped from the front, and the front says when room frees.
 */
import type { Clock } from '../core/mock-types.ts';
import type { NonceVerdict } from './state-store.ts';

export class NonceWindows {
  /** scope -> nonce -> expiry (ms on the mock's clock). */
  private readonly scopes = new Map<string, Map<string, number>>();
  private total = 0;
  /** A scope's map -> the expiry of its oldest nonce, as of the last pass over its front. */
  private readonly fronts = new WeakMap<Map<string, number>, number>();
  /** No nonce of any scope expires before this (known from the last whole pass). */
  private nextExpiry = -Infinity;

  constructor(
    private readonly clock: Clock,
    /** Most nonces held over every scope. */
    readonly maxTotal: number,
    /** When set, each scope's bound, instead of the one the caller derives from the profile. */
    readonly maxPerScope?: number,
  ) {}

  remember(scope: string, nonce: string, ttlMs: number, maxInScope: number): NonceVerdict {
    const now = this.clock.now();
    const held = this.dropExpired(scope, now);
    const seen = held?.get(nonce);
    if (seen !== undefined && seen > now) return 'replay';
    if (seen !== undefined) {
      // Expired but behind a longer-lived nonce (the scope's window changed): forget it now.
      held!.delete(nonce);
      this.fronts.delete(held!); // it may have been the front
      this.total--;
    }
    const bound = this.maxPerScope ?? maxInScope;
    if (held !== undefined && held.size >= bound) {
      const oldest = held.values().next().value!;
      return { full: 'scope', max: bound, retryAfterMs: oldest - now };
    }
    if (this.total >= this.maxTotal) {
      this.dropAllExpired(now);
      if (this.total >= this.maxTotal)
        return { full: 'store', max: this.maxTotal, retryAfterMs: this.nextExpiry - now };
    }
    if (bound <= 0) return { full: 'scope', max: bound, retryAfterMs: ttlMs };
    const expiresAt = now + ttlMs;
    let map = held ?? this.scopes.get(scope);
    if (map === undefined) this.scopes.set(scope, (map = new Map()));
    map.set(nonce, expiresAt);
    this.total++;
    if (expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
    return 'fresh';
  }

  /** Live nonces over every scope. */
  size(): number {
    this.nextExpiry = -Infinity;
    this.dropAllExpired(this.clock.now());
    return this.total;
  }

  clear(): void {
    this.scopes.clear();
    this.total = 0;
    this.nextExpiry = -Infinity;
  }

  /** The scope's nonces after dropping the expired ones from the front; undefined when none. */
  private dropExpired(scope: string, now: number): Map<string, number> | undefined {
    const held = this.scopes.get(scope);
    if (held === undefined) return undefined;
    // Most requests find nothing expired: the front's expiry, known from the last pass, says so
    // without walking the map.
    if (now < (this.fronts.get(held) ?? -Infinity)) return held;
    for (const [nonce, expiresAt] of held) {
      if (expiresAt > now) {
        this.fronts.set(held, expiresAt);
        return held;
      }
      held.delete(nonce);
      this.total--;
    }
    this.scopes.delete(scope);
    return undefined;
  }

  /**
   * Drops the expired nonces of every scope: a pass over the scopes, taken only when one may
   * have expired since the last pass, so a flood against a full store costs little per request.
   */
  private dropAllExpired(now: number): void {
    if (now < this.nextExpiry) return;
    let next = Infinity;
    for (const scope of [...this.scopes.keys()]) {
      const held = this.dropExpired(scope, now);
      const oldest = held?.values().next().value;
      if (oldest !== undefined && oldest < next) next = oldest;
    }
    this.nextExpiry = next;
  }
}
