/**
 * The Tidewater Freight API (a made-up shipping API, the sixth profile: profile.yaml beside this
 * file) on Fastify 5 + @fastify/jwt: server and publishable keys in Tidewater-Key, the account
 * in Tidewater-Account, action-first scopes, HMAC-SHA512 signed shipment and label purchases,
 * ES256 driver tokens, RFC 9457 problem details, 120 requests a minute per key.
 *
 *   npx tsx examples/fastify-tidewater/server.ts        # http://127.0.0.1:4040
 *   PORT=5000 DATA=./my-data.yaml npx tsx examples/fastify-tidewater/server.ts
 *   STATE_TOKEN=... npx tsx examples/fastify-tidewater/server.ts   # a test deployment, with the
 *     provider-state hooks under /__state (docs/state-protocol.md): never in production
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerDriverTokens } from './driver-jwt.ts';
import { Problem, sendProblem } from './problem.ts';
import { tidewaterRoutes } from './routes.ts';
import { loadWorld, type World } from './world.ts';
import { fastifyStateHooks, movableClock } from '../state-hooks/state-hooks.ts';

/** The app's clock: every time comparison and the Date header read it. */
export interface Clock {
  now(): number;
}

export interface AppOptions {
  /**
   * Mounts the provider-state hooks under /__state with this bearer token: reset (the data
   * file read again, nonces and rate windows forgotten, the clock back to now) and the clock.
   */
  stateToken?: string;
  /** Reads the seeded data again, for a reset. */
  reloadWorld?: () => World;
  /** For the project's tests only: a nonce memory shorter than the 240 s replay window. */
  replayWindowMs?: number;
}

export const DEFAULT_DATA = join(import.meta.dirname, 'data.yaml');

export async function createApp(world: World, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 100_000 });
  const clock = movableClock();
  // The harness reads the server's clock from the Date header: it follows the moved clock.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('date', new Date(clock.now()).toUTCString());
  });
  // Signatures cover the raw body: keep it as received, then parse it.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new Problem('invalid_request'), undefined);
    }
  });
  await registerDriverTokens(app, world);
  const routes = tidewaterRoutes(app, world, clock, {
    ...(opts.replayWindowMs !== undefined ? { replayWindowMs: opts.replayWindowMs } : {}),
  });
  app.setNotFoundHandler((_req, reply) => sendProblem(reply, new Problem('not_found')));
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof Problem) return sendProblem(reply, err);
    // Fastify's own 4xx (a body too large, an unsupported media type...) are the caller's doing.
    const status = (err as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return sendProblem(reply, new Problem('invalid_request'));
    reply.log.error(err);
    return reply.code(500).type('application/problem+json').send({
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      detail: 'Something went wrong on our side.',
      code: 'internal',
    });
  });
  // Last: awaiting a plugin builds the routes declared so far, with the handlers set so far.
  if (opts.stateToken !== undefined) {
    const reload = opts.reloadWorld;
    await app.register(
      fastifyStateHooks({
        token: opts.stateToken,
        now: clock.now,
        offsetSeconds: clock.offsetSeconds,
        advance: clock.advance,
        reset: () => {
          if (reload) Object.assign(world, reload());
          routes.forget();
          clock.reset();
        },
      }),
      { prefix: '/__state' },
    );
  }
  return app;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the API on host:port (port 0: any free port) with the data of `dataFile`. */
export async function start(
  port = 0,
  host = '127.0.0.1',
  dataFile = DEFAULT_DATA,
  opts: Omit<AppOptions, 'reloadWorld'> = {},
): Promise<RunningServer> {
  const app = await createApp(loadWorld(dataFile), {
    ...opts,
    reloadWorld: () => loadWorld(dataFile),
  });
  await app.listen({ port, host });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${bound}`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await start(
    Number(process.env.PORT ?? 4040),
    process.env.HOST ?? '127.0.0.1',
    process.env.DATA ?? DEFAULT_DATA,
    process.env.STATE_TOKEN ? { stateToken: process.env.STATE_TOKEN } : {},
  );
  console.log(`Tidewater example (Fastify) listening on ${running.url}`);
}
