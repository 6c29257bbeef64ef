/**
 * Where requests go. Every target answers the same interface, so the engine cannot tell the
 * bundled mock in-process from a partner's server across the world.
 */
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import type { RunDeadline } from './run-deadline.ts';

/**
 * Where a run's requests go: one `send` per exchange, the target's clock, and what it offers
 * (reset, clock moves). `httpTarget`, `appTarget` and the in-process constructors make one; a
 * target of your own (a recording or logging wrapper) implements it and is passed as
 * `verify({ target })`. A method the target lacks makes the scenarios that need it SKIP, saying so.
 */
export interface Target {
  /** Shown in reports: "mock (in-process)", or the URL. */
  readonly description: string;
  /** The base URL a curl replay uses. */
  readonly baseUrl: string;
  send(req: OutgoingRequest): Promise<ReceivedResponse>;
  /** The target's clock, seconds since the epoch (timestamp windows, JWT times). */
  nowSeconds(): number;
  /** Where the target's clock (ms) will be when a request sent now is checked, as far as known. */
  clockWindow?(): ClockWindow;
  /** Narrows what is known of the target's clock (a few cheap requests), where it is worth it. */
  calibrateClock?(): Promise<void>;
  /** Runs `fn` with 429s passed through instead of waited out (a rate-limit scenario wants to see them). */
  seeing429?<T>(fn: () => Promise<T>): Promise<T>;
  /** Moves the target's clock forward, where the target offers it (the mock): grace periods, windows. */
  advanceClock?(seconds: number): Promise<void>;
  /** Started for this one scenario (a test's own server): its rate windows are unspent. */
  readonly startsFresh?: boolean;
  /** The run's deadline (`--max-time`): a wait the engine takes for this target ends with it. */
  readonly deadline?: RunDeadline;
  /** Back to a known state between properties, where the target offers it (the mock). */
  reset?(): Promise<void>;
  close(): Promise<void>;
}

/** The authority requests to the target carry in Host (`host[:port]`): what a scheme signs. */
export function targetHost(target: Pick<Target, 'baseUrl'>): string {
  return new URL(target.baseUrl).host;
}

/** An interval of the target's clock, ms since the epoch: it is somewhere in [loMs, hiMs]. */
export interface ClockWindow {
  loMs: number;
  hiMs: number;
}

/** The bundled mock's clock, read exactly: a request sent now is checked within 250 ms. */
export function mockClockWindow(nowMs: number): ClockWindow {
  return { loMs: nowMs, hiMs: nowMs + 250 };
}

export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The target cannot do what a scenario needs (move its clock): the verdict is SKIP, saying so. */
export class TargetLacksError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetLacksError';
  }
}
