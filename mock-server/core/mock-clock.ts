/**
 * The mock's clock: real time plus an offset that tests and SDK developers move forward
 * (`POST /__mock/clock`) to see keys, tokens, nonces and rate windows expire without waiting.
 */
import type { Clock } from './mock-types.ts';

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
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
