/**
 * The time a run waits in: real time for a run, a fake one for tests. The engine's pacing and
 * rate-window waits go through it (EngineContext.clock, RunOptions.clock), so a test of the
 * planner runs a minute of waiting in a millisecond (test/support/fake-wait-clock.ts). Every wait still ends with the run's
 * deadline.
 */
import { waitBefore, type RunDeadline, type WaitNotice } from '../targets/run-deadline.ts';

export type { WaitNotice };

export interface WaitClock {
  /** ms since the epoch. */
  now(): number;
  /** Waits `ms` (or rejects when the deadline passes first: DeadlinePassedError). */
  wait(ms: number, deadline: RunDeadline | undefined, during: string): Promise<void>;
}

export const realWaitClock: WaitClock = {
  now: () => Date.now(),
  wait: (ms, deadline, during) => waitBefore(deadline, ms, during),
};

/** Waits `ms` in `clock`, telling `onWait` first when the wait is long enough to be noticed. */
export async function noticedWait(
  clock: WaitClock,
  ms: number,
  deadline: RunDeadline | undefined,
  reason: string,
  onWait?: (w: WaitNotice) => void,
): Promise<void> {
  if (ms <= 0) return;
  const fromMs = clock.now();
  // A pacing gap of a few hundred ms is not news; a second or more is.
  if (ms >= 1000) onWait?.({ reason, untilMs: fromMs + ms, fromMs });
  await clock.wait(ms, deadline, reason);
}
