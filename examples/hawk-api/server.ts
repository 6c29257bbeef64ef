/**
 * The Petrel Notes Sync API on node:http, its Hawk checks done by the `hawk` package (mozilla/hawk,
 * formerly @hapi/hawk) and its account tokens by jsonwebtoken. It imports nothing from
 * authconform: the harness tests it as it would any server.
 *
 * Hawk as the package does it, with the decisions profile.yaml states: `payload` always given (the
 * body, '' for none), so a request without a hash, or with another body or Content-Type, is
 * refused; a 60 s skew; a nonceFunc that refuses a nonce outside 6-64 of [A-Za-z0-9_-] and one the
 * same Hawk id used in the last 120 s. The package's Boom errors become Petrel's error bodies.
 *
 *   npx tsx examples/hawk-api/server.ts    # http://127.0.0.1:4050, the world of fixtures.yaml
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { parse } from 'yaml';

/** The parts of the hawk package's API used here (it ships no types). */
interface HawkServer {
  authenticate(
    req: IncomingMessage,
    credentialsFunc: (id: string) => Promise<{ key: string; algorithm: string } | null>,
    options: {
      payload: string;
      timestampSkewSec: number;
      nonceFunc: (key: string, nonce: string, ts: string) => Promise<void>;
    },
  ): Promise<{ credentials: { id: string }; artifacts: { id: string } }>;
}
const Hawk = createRequire(import.meta.url)('hawk') as { server: HawkServer };

interface World {
  hmacSecrets: { merchant: string; secret: string }[];
  jwtKeys: { secret: string }[];
}

const SKEW_SECONDS = 60;
const NONCE_TTL_MS = 120_000;
/** 6 is the length the hawk package's own client sends (client.header: randomString(6)). */
const NONCE_FORM = /^[A-Za-z0-9_-]{6,64}$/;
const TOKEN = {
  algorithms: ['HS256' as const],
  issuer: 'https://accounts.petrel.example',
  audience: 'https://sync.petrel.example',
  clockTolerance: 30,
};

type Reply = [status: number, body: unknown, headers?: Record<string, string>];
const boom = (status: number, error: string, message: string, scheme?: string): Reply => [
  status,
  { statusCode: status, error, message },
  scheme ? { 'WWW-Authenticate': scheme } : {},
];
const unauthorized = (message: string, scheme = 'Hawk') =>
  boom(401, 'Unauthorized', message, scheme);

export function petrelApp(world: World) {
  const keys = new Map(world.hmacSecrets.map((s) => [s.merchant, s.secret]));
  /** id:nonce -> when it may be used again. Expired entries go as new ones come. */
  const seen = new Map<string, number>();

  const nonceFunc = (id: () => string) => async (_key: string, nonce: string) => {
    if (!NONCE_FORM.test(nonce)) throw new Error('nonce form');
    const now = Date.now();
    for (const [k, until] of seen) if (until <= now) seen.delete(k);
    const k = `${id()}:${nonce}`;
    if (seen.has(k)) throw new Error('replay');
    seen.set(k, now + NONCE_TTL_MS);
  };

  async function hawk(req: IncomingMessage, body: string): Promise<Reply | undefined> {
    let id = '';
    try {
      await Hawk.server.authenticate(
        req,
        async (credentialId) => {
          id = credentialId;
          const key = keys.get(credentialId);
          return key === undefined ? null : { key, algorithm: 'sha256' };
        },
        { payload: body, timestampSkewSec: SKEW_SECONDS, nonceFunc: nonceFunc(() => id) },
      );
      return undefined;
    } catch (err) {
      const message = (err as Error).message;
      const missing = (err as { isMissing?: boolean }).isMissing === true;
      if (missing || /^Missing (attributes|required payload hash)$/.test(message))
        return unauthorized('Missing authentication');
      if (message === 'Stale timestamp') return unauthorized('Stale timestamp');
      if (message === 'Invalid nonce' || message === 'Bad attribute value: nonce')
        return unauthorized('Invalid nonce');
      return unauthorized('Bad mac');
    }
  }

  function account(req: IncomingMessage): Reply | undefined {
    const token = /^Bearer ([^\s]+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) return unauthorized('Missing authentication', 'Bearer');
    try {
      jwt.verify(token, world.jwtKeys[0]!.secret, TOKEN);
      return undefined;
    } catch {
      return unauthorized('Invalid token', 'Bearer');
    }
  }

  return async (req: IncomingMessage, body: string): Promise<Reply> => {
    const path = (req.url ?? '/').split('?')[0];
    const route = `${req.method} ${path}`;
    const now = new Date().toISOString();
    switch (route) {
      case 'GET /v1/health':
        return [200, { status: 'ok' }];
      case 'GET /v1/sync-credentials':
        return (
          account(req) ?? [
            200,
            {
              id: 'dev_4q7w2e9r',
              key: 'made-up-example-key-not-a-secret-0000',
              algorithm: 'sha256',
              duration: 3600,
            },
          ]
        );
      case 'POST /v1/notes': {
        const denied = await hawk(req, body);
        if (denied) return denied;
        let note: { title?: unknown; text?: unknown; tags?: unknown };
        try {
          note = JSON.parse(body) as typeof note;
        } catch {
          return boom(400, 'Bad Request', 'Invalid request payload input');
        }
        return [
          201,
          {
            id: 'note_8f3k2m9q',
            title: String(note.title ?? ''),
            text: String(note.text ?? ''),
            tags: Array.isArray(note.tags) ? note.tags : [],
            updatedAt: now,
          },
        ];
      }
      case 'GET /v1/changes':
        return (
          (await hawk(req, body)) ?? [
            200,
            {
              changes: [{ id: 'note_8f3k2m9q', op: 'upsert', updatedAt: now }],
              cursor: String(Math.floor(Date.now() / 1000)),
            },
          ]
        );
      default:
        return boom(404, 'Not Found', 'Not Found');
    }
  };
}

export function loadWorld(file = join(import.meta.dirname, 'fixtures.yaml')): World {
  return parse(readFileSync(file, 'utf8')) as World;
}

export async function start(
  port = 4050,
  host = '127.0.0.1',
  world = loadWorld(),
): Promise<{ url: string; close(): Promise<void> }> {
  const app = petrelApp(world);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      app(req, Buffer.concat(chunks).toString('utf8')).then(
        ([status, body, headers]) => {
          res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
          res.end(JSON.stringify(body));
        },
        () => {
          res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(
            JSON.stringify({
              statusCode: 500,
              error: 'Internal Server Error',
              message: 'An internal server error occurred',
            }),
          );
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] === import.meta.filename) {
  const { url } = await start();
  console.log(`Petrel Notes Sync listening on ${url}`);
}
