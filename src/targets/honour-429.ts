/**
 * A guest's answer to 429 Too Many Requests, the same for every target that is not ours (over
 * HTTP or in-process): wait the Retry-After and ask again, unless the scenario wants to see the
 * 429 (`seeing429`).
 */
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { waitBefore, type RunDeadline, type WaitNotice } from './run-deadline.ts';

/**
 * How a 429 is honoured: its Retry-After (seconds or an HTTP date; 1 s when absent or
 * unreadable) is waited and the request sent again, at most twice per request, each wait at
 * most a minute (a longer Retry-After is not waited: the 429 is the answer). When a request is
 * still refused after its retries, the target is not limiting a window the harness can wait out:
 * later 429s are taken as they come, without retrying, until the target answers anything else.
 * No wait outlives the run's deadline.
 */
export const RETRY_429 = { retriesPerRequest: 2, longestWaitSeconds: 60 } as const;

export interface Honouring429 {
  /** Sends through `once`, waiting out 429s as RETRY_429 says. */
  send(req: OutgoingRequest): Promise<ReceivedResponse>;
  /** Runs `fn` with 429s passed through instead of waited out. */
  seeing429<T>(fn: () => Promise<T>): Promise<T>;
  /** false while inside `seeing429`. */
  readonly honour429: boolean;
}

/**
 * `once` (one exchange, no retry) wrapped in the 429 rule. `where` names a request in the wait's
 * reason when the deadline cuts it short; `onWait` is told of each Retry-After wait (the progress
 * output shows it: a run never waits in silence).
 */
export function honouring429(
  once: (req: OutgoingRequest) => Promise<ReceivedResponse>,
  where: (req: OutgoingRequest) => string,
  deadline?: RunDeadline,
  onWait?: (w: WaitNotice) => void,
): Honouring429 {
  let honour = true;
  // false once a request was still refused with 429 after its retries (RETRY_429).
  let retrying = true;
  return {
    get honour429() {
      return honour;
    },
    async send(req) {
      let res = await once(req);
      for (let retry = 0; res.status === 429 && honour && retrying; retry++) {
        if (retry === RETRY_429.retriesPerRequest) {
          retrying = false;
          break;
        }
        const waitMs = retryAfterMs(res.headers['retry-after']);
        if (waitMs > RETRY_429.longestWaitSeconds * 1000) break;
        // No query in what the progress output shows: a key may travel in it.
        const reason = `the Retry-After of a 429 to ${where(req).split('?')[0]}`;
        const now = Date.now();
        if (waitMs >= 1000) onWait?.({ reason, fromMs: now, untilMs: now + waitMs });
        await waitBefore(deadline, waitMs, reason);
        res = await once(req);
      }
      if (res.status !== 429) retrying = true;
      return res;
    },
    async seeing429(fn) {
      honour = false;
      try {
        return await fn();
      } finally {
        honour = true;
      }
    },
  };
}

/** A Retry-After value in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); 1 s otherwise. */
export function retryAfterMs(value: string | undefined, nowMs = Date.now()): number {
  if (value !== undefined && /^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = value !== undefined ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? 1000 : Math.max(0, date - nowMs);
}
