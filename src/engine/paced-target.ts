/**
 * A guest target paced by the run's RateLedger: a request that would go over its key's window
 * waits (once, for the window to make room, with a countdown on the progress output) instead of
 * drawing a 429 and a Retry-After wait per request. Inside `seeing429` (a rate-limit scenario
 * spending a window on purpose) nothing is held back, but every answer is still counted.
 */
import type { Target } from '../targets/target.ts';
import type { RateLedger } from './rate-ledger.ts';
import { noticedWait, type WaitClock, type WaitNotice } from './wait-clock.ts';

export function pacedTarget(
  target: Target,
  ledger: RateLedger,
  clock: WaitClock,
  onWait?: (w: WaitNotice) => void,
): Target {
  let seeing = 0;
  const send = async (req: Parameters<Target['send']>[0]) => {
    if (seeing === 0) {
      const ms = ledger.delayFor(req, clock.now());
      const key = ledger.keyIn(req);
      const who = key !== undefined ? `key ${ledger.roleOf(key)}` : 'the caller';
      await noticedWait(
        clock,
        ms,
        target.deadline,
        `the rate window of ${who} to make room (${req.method} ${req.pathWithQuery.split('?')[0]})`,
        onWait,
      );
    }
    const res = await target.send(req);
    ledger.record(req, res, clock.now());
    return res;
  };
  // Always offered, even where the target has none: the pacing is what must stand aside.
  const seeing429 = async <T>(fn: () => Promise<T>): Promise<T> => {
    seeing++;
    try {
      return await (target.seeing429 ? target.seeing429(fn) : fn());
    } finally {
      seeing--;
    }
  };
  // Everything else is the target's own, called on it (a class with private fields works).
  return new Proxy(target, {
    get(t, key) {
      if (key === 'send') return send;
      if (key === 'seeing429') return seeing429;
      const value: unknown = Reflect.get(t, key, t);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}
