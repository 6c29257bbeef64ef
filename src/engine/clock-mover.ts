/**
 * How a requirement that needs time to pass (the end of a rotation grace, a token's expiry, a rate
 * window's reset) gets it: the target's own clock moved forward where the target allows it (the
 * bundled mock); else, where the wait is short enough, real time waited out; else nothing, and the
 * verdict says what went unchecked (PARTIAL or SKIP, never PASS).
 */
import type { Target } from '../targets/target.ts';
import { realWaitClock, type WaitClock } from './wait-clock.ts';

/** Longest real wait a run takes for one step unless told otherwise (`--max-wait`). */
export const DEFAULT_MAX_WAIT_SECONDS = 30;

export interface ClockMover {
  /** Moves time forward by `seconds` on the target's clock. */
  move(seconds: number): Promise<void>;
  /** true: real time is waited out (once per model run, within a budget: see `available`). */
  real: boolean;
  /**
   * Whether a wait may be taken now. Real waits: once per model run, and at most twice
   * --max-wait in all, so a scenario's real waiting stays bounded however many runs it has.
   */
  available(): boolean;
  /** A new model run begins. */
  newRun(): void;
  /** A model checked what only holds once the time passed (a retired secret refused). */
  noteChecked(): void;
  /** Whether any such check was made: a real wait with none after it leaves the verdict PARTIAL. */
  readonly checked: boolean;
}

/**
 * The mover for waits of up to `longestSeconds`, or undefined when the target's clock cannot be
 * moved and such a wait is longer than `maxWaitSeconds`. A real wait is taken in `clock` (the
 * run's: EngineContext.guest; a test's fake one takes no time).
 */
export function clockMover(
  target: Target,
  longestSeconds: number,
  maxWaitSeconds = DEFAULT_MAX_WAIT_SECONDS,
  clock: WaitClock = realWaitClock,
): ClockMover | undefined {
  const advance = target.advanceClock?.bind(target);
  if (!advance && longestSeconds > maxWaitSeconds) return undefined;
  let waitedThisRun = false;
  let waitedInAll = 0;
  let checked = false;
  return {
    real: !advance,
    available: () =>
      !!advance || (!waitedThisRun && waitedInAll + longestSeconds <= 2 * maxWaitSeconds),
    newRun: () => (waitedThisRun = false),
    noteChecked: () => (checked = true),
    get checked() {
      return checked;
    },
    move: async (seconds) => {
      if (advance) return advance(seconds);
      waitedThisRun = true;
      waitedInAll += seconds;
      await clock.wait(seconds * 1000, target.deadline, `a real wait of ${seconds} s`);
    },
  };
}

/** Why a wait of `seconds` was not taken: for the verdict's reason. */
export function unwaitedReason(what: string, seconds: number, maxWaitSeconds: number): string {
  return `${what} was not checked: the target's clock cannot be moved and waiting ${seconds} s is longer than --max-wait ${maxWaitSeconds} s`;
}
