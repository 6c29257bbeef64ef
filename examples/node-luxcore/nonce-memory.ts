/**
 * "Never reuse a nonce within the 300-second replay window." Nonces are remembered per merchant
 * (the profile's nonce scope: the identity the HMAC secret belongs to), so a second key of the same
 * merchant cannot replay the first key's request. A nonce is never forgotten inside its window;
 * when the memory is full of live nonces, new ones are refused (fail closed), never evicted.
 */
export type NonceClaim = 'fresh' | 'replayed' | 'full';

export class NonceMemory {
  /** scope + "\n" + nonce -> unix second after which the nonce may be forgotten. */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly windowSeconds: number,
    private readonly capacity: number,
  ) {}

  /**
   * Records `nonce` for `scope` unless it is still remembered. The nonce is kept for the window
   * from now or from the request's own timestamp, whichever is later: a request stamped up to
   * 300 s in the future stays valid that much longer, and so must its nonce's memory.
   */
  claim(scope: string, nonce: string, nowSeconds: number, timestampSeconds: number): NonceClaim {
    const id = `${scope}\n${nonce}`;
    const until = this.until.get(id);
    if (until !== undefined && until >= nowSeconds) return 'replayed';
    if (this.until.size >= this.capacity) this.forgetExpired(nowSeconds);
    if (this.until.size >= this.capacity) return 'full';
    this.until.set(id, Math.max(nowSeconds, timestampSeconds) + this.windowSeconds);
    return 'fresh';
  }

  private forgetExpired(nowSeconds: number): void {
    for (const [id, until] of this.until) if (until < nowSeconds) this.until.delete(id);
  }
}
