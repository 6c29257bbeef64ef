/**
 * A fixed-window request counter per API key: `limit` requests per `windowSeconds`, then the
 * seconds until the window ends (for Retry-After). Windows that ended are dropped as keys come
 * back, so memory stays bounded by the number of keys.
 */
export class RateWindow {
  private readonly windows = new Map<string, { startedMs: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  /** Counts one request; undefined when allowed, else the seconds to wait. */
  take(keyId: string, nowMs = Date.now()): number | undefined {
    let w = this.windows.get(keyId);
    if (!w || nowMs - w.startedMs >= this.windowSeconds * 1000) {
      w = { startedMs: nowMs, count: 0 };
      this.windows.set(keyId, w);
    }
    if (w.count >= this.limit)
      return Math.max(1, Math.ceil((w.startedMs + this.windowSeconds * 1000 - nowMs) / 1000));
    w.count++;
    return undefined;
  }
}
