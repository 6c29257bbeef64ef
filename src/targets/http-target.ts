/**
 * Any URL as a target, treated as a guest: at most `rate` requests a second, a 429 answered by
 * waiting its Retry-After unless the scenario wants to see the 429 (rule: RETRY_429 below), and
 * the target's clock read from its Date header. A hostile or broken target cannot hurt the run:
 * each exchange (connect, headers and the whole body) ends at `timeoutMs`, a body is read up to
 * `maxBodyBytes` and no further, and nothing outlives the run's deadline.
 */
import { request } from 'undici';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { parseBody, TargetError, type ClockWindow, type Target } from './target.ts';
import { DeadlinePassedError, waitBefore, type RunDeadline } from './run-deadline.ts';

/** `--timeout`: the longest one exchange may take, connect to the body's last byte. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * `--max-body`: 1 MiB. Every answer an auth conformance run needs is small (an error body, a
 * token, a created key or a page of a resource: a few KiB), and a report keeps only its first
 * 2,000 characters; 1 MiB leaves a real API's larger list pages hundredfold room while a hostile
 * target cannot make the harness hold more than that per exchange.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * How a 429 is honoured: its Retry-After (seconds or an HTTP date; 1 s when absent or
 * unreadable) is waited and the request sent again, at most twice per request, each wait at
 * most a minute (a longer Retry-After is not waited: the 429 is the answer). When a request is
 * still refused after its retries, the target is not limiting a window the harness can wait out:
 * later 429s are taken as they come, without retrying, until the target answers anything else.
 * No wait outlives the run's deadline.
 */
export const RETRY_429 = { retriesPerRequest: 2, longestWaitSeconds: 60 } as const;

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
}

export function httpTarget(
  baseUrl: string,
  opts: HttpTargetOptions = {},
): Target & { honour429: boolean } {
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
  // false once a request was still refused with 429 after its retries (RETRY_429).
  let retrying429 = true;

  const once = async (req: OutgoingRequest): Promise<ReceivedResponse> => {
    const where = `${req.method} ${base}${req.pathWithQuery}`;
    if (gapMs > 0) {
      const wait = nextSlot - Date.now();
      nextSlot = Math.max(nextSlot, Date.now()) + gapMs;
      if (wait > 0) await waitBefore(deadline, wait, `the --rate wait before ${where}`);
    }
    if (deadline?.signal.aborted) throw new DeadlinePassedError(deadline, where);
    const timer = AbortSignal.timeout(timeout);
    const signal = deadline ? AbortSignal.any([timer, deadline.signal]) : timer;
    const sentAt = Date.now();
    let res;
    let rawBody;
    try {
      res = await request(base + req.pathWithQuery, {
        method: req.method as 'GET',
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal,
        // The signal bounds the whole exchange; undici's own timeouts are per phase only.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      rawBody = await readBody(res, maxBody, where);
    } catch (e) {
      if (deadline?.signal.aborted) throw new DeadlinePassedError(deadline, where);
      if (timer.aborted)
        throw new TargetError(
          `${where}: no complete answer within --timeout ${timeout} ms (connect, headers and the whole body)`,
        );
      if (e instanceof TargetError) throw e;
      const err = e as Error & { code?: string };
      throw new TargetError(`${where}: ${err.code ?? err.name} ${err.message}`);
    }
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
      for (let retry = 0; res.status === 429 && target.honour429 && retrying429; retry++) {
        if (retry === RETRY_429.retriesPerRequest) {
          retrying429 = false;
          break;
        }
        const waitMs = retryAfterMs(res.headers['retry-after']);
        if (waitMs > RETRY_429.longestWaitSeconds * 1000) break;
        await waitBefore(
          deadline,
          waitMs,
          `the Retry-After wait of ${req.method} ${base}${req.pathWithQuery}`,
        );
        res = await once(req);
      }
      if (res.status !== 429) retrying429 = true;
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
 * The body, read up to `maxBytes`: past that the stream is destroyed (the connection dropped)
 * and the exchange is an error naming the cap, so a 50 MB or endless answer costs at most the cap.
 */
async function readBody(
  res: Awaited<ReturnType<typeof request>>,
  maxBytes: number,
  where: string,
): Promise<string> {
  const tooBig = () =>
    new TargetError(
      `${where}: the response body is larger than --max-body ${maxBytes} bytes; reading stopped there (raise --max-body if the target's answers are really that large)`,
    );
  const declared = Number(res.headers['content-length']);
  if (declared > maxBytes) {
    res.body.destroy();
    throw tooBig();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.body.destroy();
      throw tooBig();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A Retry-After value in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); 1 s otherwise. */
export function retryAfterMs(value: string | undefined, nowMs = Date.now()): number {
  if (value !== undefined && /^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = value !== undefined ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? 1000 : Math.max(0, date - nowMs);
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
