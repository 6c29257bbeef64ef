/** A WaitClock for tests: the engine's waits (pacing, fresh rate windows) take no real time. */
import { waitBefore } from '../../src/targets/run-deadline.ts';
import type { WaitClock } from '../../src/engine/wait-clock.ts';

/**
 * A clock that waits no real time: each wait moves it forward by the wait's length at once.
 * `waited` lists the waits taken, in ms, for a test to assert on.
 */
export function fakeWaitClock(startMs = Date.UTC(2026, 0, 1)): WaitClock & {
  waited: number[];
  advance(ms: number): void;
} {
  let now = startMs;
  const waited: number[] = [];
  return {
    waited,
    now: () => now,
    advance: (ms) => void (now += ms),
    wait: async (ms, deadline, during) => {
      await waitBefore(deadline, 0, during);
      waited.push(ms);
      now += Math.max(0, ms);
    },
  };
}
