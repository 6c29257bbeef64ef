/**
 * Any URL as a target, treated as a guest: a per-request timeout, at most `rate` requests a
 * second, a 429 answered by waiting its Retry-After (up to three times) unless the scenario
 * wants to see the 429, and the target's clock read from its Date header.
 */
import { request } from 'undici';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { parseBody, TargetError, type ClockWindow, type Target } from './target.ts';

export interface HttpTargetOptions {
  timeoutMs?: number;
  /** Most requests per second (default: unbounded). */
  rate?: number;
  /** A /__mock/reset route exists (the bundled mock over HTTP). */
  resettable?: boolean;
  /** The server was started for this scenario alone (rate windows unspent). */
  startsFresh?: boolean;
}

export function httpTarget(
  baseUrl: string,
  opts: HttpTargetOptions = {},
): Target & { honour429: boolean } {
  const base = baseUrl.replace(/\/+$/, '');
  const timeout = opts.timeoutMs ?? 10_000;
  const gapMs = opts.rate ? 1000 / opts.rate : 0;
  let nextSlot = 0;
  let clockOffsetMs = 0;
  // The target's clock minus ours, as bounds: each Date header (whole seconds, written somewhere
  // between our send and receive) narrows them; answers at different points of a second pin
  // the offset to about one round trip.
  let offset = { lo: -Infinity, hi: Infinity };
  let slowestMs = 0;
  let calibrated = false;

  const once = async (req: OutgoingRequest): Promise<ReceivedResponse> => {
    if (gapMs > 0) {
      const wait = nextSlot - Date.now();
      nextSlot = Math.max(nextSlot, Date.now()) + gapMs;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    let res;
    const sentAt = Date.now();
    try {
      res = await request(base + req.pathWithQuery, {
        method: req.method as 'GET',
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (e) {
      const err = e as Error & { code?: string };
      throw new TargetError(
        `${req.method} ${base}${req.pathWithQuery}: ${err.code ?? err.name} ${err.message}`,
      );
    }
    const rawBody = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const date = headers['date'] ? Date.parse(headers['date']) : NaN;
    const receivedAt = Date.now();
    if (!Number.isNaN(date)) {
      clockOffsetMs = date - receivedAt;
      slowestMs = Math.max(slowestMs, Math.min(receivedAt - sentAt, 5000));
      const seen = { lo: date - receivedAt, hi: date + 1000 - sentAt };
      const lo = Math.max(offset.lo, seen.lo);
      const hi = Math.min(offset.hi, seen.hi);
      // Bounds that no longer meet mean the target's clock was set: start again from this answer.
      offset = lo <= hi ? { lo, hi } : seen;
    }
    return { status: res.statusCode, headers, body: parseBody(rawBody), rawBody };
  };

  const target = {
    description: base,
    baseUrl: base,
    honour429: true,
    ...(opts.startsFresh ? { startsFresh: true } : {}),
    async send(req: OutgoingRequest): Promise<ReceivedResponse> {
      let res = await once(req);
      for (let i = 0; i < 3 && res.status === 429 && target.honour429; i++) {
        const wait = Math.min(60, Number(res.headers['retry-after'] ?? 1) || 1);
        await new Promise((r) => setTimeout(r, wait * 1000));
        res = await once(req);
      }
      return res;
    },
    async seeing429<T>(fn: () => Promise<T>): Promise<T> {
      target.honour429 = false;
      try {
        return await fn();
      } finally {
        target.honour429 = true;
      }
    },
    nowSeconds: () => Math.floor((Date.now() + clockOffsetMs) / 1000),
    // Answers about 25 ms apart until one's Date header shows the next second: the boundary is
    // then known to about a round trip. Once per target; at most 1.5 s and 60 cheap requests.
    calibrateClock: async () => {
      if (calibrated) return;
      calibrated = true;
      const until = Date.now() + 1500;
      while (offset.hi - offset.lo > 200 && Date.now() < until) {
        try {
          await once({ method: 'GET', pathWithQuery: '/', headers: {} });
        } catch (e) {
          if (!(e instanceof TargetError)) throw e;
          return;
        }
        // No Date header: nothing to narrow.
        if (!Number.isFinite(offset.lo)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    clockWindow: (): ClockWindow => {
      const now = Date.now();
      if (!Number.isFinite(offset.lo)) return { loMs: now - 1000, hiMs: now + 2000 };
      return { loMs: now + offset.lo, hiMs: now + offset.hi + 2 * slowestMs + 50 };
    },
    close: async () => {},
    ...(opts.resettable
      ? {
          reset: async () => {
            const res = await once({
              method: 'POST',
              pathWithQuery: '/__mock/reset',
              headers: { 'content-type': 'application/json' },
            });
            // Not reset is not a silent pass: a 403 here names the Host and --allow-host.
            if (res.status !== 200)
              throw new TargetError(
                `POST ${base}/__mock/reset answered ${res.status}: ${res.rawBody.slice(0, 400)}`,
              );
          },
          advanceClock: async (seconds: number) => {
            await once({
              method: 'POST',
              pathWithQuery: '/__mock/clock',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ advanceSeconds: seconds }),
            });
          },
        }
      : {}),
  };
  return target;
}

/**
 * Reads the target's clock once before any timestamp-window scenario (any answer carries a Date
 * header). A target that cannot be reached is left for the run to report as ERROR.
 */
export async function syncClock(target: Target): Promise<void> {
  try {
    await target.send({ method: 'GET', pathWithQuery: '/', headers: {} });
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
  }
}
