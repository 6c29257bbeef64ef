/**
 * A VesuvioPay-compatible API on Express 5 + jsonwebtoken, written from the VesuvioPay profile
 * (specs/profiles/vesuviopay.yaml) alone: API key pairs in X-API-Key bound to one store, RS256
 * customer JWTs on cart calls, the guide's {success, message, errorCode} errors, and a per-key
 * rate limit of 100 requests a minute.
 *
 *   npx tsx examples/express-vesuviopay/server.ts        # http://127.0.0.1:4020
 *   PORT=5000 DATA=./my-data.yaml npx tsx examples/express-vesuviopay/server.ts
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { ApiError, sendError } from './errors.ts';
import { RateWindow } from './rate-window.ts';
import { vesuvioRoutes } from './routes.ts';
import { loadWorld, type World } from './world.ts';

export const DEFAULT_DATA = join(import.meta.dirname, 'data.yaml');

export function createApp(world: World): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(vesuvioRoutes(world, new RateWindow(100, 60)));
  app.use(() => {
    throw new ApiError('NOT_FOUND');
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (err instanceof ApiError) return sendError(res, err.code, err.retryAfterSeconds);
    // body-parser's errors (JSON that does not parse, a body too large) carry a 4xx status.
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return sendError(res, 'BAD_REQUEST');
    console.error(err);
    res.status(500).json({ success: false, message: 'Internal error', errorCode: 'INTERNAL' });
  };
  app.use(onError);
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
): Promise<RunningServer> {
  const app = createApp(loadWorld(dataFile));
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await start(
    Number(process.env.PORT ?? 4020),
    process.env.HOST ?? '127.0.0.1',
    process.env.DATA ?? DEFAULT_DATA,
  );
  console.log(`VesuvioPay example (Express) listening on ${running.url}`);
}
