/**
 * A Ledgerly server on Express 5, written from profile.yaml alone (not from authconform's mock):
 * the API key after the `ApiKey` scheme word, the same keys over HTTP Basic (key id and key), a
 * user's HS256 JWT (jsonwebtoken) together with the key in X-API-Key to approve a payment, and
 * either one for the balance. Keys are kept as SHA-256 digests and compared in constant time.
 *
 *   npx tsx examples/apikey-scheme-api/server.ts     # http://127.0.0.1:4040
 *
 * `faults` turn on one realistic mistake each, so a test can show the harness catches it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import { parse } from 'yaml';

export const DEFAULT_DATA = join(import.meta.dirname, 'data.yaml');

interface Data {
  keys: { id: string; sha256: string; status: 'active' | 'revoked' }[];
  users: { id: string; name: string }[];
  jwt: { secret: string; issuer: string; audience: string; leewaySeconds: number };
}

/** One mistake each, off by default. */
export interface Faults {
  /** `startsWith('ApiKey ')`: the scheme word compared case-sensitively. */
  caseSensitiveScheme?: true;
  /** The Basic password never compared with the key. */
  basicIgnoresSecret?: true;
  /** The approval route checks the user's token and never the X-API-Key. */
  approvalIgnoresKey?: true;
}

class Unauthorized extends Error {}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const KEY_FORMAT = /^lk_[a-z0-9]{24}$/;

/** RFC 9110 §11.4: `Authorization: <scheme> <token68>`, the scheme word in any case (§11.1). */
function credentialsAfter(req: Request, scheme: string, faults: Faults): string | undefined {
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +([A-Za-z0-9._~+/-]+=*) *$/.exec(
    req.get('authorization') ?? '',
  );
  if (!m) return undefined;
  const same = faults.caseSensitiveScheme
    ? m[1] === scheme
    : m[1]!.toLowerCase() === scheme.toLowerCase();
  return same ? m[2] : undefined;
}

function activeKeyId(data: Data, key: string, id?: string): string {
  if (!KEY_FORMAT.test(key)) throw new Unauthorized();
  const digest = sha256(key);
  const found = data.keys.find(
    (k) =>
      (id === undefined || k.id === id) && timingSafeEqual(Buffer.from(k.sha256, 'hex'), digest),
  );
  if (!found || found.status !== 'active') throw new Unauthorized();
  return found.id;
}

function apiKey(data: Data, faults: Faults, req: Request): string {
  const field = (req.body as { api_key?: unknown } | undefined)?.api_key;
  // A web form posts the key as a field where it cannot set Authorization.
  const key =
    credentialsAfter(req, 'ApiKey', faults) ?? (typeof field === 'string' ? field : undefined);
  if (key === undefined) throw new Unauthorized();
  return activeKeyId(data, key);
}

/** RFC 7617 §2: base64 of `id:secret`; the id is a key's, the secret the key itself. */
function basic(data: Data, faults: Faults, req: Request): string {
  const b64 = credentialsAfter(req, 'Basic', faults);
  if (b64 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0)
    throw new Unauthorized();
  const text = Buffer.from(b64, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) throw new Unauthorized();
  const id = text.slice(0, colon);
  if (faults.basicIgnoresSecret) {
    const k = data.keys.find((x) => x.id === id);
    if (!k || k.status !== 'active') throw new Unauthorized();
    return k.id;
  }
  return activeKeyId(data, text.slice(colon + 1), id);
}

function user(data: Data, faults: Faults, req: Request): string {
  const token = credentialsAfter(req, 'Bearer', faults);
  if (token === undefined) throw new Unauthorized();
  try {
    const claims = jwt.verify(token, data.jwt.secret, {
      algorithms: ['HS256'],
      issuer: data.jwt.issuer,
      audience: data.jwt.audience,
      clockTolerance: data.jwt.leewaySeconds,
    });
    const sub = typeof claims === 'object' ? claims.sub : undefined;
    if (!data.users.some((u) => u.id === sub)) throw new Unauthorized();
    return sub!;
  } catch {
    throw new Unauthorized();
  }
}

export function createApp(data: Data, faults: Faults = {}): express.Express {
  const app = express();
  app.use(express.json());
  const guard =
    (check: (req: Request) => void) => (req: Request, _res: Response, next: NextFunction) => {
      check(req);
      next();
    };
  app.get(
    '/v1/invoices',
    guard((req) => apiKey(data, faults, req)),
    (_req, res) => void res.json({ data: [{ id: 'inv_1001', amount: 1200, currency: 'EUR' }] }),
  );
  app.post(
    '/v1/invoices',
    guard((req) => apiKey(data, faults, req)),
    (req, res) =>
      void res.status(201).json({
        id: 'inv_1002',
        amount: Number((req.body as { amount?: unknown }).amount ?? 0),
        currency: 'EUR',
      }),
  );
  app.get(
    '/v1/exports/ledger',
    guard((req) => basic(data, faults, req)),
    (_req, res) => void res.json({ format: 'csv', rows: 42 }),
  );
  app.post(
    '/v1/payments/approvals',
    guard((req) => {
      user(data, faults, req);
      if (faults.approvalIgnoresKey) return;
      const key = req.get('x-api-key');
      if (key === undefined) throw new Unauthorized();
      activeKeyId(data, key);
    }),
    (_req, res) => void res.status(201).json({ id: 'apr_1', status: 'approved' }),
  );
  app.get(
    '/v1/balance',
    // Either one: a Bearer token is the user's, anything else must be the API key.
    guard((req) =>
      credentialsAfter(req, 'Bearer', faults) !== undefined
        ? user(data, faults, req)
        : apiKey(data, faults, req),
    ),
    (_req, res) => void res.json({ available: 10000, currency: 'EUR' }),
  );
  app.use(
    (_req, res) => void res.status(404).json({ error: 'not_found', message: 'No such resource' }),
  );
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof Unauthorized) {
      res
        .status(401)
        .set('WWW-Authenticate', 'ApiKey, Basic realm="ledgerly", Bearer')
        .json({ error: 'unauthorized', message: 'Missing or invalid credentials' });
    } else if ((err as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: 'bad_request', message: 'The request is malformed' });
    } else {
      res.status(500).json({ error: 'internal', message: 'Something went wrong' });
    }
  });
  return app;
}

export async function start(
  port = 4040,
  host = '127.0.0.1',
  faults: Faults = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const data = parse(readFileSync(DEFAULT_DATA, 'utf8')) as Data;
  const server: Server = await new Promise((resolve) => {
    const s = createApp(data, faults).listen(port, host, () => resolve(s));
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start(Number(process.env['PORT'] ?? 4040));
  console.log(`Ledgerly on ${url}`);
}
