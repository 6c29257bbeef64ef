/**
 * A Fastify instance as a target, asked through its own `inject` (light-my-request, no socket).
 * `inject` waits for the instance to be ready, so the caller passes it as built, not listening.
 * Fastify answers its own errors (its error handler, or its default 500); an `inject` that
 * rejects (a plugin that failed to load) could not be asked: ERROR, naming the error.
 */
import type { InjectOptions, Response as InjectResponse } from 'light-my-request';
import { injectedResponse, injectOptions } from './injected-exchange.ts';
import { markKind } from './in-process-kind.ts';
import {
  appThrew,
  inProcessTarget,
  type InProcessKindOf,
  type InProcessOptions,
} from './in-process-target.ts';
import type { Target } from './target.ts';

/** What the target needs of a Fastify instance: its `inject` (a `FastifyInstance` has it). */
export interface InjectableApp {
  inject(opts: InjectOptions): PromiseLike<InjectResponse>;
}

const FASTIFY_INJECT: InProcessKindOf<InjectableApp> = {
  kind: 'Fastify inject',
  what: 'a Fastify instance (an object with inject)',
  is: (value): value is InjectableApp =>
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { inject?: unknown }).inject === 'function',
  async exchange(app, req, ctx) {
    let res: InjectResponse;
    try {
      res = await app.inject(injectOptions(req, ctx));
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      throw appThrew('Fastify inject', e, req);
    }
    return injectedResponse(res, ctx);
  },
};

/**
 * A target that asks the Fastify instance `app` through `app.inject` (built, not listening). The
 * instance stays the caller's: close it when done (and an old one `reset` replaced). An `inject`
 * that rejects makes the case ERROR. Throws nothing itself.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyTarget, verify } from 'authconform';
 *
 * const app = Fastify(); // register your routes and auth hooks; do not call listen()
 * await verify({ profile: 'luxcore', target: fastifyTarget(app), credentials: 'credentials.yaml' });
 * await app.close();
 * ```
 */
export function fastifyTarget(
  app: InjectableApp,
  options: InProcessOptions<InjectableApp> = {},
): Target {
  return markKind(inProcessTarget(FASTIFY_INJECT, app, options), {
    kind: 'Fastify inject',
    app,
    options,
  });
}
