/**
 * A LuxCore-compatible API on Node's own node:http, written from the LuxCore guide
 * (shared/seeds/001_fe1a18c1d9c4dd7c.txt) and the luxcore profile (specs/profiles/luxcore.yaml):
 * X-API-Key keys (qp_prod_sk_ / qp_test_sk_) bound to a merchant and an environment, scopes with
 * aliases, per-key rate limits, and API v2 payments signed with HMAC-SHA256 (timestamp window,
 * nonce replay memory per merchant). It is strict: webhooks are really deleted, payments really
 * cancelled, and every id is checked against the caller's merchant and environment.
 *
 *   npx tsx examples/node-luxcore/server.ts        # http://127.0.0.1:4030
 *   PORT=5000 DATA=./my-data.yaml npx tsx examples/node-luxcore/server.ts
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { authenticateKey } from './api-key.ts';
import { ApiError, sendError } from './errors.ts';
import { NonceMemory } from './nonce-memory.ts';
import { RateLimiter } from './rate-limit.ts';
import { verifySignature } from './request-signature.ts';
import { luxcoreRoutes, type Route } from './routes.ts';
import { requireScope } from './scopes.ts';
import type { Weakness } from './weaknesses.ts';
import { loadWorld } from './world.ts';

export const DEFAULT_DATA = join(import.meta.dirname, 'data.yaml');

const MAX_BODY_BYTES = 1 << 20;
/** "Never reuse a nonce within the 300-second replay window." */
const NONCE_WINDOW_SECONDS = 300;
const NONCE_CAPACITY = 1_000_000;

export interface ServerOptions {
  /** The world to start with (default: data.yaml beside this file). */
  dataFile?: string;
  /** One deliberate mistake, for the project's tests only (weaknesses.ts). */
  weakness?: Weakness;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError('bad_request'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError('bad_request');
  }
}

export function createLuxcoreServer(options: ServerOptions = {}): Server {
  const world = loadWorld(options.dataFile ?? DEFAULT_DATA);
  const routes = luxcoreRoutes(world, options.weakness);
  const rates = new RateLimiter();
  const nonces = new NonceMemory(NONCE_WINDOW_SECONDS, NONCE_CAPACITY);

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const pathname = target.split('?', 1)[0]!;
    let params: Record<string, string> = {};
    const route = routes.find((r: Route) => {
      const m = r.method === req.method ? r.path.exec(pathname) : null;
      if (m) params = m[1] ? { id: m[1] } : {};
      return m !== null;
    });
    const rawBody = await readBody(req);
    if (!route) throw new ApiError('not_found');
    const key = authenticateKey(req.headers, world);
    const nowMs = Date.now();
    rates.admit(key.id, route.rateClass, nowMs);
    if (route.signed)
      verifySignature(
        { method: req.method!, pathWithQuery: target, headers: req.headers, rawBody },
        key,
        world,
        nonces,
        Math.floor(nowMs / 1000),
        options.weakness,
      );
    requireScope(key, route.scope, options.weakness !== 'alias-ignored');
    const reply = route.handle({ key, params, body: parseJson(rawBody) });
    if (reply.body === undefined) res.writeHead(reply.status).end();
    else
      res
        .writeHead(reply.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(reply.body));
  };

  return createServer((req, res) => {
    answer(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      if (err instanceof ApiError) return sendError(res, err);
      console.error(err);
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'internal_error', message: 'Internal error.' } }));
    });
  });
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the API on host:port (port 0: any free port). */
export function start(
  port = 0,
  host = '127.0.0.1',
  options: ServerOptions = {},
): Promise<RunningServer> {
  const server = createLuxcoreServer(options);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
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
  const running = await start(Number(process.env.PORT ?? 4030), process.env.HOST ?? '127.0.0.1', {
    dataFile: process.env.DATA ?? DEFAULT_DATA,
  });
  console.log(`LuxCore example (node:http) listening on ${running.url}`);
}
