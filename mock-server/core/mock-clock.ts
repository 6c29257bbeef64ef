/**
 * The mock's clock: real time plus an offset that tests and SDK developers move forward
 * (`POST /__mock/clock`) to see keys, tokens, nonces and rate windows expire without waiting.
 */
import type { Clock } from './mock-types.ts';

/** The farthest the clock moves: a century, well inside what a Date can hold (±8.64e15 ms). */
export const MAX_OFFSET_SECONDS = 100 * 365 * 86_400;

export class MockClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.offsetMs;
  }

  /** Moves the clock forward (never back: expiry that happened stays happened). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError('the mock clock only moves forward by a finite number of milliseconds');
    if (this.offsetMs + ms > MAX_OFFSET_SECONDS * 1000)
      throw new RangeError(`the mock clock moves at most ${MAX_OFFSET_SECONDS} s in all`);
    this.offsetMs += ms;
  }

  /** Takes the offset every mock sharing one store runs on (the store holds it). */
  follow(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
