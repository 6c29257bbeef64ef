/**
 * Rate windows on the clock (`windowStart: clock`): a limiter keyed by the time divided by the
 * window counts a request in the window its arrival falls in, and the count starts again at each
 * whole multiple of the window's length. The harness knows the target's clock only within bounds
 * (exactly for the bundled mock; from its Date header, to about a round trip, for a URL), so a
 * request is placed in a window only where every instant it may have been counted at falls in it.
 */
import type { RateLimit } from '../model/profile.ts';
import { TargetLacksError, type ClockWindow } from '../targets/target.ts';
import { DEFAULT_MAX_WAIT_SECONDS } from './clock-mover.ts';
import type { EngineContext } from './engine-context.ts';
import { targetClockWindow } from './target-clock.ts';
import { realWaitClock } from './wait-clock.ts';

/**
 * How far before its window's end a burst on the clock sends its last request, and the faulty one
 * after it (built and sent after the last check): 2 s, or a quarter of a shorter window.
 */
const EDGE_MS = 2000;
/** Moves to a later window one burst makes at most, whatever the target's clock does. */
const MOST_MOVES = 3;

/** The window a rate-limit case fills: the burst's where its limit is the smaller, else the limit's. */
export function bindingWindow(limit: RateLimit): { budget: number; windowSeconds: number } {
  return limit.burst && limit.burst.limit < limit.limit
    ? { budget: limit.burst.limit, windowSeconds: limit.burst.windowSeconds }
    : { budget: limit.limit, windowSeconds: limit.windowSeconds };
}

/**
 * Where on the target's clock a request was counted (ms), from the target's clock window read
 * before it was sent and again once it was answered: inside the first, unless the answer came
 * after the first's end (a request slower than the target's clock window allowed for), then no
 * later than the second's end.
 */
export function countedWithin(before: ClockWindow, after: ClockWindow): ClockWindow {
  return { loMs: before.loMs, hiMs: after.loMs > before.hiMs ? after.hiMs : before.hiMs };
}

/**
 * Brings the target's clock forward by `ms` at least: moved, where the run is no guest and the
 * target's clock moves, by whole seconds (as a target's clock hook takes them) where passing the
 * instant by up to `overshootMs` does no harm; else waited in the run's time (a guest's clock, or
 * real time), a wait that ends early, rejecting, when the run's deadline passes.
 */
export async function passClock(
  ctx: EngineContext,
  ms: number,
  during: string,
  overshootMs = 1000,
): Promise<void> {
  if (ms <= 0) return;
  const { target } = ctx;
  const seconds = Math.ceil(ms / 1000);
  if (!ctx.guest && target.advanceClock && seconds * 1000 - ms <= overshootMs)
    return target.advanceClock(seconds);
  await (ctx.guest?.clock ?? realWaitClock).wait(Math.ceil(ms), target.deadline, during);
}

/**
 * Fills the binding rate window of a limit on the clock with accepted requests after the accepted
 * twin (counted within `twin`), so that the request sent at once after (the faulty one) is the
 * one past the budget in the window it falls in; `send(n)` sends the window's nth request, which
 * must be accepted.
 *
 * A request is sent only where the window it falls in is known and has more than 2 s left (a
 * quarter of a shorter window) after the latest instant it may be counted at. Else the burst
 * moves to the first window that starts after every request of the case, and fills it from its
 * start: on a target whose clock moves, the clock is moved there; on a guest, or a target whose
 * clock does not move, it is waited for. Where a burst binds, the main window must keep room for
 * it: the requests of a burst window left behind count in the main window, so the move may have to
 * go to the main window's next start. A burst that does not fit in a window from its start, at
 * this target's speed, is SKIP (TargetLacksError), as is one that needs a real wait longer than
 * --max-wait, or a target whose clock is known too coarsely for the window.
 */
export async function spendWindowOnClock(
  ctx: EngineContext,
  limit: RateLimit,
  twin: ClockWindow,
  send: (n: number) => Promise<void>,
): Promise<void> {
  const { target } = ctx;
  const { budget, windowSeconds } = bindingWindow(limit);
  const win = windowSeconds * 1000;
  const edge = Math.min(EDGE_MS, win / 4);
  // The main window, where a burst binds.
  const main = budget < limit.limit ? { ms: limit.windowSeconds * 1000, limit: limit.limit } : null;
  const of = (ms: number, length: number) => Math.floor(ms / length);
  const notFit = () =>
    new TargetLacksError(
      `the ${budget} requests of a rate window do not fit in one ${windowSeconds} s window on the clock at this target's speed: the limit was not checked`,
    );
  // Where the case's latest request was counted.
  let last = twin;
  // The binding window the case is in, the case's requests counted in it, whether that count is
  // exact (none of them may have been counted on the other side of one of its ends), and
  // whether the case has been in it since its start.
  let window = of(twin.loMs, win);
  let count = 1;
  let exact = of(twin.hiMs, win) === window;
  let fromStart = false;
  // What the main window holds at most: on a guest, what earlier traffic left in it (the ledger
  // waited until it had room for the budget and one more), and the case's own requests.
  let mainWindow = main ? of(twin.loMs, main.ms) : 0;
  let mainHeld = (ctx.guest && main ? main.limit - budget - 1 : 0) + 1;
  let moves = 0;
  for (;;) {
    const c = targetClockWindow(target);
    const width = c.hiMs - c.loMs;
    if (width + edge >= win)
      throw new TargetLacksError(
        `the target's clock is known only to within ${Math.round(width)} ms, too coarsely to place requests inside one ${windowSeconds} s rate window on the clock: the limit was not checked`,
      );
    if (of(c.loMs, win) !== window) {
      // The window ended. A burst filling it from its start did not fit in it.
      if (fromStart && count > 0) throw notFit();
      window = of(c.loMs, win);
      // None of the case's requests is counted in it, unless the latest may have been.
      exact = of(last.hiMs, win) < window;
      count = exact ? 0 : 1;
      fromStart = exact;
    }
    if (main && of(c.loMs, main.ms) !== mainWindow) {
      mainWindow = of(c.loMs, main.ms);
      mainHeld = of(last.hiMs, main.ms) < mainWindow ? 0 : 1;
    }
    const mainHasRoom = !main || mainHeld + budget - count <= main.limit;
    if (exact && mainHasRoom && c.hiMs + edge < (window + 1) * win) {
      if (count >= budget) return;
      count++;
      mainHeld++;
      await send(count);
      last = countedWithin(c, targetClockWindow(target));
      continue;
    }
    // To the first window that starts after every request of the case (and, where a burst binds
    // and the main window would run out, after the main window's end), with room for the burst.
    if ((fromStart && count > 0) || ++moves > MOST_MOVES) throw notFit();
    let to = (of(Math.max(c.loMs, last.hiMs), win) + 1) * win;
    if (main && of(to, main.ms) === mainWindow && mainHeld + budget > main.limit)
      to = (mainWindow + 1) * main.ms;
    const room = (at: number) => (of(at, win) + 1) * win - (at + width + edge);
    if (room(to) <= 0) to = (of(to, win) + 1) * win;
    const ms = to - c.loMs;
    const maxWait = ctx.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
    if ((ctx.guest || !target.advanceClock) && ms > maxWait * 1000)
      throw new TargetLacksError(
        `the next ${windowSeconds} s rate window on the clock a burst can fill is ${Math.ceil(ms / 1000)} s away, and waiting that long is longer than --max-wait ${maxWait} s: the limit was not checked`,
      );
    await passClock(ctx, ms, 'the next rate window on the clock', room(to));
  }
}
