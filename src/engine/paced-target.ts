/**
 * A guest target paced by the run's RateLedger: a request that would go over its key's window
 * waits (once, for the window to make room, with a countdown on the progress output) instead of
 * drawing a 429 and a Retry-After wait per request. Inside `seeing429` (a rate-limit scenario
 * spending a window on purpose) nothing is held back, but every answer is still counted.
 */
import type { Target } from '../targets/target.ts';
import type { RunDeadline } from '../targets/run-deadline.ts';
import type { ResolvedRateLimit } from '../model/resolved-profile.ts';
import type { GuestPacing } from './engine-context.ts';
import type { RateLedger } from './rate-ledger.ts';
import { noticedWait, type WaitClock, type WaitNotice } from './wait-clock.ts';
import { bindingWindow } from './rate-window-on-clock.ts';

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

/**
 * Admitted requests one case of a generic scenario may send on its key (the accepted twin, the
 * faulty request, records it creates). Room for them is waited for before the case is built, so
 * that none of its requests waits between being built and being sent: a JWT's exp or a timestamp
 * placed at a window's edge would be stale by the time it arrived. A quarter of a small budget
 * at most (never less than the twin and the faulty request), so cases still share a window.
 */
export const CASE_ROOM = 6;

/** Waits until the key has room for a case on this rate class (GuestPacing's clock). */
export async function roomForCase(
  guest: GuestPacing,
  keyValue: string,
  limit: ResolvedRateLimit,
  deadline: RunDeadline | undefined,
  scenarioId: string,
): Promise<void> {
  const { ledger, clock, onWait } = guest;
  const { budget } = bindingWindow(limit);
  const room = Math.min(CASE_ROOM, Math.max(2, Math.floor(budget / 4)));
  await noticedWait(
    clock,
    ledger.delayForRoom(keyValue, limit, room, clock.now()),
    deadline,
    `the rate window of key ${ledger.roleOf(keyValue)} to make room for a case of ${scenarioId}`,
    onWait,
  );
}
