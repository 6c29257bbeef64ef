/**
 * `appTarget(app)`: a Node app of the caller's own as a target, asked in-process with no socket,
 * whichever of the three kinds it is. How the kind is told:
 *
 * 1. a target made by an explicit constructor (`nodeListenerTarget`, `fetchHandlerTarget`,
 *    `fastifyTarget`) keeps the kind it was given: the explicit wrapper always wins;
 * 2. an object with an `inject` method is a Fastify instance (asked through `inject`);
 * 3. an object with a `fetch` method is a Fetch app (a Hono app: asked through `app.fetch`);
 * 4. a function of two or more declared parameters is a Node listener `(req, res)` (an Express
 *    app declares three), one of at most one parameter a Fetch handler `(request)`.
 *
 * Rule 4 reads `Function.length`, which counts parameters before the first default or rest one:
 * `(...args) => app(...args)` counts 0, `(request, env) => ...` counts 2. For such a function,
 * name the kind with its explicit constructor.
 */
import { fastifyTarget, type InjectableApp } from './fastify-inject-target.ts';
import { fetchHandlerTarget, type FetchApp, type FetchHandler } from './fetch-handler-target.ts';
import { kindMarkOf } from './in-process-kind.ts';
import { describeValue, type InProcessOptions } from './in-process-target.ts';
import { nodeListenerTarget, type NodeListener } from './node-listener-target.ts';
import type { Target } from './target.ts';

/**
 * Options for whichever kind is told: a fresh app `reset` returns is checked at run time to be of
 * the kind the first one was told to be (a clear error otherwise), so the static type is loose.
 */
type Options = InProcessOptions<never>;

/** An app `appTarget` can ask in-process (see its rules for how the kind is told). */
export type InProcessApp = NodeListener | FetchHandler | FetchApp | InjectableApp | Target;

/**
 * `app` as a target asked in-process, with no socket: its kind told by its shape (a target an
 * explicit constructor made keeps its kind; then an object with `inject` is a Fastify instance,
 * one with `fetch` a Fetch app such as Hono, a function of two or more parameters a Node
 * listener, of fewer a Fetch handler). `verify({ target: app })` calls it for you. `options` are
 * the run's (timeout, body cap, deadline) and the app's hooks (`reset`, `advanceClock`, `now`);
 * for a target from an explicit constructor, what its own options say wins over `options`.
 *
 * Throws a `TypeError` naming what it got when `app` is none of these.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { appTarget, verify } from 'authconform';
 *
 * const app = express(); // your app, its routes and auth middleware included
 * const target = appTarget(app, { timeoutMs: 2_000 });
 * const record = await verify({ profile: 'vesuviopay', target, credentials: 'credentials.yaml' });
 * ```
 */
export function appTarget(app: InProcessApp, options: InProcessOptions<InProcessApp> = {}): Target {
  const mark = kindMarkOf(app);
  if (mark) {
    const merged = { ...options, ...definedOnly(mark.options) } as Options;
    if (mark.kind === 'Node listener') return nodeListenerTarget(mark.app as NodeListener, merged);
    if (mark.kind === 'Fetch handler') return fetchHandlerTarget(mark.app as FetchHandler, merged);
    return fastifyTarget(mark.app as InjectableApp, merged);
  }
  const opts = options as Options;
  if (isObjectWith(app, 'inject')) return fastifyTarget(app as InjectableApp, opts);
  if (isObjectWith(app, 'fetch')) return fetchHandlerTarget(app as FetchApp, opts);
  if (typeof app === 'function')
    return app.length >= 2
      ? nodeListenerTarget(app as NodeListener, opts)
      : fetchHandlerTarget(app as FetchHandler, opts);
  throw new TypeError(
    `appTarget: expected a Node listener (req, res), a Fetch handler (request) or an object with a fetch method, or a Fastify instance (an object with inject); got ${describeValue(app)}`,
  );
}

/**
 * Whether `value` is an app `appTarget` can ask, or a target an explicit constructor made (built
 * again with a run's bounds); a Target of any other making is not.
 */
export function isInProcessApp(value: unknown): value is Exclude<InProcessApp, Target> {
  return (
    kindMarkOf(value) !== undefined ||
    typeof value === 'function' ||
    isObjectWith(value, 'inject') ||
    isObjectWith(value, 'fetch')
  );
}

function isObjectWith(value: unknown, method: string): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Record<string, unknown>)[method] === 'function'
  );
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
