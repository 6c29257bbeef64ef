/**
 * "Rate limits are applied per API key": "Payment creation | 5000 requests/minute (burst:
 * 500/10sec)", "Standard endpoints | 100 requests/minute". Each key has its own window per class,
 * starting with its first request; only admitted requests are counted, so a client that keeps
 * knocking after a 429 is not locked out longer than Retry-After says.
 */
import { ApiError } from './errors.ts';

export type RateClass = 'payment' | 'standard';

interface Limit {
  limit: number;
  windowSeconds: number;
}

const LIMITS: Record<RateClass, Limit[]> = {
  payment: [
    { limit: 5000, windowSeconds: 60 },
    { limit: 500, windowSeconds: 10 },
  ],
  standard: [{ limit: 100, windowSeconds: 60 }],
};

interface Window {
  startMs: number;
  admitted: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  /** Counts one request of `keyId` in `rateClass`, or throws 429 with Retry-After (seconds). */
  admit(keyId: string, rateClass: RateClass, nowMs: number): void {
    const current = LIMITS[rateClass].map((l) => {
      const id = `${keyId}\n${rateClass}\n${l.windowSeconds}`;
      let w = this.windows.get(id);
      if (!w || nowMs >= w.startMs + l.windowSeconds * 1000) {
        w = { startMs: nowMs, admitted: 0 };
        this.windows.set(id, w);
      }
      return { l, w };
    });
    const full = current.filter(({ l, w }) => w.admitted >= l.limit);
    if (full.length > 0) {
      const waitMs = Math.max(
        ...full.map(({ l, w }) => w.startMs + l.windowSeconds * 1000 - nowMs),
      );
      throw new ApiError('rate_limit_exceeded', Math.max(1, Math.ceil(waitMs / 1000)));
    }
    for (const { w } of current) w.admitted += 1;
  }
}
