/**
 * What the in-process targets share: an app of the user's own (a Node listener, a Fetch handler,
 * a Fastify instance) answers in this process with no socket, yet is treated as the guest it is:
 * each exchange ends at `timeoutMs` or the run's deadline (a handler that never answers is
 * ERROR, not a hang), a body is read up to `maxBodyBytes`, and a 429 is waited out as over HTTP
 * (bounded-exchange.ts and honour-429.ts, the rules the HTTP target keeps). Each kind supplies
 * only the one exchange.
 *
 * The app's clock is the process clock, read exactly (same process), unless the app keeps its own
 * and says so with `now`. Reset and clock moves are the app's own (`reset`, `advanceClock`): with
 * them the stateful and clock scenarios run instead of SKIP, as on the bundled mock.
 */
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { maskKnownSecrets } from '../secrets/mask-known-secrets.ts';
import { boundedExchange, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS } from './bounded-exchange.ts';
import { honouring429 } from './honour-429.ts';
import type { RunDeadline } from './run-deadline.ts';
import { mockClockWindow, type Target } from './target.ts';
import { TargetError } from './target-error.ts';

/** The origin an in-process app sees in Host (what a signing scheme signs) and a curl replay names. */
export const DEFAULT_IN_PROCESS_BASE_URL = 'http://127.0.0.1';

/**
 * The options of an in-process target (`appTarget`, `nodeListenerTarget`, `fetchHandlerTarget`,
 * `fastifyTarget`): where the app is said to be, the guest rules' bounds, and the app's own
 * hooks for a reset and its clock. `App` is the kind `reset` may return a fresh one of.
 */
export interface InProcessOptions<App = unknown> {
  /**
   * The origin the app is asked at: its host is the request's Host header (a scheme that signs
   * the Host signs it) and a curl replay names it. Default `http://127.0.0.1`.
   */
  baseUrl?: string;
  /** Longest exchange, request to the last byte of the body (default 10,000 ms). */
  timeoutMs?: number;
  /** Largest response body read; a larger one ends the exchange as ERROR (default 1 MiB). */
  maxBodyBytes?: number;
  /** The run's deadline: aborts the exchange or wait in flight when it passes. */
  deadline?: RunDeadline;
  /**
   * Puts the app back to its seeded state (data, nonces, rate windows): called before every case,
   * as the bundled mock is reset. It may return a fresh app of the same kind, asked from then on
   * (the in-process twin of a server started per scenario); the old one is the caller's to close.
   */
  reset?(): void | App | Promise<void | App>;
  /** Moves the app's clock forward by `seconds` (its own clock, or a test's fake timers). */
  advanceClock?(seconds: number): void | Promise<void>;
  /**
   * The app's clock, ms since the epoch, when it keeps one of its own (default: `Date.now`, which
   * fake timers move too). Timestamps and token times are drawn on it.
   */
  now?(): number;
}

/** What one exchange is told: where the app is asked, when to give up, how much to read. */
export interface ExchangeContext {
  /** The full URL of the request: the base URL and the path with query as sent. */
  url: string;
  /** `host[:port]` of the base URL, for the Host header. */
  host: string;
  signal: AbortSignal;
  maxBodyBytes: number;
  /** "POST http://127.0.0.1/v1/charges", for messages. */
  where: string;
}

/** One exchange with `app`: the request in, the answer out (its body read within the cap). */
export type InProcessExchange<App> = (
  app: App,
  req: OutgoingRequest,
  ctx: ExchangeContext,
) => Promise<ReceivedResponse>;

/** The kinds, as a description and a report name them. */
export type InProcessKind = 'Node listener' | 'Fetch handler' | 'Fastify inject';

/** What a kind is asked with and how an app of it is recognised (a fresh one from `reset`). */
export interface InProcessKindOf<App> {
  kind: InProcessKind;
  /** "a Node listener (req, res)": what an app of this kind is, for messages. */
  what: string;
  is(value: unknown): value is App;
  exchange: InProcessExchange<App>;
}

/** A Target over one kind's exchange with `app`, with the guest rules and the user's hooks. */
export function inProcessTarget<App>(
  of: InProcessKindOf<App>,
  app: App,
  options: InProcessOptions<App>,
): Target {
  const { kind } = of;
  const base = (options.baseUrl ?? DEFAULT_IN_PROCESS_BASE_URL).replace(/\/+$/, '');
  let host: string;
  try {
    host = new URL(base).host;
  } catch {
    throw new TypeError(
      `in-process target (${kind}): baseUrl "${base}" is not a URL; give an origin such as http://127.0.0.1:3000`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const deadline = options.deadline;
  const now = options.now ?? Date.now;
  const where = (req: OutgoingRequest) => `${req.method} ${base}${req.pathWithQuery}`;

  let current = app;
  const once = (req: OutgoingRequest): Promise<ReceivedResponse> =>
    boundedExchange(
      where(req),
      { timeoutMs, deadline, spans: "the app's answer and its whole body" },
      (signal) =>
        of.exchange(current, req, {
          url: base + req.pathWithQuery,
          host,
          signal,
          maxBodyBytes,
          where: where(req),
        }),
    );
  const guest = honouring429(once, where, deadline);
  const { reset, advanceClock } = options;
  return {
    description: `in-process ${kind} (${base})`,
    baseUrl: base,
    send: guest.send,
    seeing429: guest.seeing429,
    nowSeconds: () => Math.floor(now() / 1000),
    // Same process: the clock is read exactly; a request sent now is checked within 250 ms.
    clockWindow: () => mockClockWindow(now()),
    ...(deadline ? { deadline } : {}),
    ...(reset
      ? {
          reset: async () => {
            const fresh = await reset();
            if (fresh === undefined) return;
            if (!of.is(fresh))
              throw new TypeError(
                `in-process target (${kind}): reset() returned ${describeValue(fresh)}, not ${of.what}; return a fresh app of the same kind, or nothing`,
              );
            current = fresh;
          },
        }
      : {}),
    ...(advanceClock
      ? { advanceClock: async (seconds: number) => void (await advanceClock(seconds)) }
      : {}),
    // The app is the caller's: they close it (a Fastify instance, a database) when they are done.
    close: async () => {},
  };
}

/**
 * The app threw (or rejected) instead of answering: the target could not be asked (ERROR). The
 * message names the error and where it was thrown; any value of the request's credentials it
 * quotes is masked (prefix and last four), since an app may put the key it refused in a message.
 */
export function appThrew(kind: InProcessKind, error: unknown, req: OutgoingRequest): TargetError {
  const err = error instanceof Error ? error : new Error(String(error));
  const at = err.stack
    ?.split('\n')
    .slice(1)
    .find((line) => !line.includes('node_modules') && !line.includes('node:'))
    ?.trim();
  const text = `the app (${kind}) threw instead of answering: ${err.name}: ${err.message.split('\n')[0]}${at ? ` (${at})` : ''}`;
  return new TargetError(maskKnownSecrets(text, requestSecrets(req)));
}

/** Headers that carry no credential: left out of what is masked in an app's error message. */
const PLAIN_HEADERS = new Set([
  'accept',
  'content-length',
  'content-type',
  'host',
  'user-agent',
  'date',
]);

/** Every value of the request that may be a credential: header values and their parts. */
function requestSecrets(req: OutgoingRequest): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (PLAIN_HEADERS.has(name.toLowerCase())) continue;
    out.add(value);
    for (const part of value.split(/[\s,;=]+/)) out.add(part);
  }
  return [...out].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
}

/** Response headers as the harness keeps them: lower-case names, repeated values joined. */
export function flatHeaders(
  headers: Record<string, string | number | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

/** A value in a few words, for a message about what was given instead of an app. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `a function of ${value.length} parameter(s)`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  const keys = Object.keys(value).slice(0, 6);
  return `an object (${value.constructor?.name ?? 'Object'}) with ${keys.length ? keys.join(', ') : 'no own properties'}`;
}
