/**
 * A map whose entries expire on the mock's clock and which is bounded without forgetting: an
 * entry is dropped only once it has expired, and a new key arriving when the map is full (after
 * dropping what has expired) is refused with a StoreFullError saying when room frees.
 *
 * Not an LRU cache on purpose: evicting the least recently used entry would forget a nonce, a
 * spent refresh token or a rate window inside its time, which is what a replay or a flood uses.
 */
import type { Clock } from '../core/mock-types.ts';
import { StoreFullError } from './state-store.ts';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class ExpiringMap<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** No entry expires before this (known from the last sweep): a full map is not swept again until then. */
  private nextExpiry = -Infinity;

  constructor(
    private readonly clock: Clock,
    readonly max: number,
    /** What the entries are, for the StoreFullError ("rate windows", "tokens"). */
    private readonly what: string,
  ) {}

  /** The live value, or undefined (an expired entry is dropped on the way). */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Inserts or replaces; a new key when the map holds `max` live entries throws StoreFullError. */
  set(key: string, value: V, expiresAt: number): void {
    if (!this.entries.has(key) && this.entries.size >= this.max) {
      this.sweep();
      if (this.entries.size >= this.max)
        throw new StoreFullError(this.what, this.max, this.nextExpiry - this.clock.now());
    }
    this.entries.set(key, { value, expiresAt });
    if (expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.nextExpiry = -Infinity;
  }

  /** Live entries. */
  size(): number {
    this.nextExpiry = -Infinity;
    this.sweep();
    return this.entries.size;
  }

  /**
   * Drops expired entries. A whole pass, so it is taken only when something may have expired
   * since the last one: a flood against a full map costs one comparison per request.
   */
  private sweep(): void {
    const now = this.clock.now();
    if (now < this.nextExpiry) return;
    let next = Infinity;
    for (const [k, e] of this.entries) {
      if (e.expiresAt <= now) this.entries.delete(k);
      else if (e.expiresAt < next) next = e.expiresAt;
    }
    this.nextExpiry = next;
  }
}
