/**
 * The bounds every target that is not ours keeps, over HTTP or in-process alike: one exchange ends
 * at `timeoutMs` or at the run's deadline, whichever comes first (a target that never answers is
 * ERROR, not a hang), and a response body is read up to `maxBodyBytes` and no further.
 */
import { TargetError } from './target-error.ts';
import { DeadlinePassedError, type RunDeadline } from './run-deadline.ts';

/** `--timeout`: the longest one exchange may take, connect to the body's last byte. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * `--max-body`: 1 MiB. Every answer an auth conformance run needs is small (an error body, a
 * token, a created key or a page of a resource: a few KiB), and a report keeps only its first
 * 2,000 characters; 1 MiB leaves a real API's larger list pages hundredfold room while a hostile
 * target cannot make the harness hold more than that per exchange.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ExchangeBounds {
  timeoutMs: number;
  deadline?: RunDeadline | undefined;
  /** What the timeout covers, for its message: "connect, headers and the whole body". */
  spans: string;
}

/**
 * Runs one exchange under the timeout and the deadline. `exchange` is given the signal that
 * aborts it; an exchange that does not listen (an in-process handler that never answers) is left
 * behind when the signal fires. Any failure becomes a TargetError saying where and why.
 */
export async function boundedExchange<T>(
  where: string,
  bounds: ExchangeBounds,
  exchange: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { timeoutMs, deadline } = bounds;
  if (deadline?.signal.aborted) throw new DeadlinePassedError(deadline, where);
  // A timer that holds the event loop (AbortSignal.timeout's does not): an in-process exchange
  // holds no socket, so a script awaiting an app that never answers would otherwise exit before
  // the timeout fired, with no verdict and no error.
  const timer = new AbortController();
  const timeout = setTimeout(
    () => timer.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  const signal = deadline ? AbortSignal.any([timer.signal, deadline.signal]) : timer.signal;
  try {
    return await untilAborted(exchange(signal), signal);
  } catch (e) {
    if (deadline?.signal.aborted) throw new DeadlinePassedError(deadline, where);
    if (timer.signal.aborted)
      throw new TargetError(
        `${where}: no complete answer within --timeout ${timeoutMs} ms (${bounds.spans})`,
      );
    if (e instanceof TargetError) throw e;
    const err = e as Error & { code?: string };
    throw new TargetError(`${where}: ${err.code ?? err.name} ${err.message}`);
  } finally {
    clearTimeout(timeout);
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * A body read up to `maxBytes` from its chunks: past that `stop()` is called (the connection
 * dropped, the stream cancelled) and the exchange is an error naming the cap, so a 50 MB or
 * endless answer costs at most the cap. A declared Content-Length over the cap stops it unread.
 */
export async function readCappedBody(
  chunks: AsyncIterable<Uint8Array>,
  cap: { maxBytes: number; declaredLength?: number; stop: () => void },
  where: string,
): Promise<string> {
  const tooBig = () =>
    new TargetError(
      `${where}: the response body is larger than --max-body ${cap.maxBytes} bytes; reading stopped there (raise --max-body if the target's answers are really that large)`,
    );
  if ((cap.declaredLength ?? 0) > cap.maxBytes) {
    cap.stop();
    throw tooBig();
  }
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > cap.maxBytes) {
      cap.stop();
      throw tooBig();
    }
    kept.push(Buffer.from(chunk));
  }
  return Buffer.concat(kept).toString('utf8');
}
