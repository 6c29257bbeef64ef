/**
 * The provider-state protocol (docs/state-protocol.md): a real server's test deployment offers
 * the verbs the bundled mock has under /__mock/ (reset, clock) plus "ensure this credentials
 * role exists", under a base URL of its choosing and behind a bearer token of its own. Given
 * `run --state-url`, the harness resets the target and moves its clock through them, so the
 * clock and reset scenarios run instead of SKIP (the idea of Pact's provider states).
 *
 * The token is never printed: an error quotes the state URL and where the token came from, and a
 * body the server sends back is shown with the token masked.
 */
import { request } from 'undici';
import { maskSecret } from '../secrets/mask.ts';
import { DeadlinePassedError, type RunDeadline } from './run-deadline.ts';
import { syncClock } from './http-target.ts';
import { type Target } from './target.ts';
import { TargetError } from './target-error.ts';

export interface StateHooks {
  /** The state base URL, as given (no trailing slash). */
  readonly url: string;
  /** GET {url}/clock: the hooks answer and accept the token (else StateTokenRefusedError). */
  check(): Promise<void>;
  /** POST {url}/reset: back to the seeded state, its clock included. */
  reset(): Promise<void>;
  /** POST {url}/clock {advanceSeconds}: the target's clock moved forward. */
  advanceClock(seconds: number): Promise<void>;
  /** POST {url}/ensure {role}: the credentials of that role, or undefined when it cannot (404). */
  ensure(role: string): Promise<unknown>;
}

export interface StateHooksOptions {
  /** Where the token came from, for messages: "--state-token-env STAGING_STATE_TOKEN". */
  tokenSource: string;
  timeoutMs?: number;
  deadline?: RunDeadline;
}

/** The state hooks answered 401 or 403: the token is wrong (or missing on their side). */
export class StateTokenRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateTokenRefusedError';
  }
}

/** Most of a state answer read: the protocol's bodies are a few hundred bytes. */
const MAX_STATE_BODY = 64 * 1024;

export function stateHooks(url: string, token: string, opts: StateHooksOptions): StateHooks {
  const base = url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const hide = (text: string) => text.split(token).join(maskSecret(token));

  const call = async (
    method: 'GET' | 'POST',
    verb: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> => {
    const where = `${method} ${base}/${verb}`;
    if (opts.deadline?.signal.aborted) throw new DeadlinePassedError(opts.deadline, where);
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = opts.deadline ? AbortSignal.any([timer, opts.deadline.signal]) : timer;
    let status: number;
    let text: string;
    try {
      const res = await request(`${base}/${verb}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
        signal,
      });
      status = res.statusCode;
      text = (await res.body.text()).slice(0, MAX_STATE_BODY);
    } catch (e) {
      if (opts.deadline?.signal.aborted) throw new DeadlinePassedError(opts.deadline, where);
      const err = e as Error & { code?: string };
      throw new TargetError(
        `${where} (--state-url): ${timer.aborted ? `no answer within ${timeoutMs} ms` : `${err.code ?? err.name} ${err.message}`}`,
      );
    }
    if (status === 401 || status === 403)
      throw new StateTokenRefusedError(
        `--state-url ${base} refused the bearer token from ${opts.tokenSource} (${where} answered ${status}); give the token the target's state hooks expect`,
      );
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (status >= 200 && status < 300) return { status, body: parsed };
    if (status === 404 && verb === 'ensure') return { status, body: parsed };
    throw new TargetError(
      `${where} (--state-url) answered ${status}: ${hide(text.slice(0, 400))}; see docs/state-protocol.md`,
    );
  };

  return {
    url: base,
    check: async () => {
      await call('GET', 'clock');
    },
    reset: async () => {
      await call('POST', 'reset', {});
    },
    advanceClock: async (seconds) => {
      await call('POST', 'clock', { advanceSeconds: seconds });
    },
    ensure: async (role) => {
      const res = await call('POST', 'ensure', { role });
      if (res.status === 404) return undefined;
      const answer = res.body as { credentials?: unknown } | undefined;
      if (answer === null || typeof answer !== 'object' || !('credentials' in answer))
        throw new TargetError(
          `POST ${base}/ensure (--state-url) for ${role} answered without a "credentials" member; see docs/state-protocol.md`,
        );
      return answer.credentials;
    },
  };
}

/**
 * The target, reset and clock-moved through the state hooks. After its clock moved (forward, or
 * back to now by a reset that follows a move), the target's Date header is read again, so the
 * timestamps of the next requests are drawn on the clock the target now keeps.
 */
export function withStateHooks<T extends Target>(target: T, hooks: StateHooks): T {
  let moved = false;
  return Object.assign(target, {
    reset: async () => {
      await hooks.reset();
      if (moved) await syncClock(target);
      moved = false;
    },
    advanceClock: async (seconds: number) => {
      await hooks.advanceClock(seconds);
      moved = true;
      await syncClock(target);
    },
  });
}
