/**
 * A Fetch-style handler as a target, asked in-process: `(request: Request) => Response` (sync or
 * async): Hono's `app.fetch`, itty-router, a Next.js route handler, Deno or Bun style servers; or
 * an object with such a `fetch` method (a Hono app itself).
 *
 * A handler that throws or rejects is answered 500 with an empty body: that is what every server
 * that hosts this kind sends (@hono/node-server, Deno.serve, Bun.serve, Next.js), so the verdicts
 * match those over HTTP. (A framework's own error handler, Hono's onError, answers first.)
 */
import { readCappedBody } from './bounded-exchange.ts';
import { markKind } from './in-process-kind.ts';
import {
  appThrew,
  inProcessTarget,
  type InProcessKindOf,
  describeValue,
  type InProcessOptions,
} from './in-process-target.ts';
import { parseBody, type Target } from './target.ts';

/** `(request) => Response | Promise<Response>`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** An object that answers through its `fetch` method (a Hono app). */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

const FETCH_HANDLER: InProcessKindOf<FetchHandler | FetchApp> = {
  kind: 'Fetch handler',
  what: 'a Fetch handler (request) or an object with a fetch method',
  is: (value): value is FetchHandler | FetchApp =>
    typeof value === 'function' ||
    (value !== null &&
      typeof value === 'object' &&
      typeof (value as { fetch?: unknown }).fetch === 'function'),
  async exchange(handler, req, ctx) {
    // Built outside the handler's try: a request the Fetch API cannot carry (a header value with
    // a control character) is not the app's failure, it is ERROR, as undici refuses it over HTTP.
    const request = new Request(ctx.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: ctx.signal,
    });
    let res: unknown;
    let note: string | undefined;
    try {
      res = await (typeof handler === 'function' ? handler(request) : handler.fetch(request));
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      // What a host sends for it; what was thrown goes with the exchange, secrets masked.
      res = new Response(null, { status: 500 });
      note = appThrew('Fetch handler', e, req).message;
    }
    // Duck-typed: @hono/node-server swaps the global Response for a lighter class of its own.
    if (!isResponse(res))
      throw new TypeError(
        `the Fetch handler answered ${describeValue(res)}, not a Response; a handler returns (or resolves to) new Response(...)`,
      );
    const body = res.body;
    const rawBody = body
      ? await readCappedBody(
          body as unknown as AsyncIterable<Uint8Array>,
          {
            maxBytes: ctx.maxBodyBytes,
            declaredLength: Number(res.headers.get('content-length')),
            stop: () => void body.cancel().catch(() => {}),
          },
          ctx.where,
        )
      : '';
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    return {
      status: res.status,
      headers,
      body: parseBody(rawBody),
      rawBody,
      ...(note ? { note } : {}),
    };
  },
};

/**
 * A target that asks `handler` (or `app.fetch`) in-process. Use it where `appTarget` would guess
 * wrong: a handler declared with two or more parameters (`(request, env) => ...`). A handler that
 * throws is answered 500, as its host would. Throws nothing itself.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { fetchHandlerTarget, verify } from 'authconform';
 *
 * const app = new Hono(); // your routes and auth middleware
 * const target = fetchHandlerTarget(app, { baseUrl: 'http://127.0.0.1:8787' });
 * await verify({ profile: 'gateway', target, credentials: 'credentials.yaml' });
 * ```
 */
export function fetchHandlerTarget(
  handler: FetchHandler | FetchApp,
  options: InProcessOptions<FetchHandler | FetchApp> = {},
): Target {
  return markKind(inProcessTarget(FETCH_HANDLER, handler, options), {
    kind: 'Fetch handler',
    app: handler,
    options,
  });
}

function isResponse(value: unknown): value is Response {
  const r = value as Response | null | undefined;
  return typeof r?.status === 'number' && typeof r.headers?.forEach === 'function';
}
