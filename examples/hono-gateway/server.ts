/**
 * A Payment Gateway-compatible API on Hono 4 (@hono/node-server, hono/bearer-auth), written from
 * the gateway profile (specs/profiles/gateway.yaml) alone: organization and system keys sent as
 * "Authorization: Bearer sk_<id>.<secret>", resource:action scopes with resource:* wildcards,
 * the organization resolved from the key, rotation with a one-hour grace, revocation, deletion,
 * and a per-key rate limit of 600 requests a minute.
 *
 *   npx tsx examples/hono-gateway/server.ts        # http://127.0.0.1:4030
 *   PORT=5000 DATA=./my-data.yaml npx tsx examples/hono-gateway/server.ts
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { perKeyRateLimit } from './access.ts';
import { errorResponse } from './errors.ts';
import { keyAuth, type GatewayEnv } from './key-auth.ts';
import { keyRoutes } from './key-routes.ts';
import { organizationRoutes } from './organization-routes.ts';
import { systemRoutes } from './system-routes.ts';
import { loadWorld, type World } from './world.ts';

export const DEFAULT_DATA = join(import.meta.dirname, 'data.yaml');

/** Options of a deployment: a staging one may shorten the rotation grace to be tested in full. */
export interface GatewayOptions {
  rotationGraceMs?: number;
}

export function createApp(world: World, options: GatewayOptions = {}): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  // Every API route needs a key; the rate window is the key's.
  app.use('/api/v1/*', keyAuth(world), perKeyRateLimit(600, 60));
  app.route('/api/v1/api-keys', keyRoutes(world, options.rotationGraceMs));
  app.route('/api/v1/system', systemRoutes(world));
  app.route('/api/v1', organizationRoutes(world));
  app.notFound(() => errorResponse('NOT_FOUND'));
  app.onError((err) => {
    if (err instanceof HTTPException) return err.getResponse();
    console.error(err);
    return new Response(
      JSON.stringify({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal error.',
        code: 'INTERNAL',
      }),
      { status: 500, headers: { 'content-type': 'application/json' } },
    );
  });
  return app;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the API on host:port (port 0: any free port) with the data of `dataFile`. */
export function start(
  port = 0,
  host = '127.0.0.1',
  dataFile = DEFAULT_DATA,
  options: GatewayOptions = {},
): Promise<RunningServer> {
  const app = createApp(loadWorld(dataFile), options);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) =>
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            (server as Server).closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await start(
    Number(process.env.PORT ?? 4030),
    process.env.HOST ?? '127.0.0.1',
    process.env.DATA ?? DEFAULT_DATA,
  );
  console.log(`Payment Gateway example (Hono) listening on ${running.url}`);
}
