/**
 * A Skyhold Metrics server on node:http, written from profile.yaml alone (not from authconform's
 * mock or signer): SigV4 verified by hand (sigv4-verify.ts), the usage-plan key in x-api-key on
 * the query route kept as a SHA-256 digest and compared in constant time, errors as API Gateway
 * writes them (a `message` body and x-amzn-ErrorType).
 *
 *   npx tsx examples/sigv4-api/server.ts      # http://127.0.0.1:4060
 *
 * `weakness` turns on one realistic mistake, so a test can show the harness catches it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { verifySigv4, type Scope } from './sigv4-verify.ts';
import type { Weakness } from './weaknesses.ts';

export const DEFAULT_DATA = join(import.meta.dirname, 'data.yaml');

interface Data {
  keys: { id: string; sha256: string; status: 'active' | 'revoked' }[];
  accessKeys: { id: string; secret: string }[];
}

/** The profile's `signing.aws`. */
const SCOPE: Scope = { region: 'eu-central-1', service: 'metrics', skewSeconds: 300 };
const KEY_FORMAT = /^skh_[A-Za-z0-9]{32}$/;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const forbidden = () => new ApiError(403, 'ForbiddenException', 'Forbidden');

function usageKey(data: Data, req: IncomingMessage): void {
  const key = req.headers['x-api-key'];
  if (typeof key !== 'string' || !KEY_FORMAT.test(key)) throw forbidden();
  const digest = createHash('sha256').update(key).digest();
  const found = data.keys.find((k) => timingSafeEqual(Buffer.from(k.sha256, 'hex'), digest));
  if (!found || found.status !== 'active') throw forbidden();
}

function signature(data: Data, req: IncomingMessage, rawBody: Buffer, weakness?: Weakness): void {
  const secretOf = (id: string) =>
    (weakness === 'access-key-ignored'
      ? data.accessKeys[0]
      : data.accessKeys.find((k) => k.id === id)
    )?.secret;
  const verdict = verifySigv4(
    { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, rawBody },
    SCOPE,
    secretOf,
    Date.now(),
    weakness,
  );
  if (typeof verdict === 'string') return;
  if (verdict.kind === 'missing')
    throw new ApiError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (verdict.kind === 'expired')
    throw new ApiError(403, 'InvalidSignatureException', verdict.message);
  throw new ApiError(
    403,
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}

async function handle(
  data: Data,
  req: IncomingMessage,
  rawBody: Buffer,
  weakness?: Weakness,
): Promise<{ status: number; body: unknown }> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/v1/health') return { status: 200, body: { status: 'ok' } };
  if (req.method === 'POST' && path === '/v1/metrics') {
    signature(data, req, rawBody, weakness);
    let metric: unknown;
    try {
      metric = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new ApiError(400, 'BadRequestException', 'Invalid request body');
    }
    if (typeof metric !== 'object' || metric === null || Array.isArray(metric))
      throw new ApiError(400, 'BadRequestException', 'Invalid request body');
    return { status: 202, body: { accepted: 1, received: new Date().toISOString() } };
  }
  if (req.method === 'GET' && path === '/v1/metrics/latest') {
    usageKey(data, req);
    signature(data, req, rawBody, weakness);
    return {
      status: 200,
      body: { name: 'cpu.load', points: [{ at: new Date().toISOString(), value: 0.42 }] },
    };
  }
  throw new ApiError(404, 'NotFoundException', 'Not Found');
}

function send(res: ServerResponse, status: number, body: unknown, type?: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(type ? { 'x-amzn-ErrorType': type } : {}),
  });
  res.end(JSON.stringify(body));
}

export async function start(
  port = 4060,
  host = '127.0.0.1',
  options: { weakness?: Weakness } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const data = parse(readFileSync(DEFAULT_DATA, 'utf8')) as Data;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(data, req, Buffer.concat(chunks), options.weakness).then(
        ({ status, body }) => send(res, status, body),
        (e: unknown) =>
          e instanceof ApiError
            ? send(res, e.status, { message: e.message }, e.type)
            : send(res, 500, { message: 'Internal server error' }, 'InternalServerErrorException'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start(Number(process.env['PORT'] ?? 4060));
  console.log(`Skyhold Metrics on ${url}`);
}
