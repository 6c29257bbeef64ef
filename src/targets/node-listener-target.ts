/**
 * A Node `http` request listener as a target, asked in-process with no socket: an Express app, a
 * Koa `app.callback()`, Fastify's `app.routing`, Hono's `getRequestListener(app.fetch)`, or any
 * `(req, res) => void`. The request and response are light-my-request's (the fastify org's
 * injection library, what Fastify's own `inject` is built on): IncomingMessage and ServerResponse
 * look-alikes a framework cannot tell from a socket's.
 *
 * Pass an Express app itself, not a function that calls it: Express swaps the request's prototype
 * for its own, and light-my-request puts its request back under Express's only when it is given
 * the app (it recognises `app.request.app === app`). A wrapped Express app never answers (ERROR
 * at the timeout). To ask a fresh app per case, return it from `reset`.
 *
 * A listener that throws, or returns a promise that rejects, has no answer: a Node server would
 * have nothing to send either (a throw crashes it, a rejection leaves the request hanging), so
 * the verdict is ERROR naming the error, not an invented 500. A framework that catches its
 * errors (Express's error handler, Koa's) answers its own 500, which the checks see as any answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import inject from 'light-my-request';
import { injectedResponse, injectOptions } from './injected-exchange.ts';
import { markKind } from './in-process-kind.ts';
import {
  appThrew,
  inProcessTarget,
  type InProcessKindOf,
  type InProcessOptions,
} from './in-process-target.ts';
import type { Target } from './target.ts';

/** `(req, res) => void`: what `http.createServer` takes. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

const NODE_LISTENER: InProcessKindOf<NodeListener> = {
  kind: 'Node listener',
  what: 'a Node listener (req, res)',
  is: (value): value is NodeListener => typeof value === 'function',
  async exchange(listener, req, ctx) {
    let threw: (e: unknown) => void = () => {};
    const thrown = new Promise<never>((_, reject) => (threw = reject));
    const injected = inject(
      isExpressApp(listener) ? listener : guarded(listener, threw),
      injectOptions(req, ctx),
    );
    let res;
    try {
      res = await Promise.race([injected, thrown]);
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      throw appThrew('Node listener', e, req);
    }
    return injectedResponse(res, ctx);
  },
};

/**
 * A target that asks the Node listener `listener` (`(req, res)`, an Express app itself)
 * in-process. Use it where `appTarget` would guess wrong: a listener written with rest parameters
 * (`(...args) => handle(...args)` has arity 0). A listener that throws makes the case ERROR.
 * Throws nothing itself.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { nodeListenerTarget, verify } from 'authconform';
 *
 * const createApp = () => express(); // your app factory, seeded with its test data
 * // A fresh app before every case: nonces and rate windows start unspent.
 * const target = nodeListenerTarget(createApp(), { reset: createApp });
 * await verify({ profile: 'vesuviopay', target, credentials: 'credentials.yaml' });
 * ```
 */
export function nodeListenerTarget(
  listener: NodeListener,
  options: InProcessOptions<NodeListener> = {},
): Target {
  return markKind(inProcessTarget(NODE_LISTENER, listener, options), {
    kind: 'Node listener',
    app: listener,
    options,
  });
}

/** The test light-my-request makes to give Express its request prototype back. */
function isExpressApp(listener: NodeListener): boolean {
  const request = (listener as { request?: { app?: unknown } }).request;
  return request?.app === listener;
}

/**
 * The listener, its throws and rejections reported through `threw` (Express catches its own, and
 * is passed as it is). A rejected promise from an async listener is caught, not left unhandled.
 */
function guarded(listener: NodeListener, threw: (e: unknown) => void): NodeListener {
  return function (this: unknown, req, res) {
    try {
      const result = listener.call(this, req, res) as { then?: unknown } | undefined;
      if (typeof result?.then === 'function') (result as Promise<unknown>).then(undefined, threw);
    } catch (e) {
      threw(e);
    }
  };
}
