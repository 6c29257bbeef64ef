/**
 * Any URL as a target, treated as a guest: at most `rate` requests a second, a 429 answered by
 * waiting its Retry-After unless the scenario wants to see the 429 (rule: RETRY_429, honour-429.ts), and
 * the target's clock read from its Date header. A hostile or broken target cannot hurt the run:
 * each exchange (connect, headers and the whole body) ends at `timeoutMs`, a body is read up to
 * `maxBodyBytes` and no further, and nothing outlives the run's deadline.
 */
import { request } from 'undici';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { parseBody, type ClockWindow, type Target } from './target.ts';
import { TargetError } from './target-error.ts';
import { waitBefore, type RunDeadline, type WaitNotice } from './run-deadline.ts';
import {
  boundedExchange,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TIMEOUT_MS,
  readCappedBody,
} from './bounded-exchange.ts';
import { honouring429 } from './honour-429.ts';

/** How `httpTarget` treats its server: the guest rules' bounds, and what the server offers. */
export interface HttpTargetOptions {
  /** Longest exchange, connect to the last byte of the body (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Largest response body read; a larger one ends the exchange (default 1 MiB). */
  maxBodyBytes?: number;
  /** Most requests per second (default: unbounded). */
  rate?: number;
  /** A /__mock/reset route exists (the bundled mock over HTTP). */
  resettable?: boolean;
  /** The server was started for this scenario alone (rate windows unspent). */
  startsFresh?: boolean;
  /** The run's deadline (`--max-time`): aborts the exchange or wait in flight when it passes. */
  deadline?: RunDeadline;
  /** Told of each Retry-After wait a 429 makes the run take (the progress output shows it). */
  onWait?: (w: WaitNotice) => void;
}

/**
 * A server at `baseUrl` (http or https) as a target, asked as a guest: `opts` bound its request
 * rate, each exchange's time and each body's size. `verify({ target: url })` builds one for you,
 * and also reads the server's clock from its Date header before the run; build one yourself to
 * wrap it in a target of your own. Throws nothing; a server that cannot be asked makes its
 * verdicts ERROR.
 *
 * @example
 * ```ts
 * import { httpTarget, type Target } from 'authconform';
 *
 * const server = httpTarget('https://staging.example.test', { rate: 20, timeoutMs: 5_000 });
 * const logged: Target = {
 *   ...server,
 *   send: async (request) => {
 *     console.log(request.method, request.pathWithQuery);
 *     return server.send(request);
 *   },
 * };
 * ```
 */
export function httpTarget(baseUrl: string, opts: HttpTargetOptions = {}): Target {
  const base = baseUrl.replace(/\/+$/, '');
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const deadline = opts.deadline;
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
    const where = `${req.method} ${base}${req.pathWithQuery}`;
    if (gapMs > 0) {
      const wait = nextSlot - Date.now();
      nextSlot = Math.max(nextSlot, Date.now()) + gapMs;
      if (wait > 0) await waitBefore(deadline, wait, `the --rate wait before ${where}`);
    }
    const sentAt = Date.now();
    const { res, rawBody } = await boundedExchange(
      where,
      { timeoutMs: timeout, deadline, spans: 'connect, headers and the whole body' },
      async (signal) => {
        const res = await request(base + req.pathWithQuery, {
          method: req.method as 'GET',
          headers: req.headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
          signal,
          // The signal bounds the whole exchange; undici's own timeouts are per phase only.
          headersTimeout: 0,
          bodyTimeout: 0,
        });
        const rawBody = await readCappedBody(
          res.body,
          {
            maxBytes: maxBody,
            declaredLength: Number(res.headers['content-length']),
            stop: () => res.body.destroy(),
          },
          where,
        );
        return { res, rawBody };
      },
    );
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

  const guest = honouring429(
    once,
    (req) => `${req.method} ${base}${req.pathWithQuery}`,
    deadline,
    opts.onWait,
  );
  const target: Target = {
    description: base,
    baseUrl: base,
    ...(opts.startsFresh ? { startsFresh: true } : {}),
    send: guest.send,
    seeing429: guest.seeing429,
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
    ...(deadline ? { deadline } : {}),
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
