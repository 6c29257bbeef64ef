/**
 * The whole run's deadline (`run --max-time`): when it passes, the exchange in flight is aborted,
 * every wait the run is taking ends, and the cases not finished are ERROR with that reason. The
 * reports are still written: a run that ran out of time says so rather than hanging.
 */
import { TargetError } from './target-error.ts';

export interface RunDeadline {
  /** Aborted when the deadline passes. */
  readonly signal: AbortSignal;
  /** As the user gave it, for reasons: `--max-time 90s`. */
  readonly flag: string;
}

/**
 * A wait the run is taking, for the progress output (a countdown; one line in a log): why, and
 * when it ends, in the time of the clock that waits (ms since the epoch).
 */
export interface WaitNotice {
  reason: string;
  untilMs: number;
  /** That clock's time when the wait began. */
  fromMs: number;
}

/** A deadline `seconds` from now (its timer does not keep the process alive). */
export function runDeadline(seconds: number, flag = `--max-time ${seconds}s`): RunDeadline {
  return { signal: AbortSignal.timeout(seconds * 1000), flag };
}

/** The reason of a case the deadline cut short or never let start. */
export function deadlineReason(deadline: RunDeadline, when: 'ran' | 'finished'): string {
  return `run deadline (${deadline.flag}) passed before this scenario ${when}`;
}

/** The deadline passed during an exchange or a wait: the target could not be asked (ERROR). */
export class DeadlinePassedError extends TargetError {
  constructor(deadline: RunDeadline, during: string) {
    super(`run deadline (${deadline.flag}) passed during ${during}`);
    this.name = 'DeadlinePassedError';
  }
}

/** Waits `ms`, or less if the deadline passes first (then rejects with DeadlinePassedError). */
export function waitBefore(
  deadline: RunDeadline | undefined,
  ms: number,
  during = 'a wait',
): Promise<void> {
  const signal = deadline?.signal;
  if (signal?.aborted) return Promise.reject(new DeadlinePassedError(deadline!, during));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DeadlinePassedError(deadline!, during));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
