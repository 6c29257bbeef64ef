// The Hapi adapter writes the core's answer straight to Node's response (h.abandon): over a real
// socket the answer must carry what Hapi's own response did (the core's headers, cache-control
// no-cache unless the core set one, the body's exact length), a HEAD gets the headers without the
// body, and an answer the core finishes after Hapi's server timeout has answered is not written
// a second time.
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { mockHapiServer, startMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { attachModuleSigner, signerOf } from '../../src/sign/signers.ts';
import type { Signer } from '../../src/sign/signer.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';
import { EXAMPLES_DIR } from '../examples/run-example.ts';

interface Raw {
  status: number;
  /** Header lines as sent, names as written on the wire. */
  lines: [string, string][];
  body: Buffer;
}

function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const lines: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          lines.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode!, lines, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const header = (r: Raw, name: string) =>
  r.lines.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);

/**
 * The custom-signer example's mock world whose signer holds its first verification until the
 * test releases it (`verifying` settles once it is held); later ones answer at once.
 */
function heldSigner() {
  const DIR = join(EXAMPLES_DIR, 'custom-signer');
  const registry = new SchemaRegistry([SCHEMAS_DIR, join(DIR, 'schemas')]);
  const { profile } = loadProfile(join(DIR, 'profile.yaml'), registry);
  const entry = profile.signing!['parcel']!;
  const real = signerOf(entry);
  let reached!: () => void;
  const verifying = new Promise<void>((resolve) => (reached = resolve));
  let release!: () => void;
  const late = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const held: Signer<never> = {
    ...real,
    verify: async (...args) => {
      if (calls++ === 0) {
        reached();
        await late;
      }
      return real.verify(...(args as Parameters<typeof real.verify>));
    },
  };
  attachModuleSigner(entry, held);
  const fixtures = generateFixtures(profile);
  const key = fixturesToCredentials(fixtures, profile).keys!.valid!.value;
  return { profile, fixtures, key, verifying, release };
}

describe('the Hapi adapter over a socket', () => {
  it('answers with the core headers, cache-control no-cache and the exact length', async () => {
    const { profile } = resolveProfile('luxcore');
    const key = fixturesToCredentials(builtInFixtures(profile), profile).keys!.valid!.value;
    const mock = await createAuthMock({ profile: 'luxcore' });
    const server = await startMockServer(mock, { port: 0 });
    try {
      const ok = await send(server.url, 'GET', '/api/v1/balance', { 'x-api-key': key });
      expect(ok.status).toBe(200);
      expect(header(ok, 'content-type')).toEqual(['application/json; charset=utf-8']);
      expect(header(ok, 'cache-control')).toEqual(['no-cache']);
      expect(header(ok, 'content-length')).toEqual([String(ok.body.length)]);
      expect(header(ok, 'date')).toHaveLength(1);
      expect(JSON.parse(ok.body.toString('utf8'))).toHaveProperty('merchant_id');

      // A refusal: the profile's error body, same headers.
      const refused = await send(server.url, 'GET', '/api/v1/balance', {});
      expect(refused.status).toBe(401);
      expect(header(refused, 'cache-control')).toEqual(['no-cache']);
      expect(header(refused, 'content-length')).toEqual([String(refused.body.length)]);
      expect(JSON.parse(refused.body.toString('utf8')).error.code).toBe('missing_api_key');

      // HEAD: the length of the body a GET would get, and no body.
      const head = await send(server.url, 'HEAD', '/api/v1/balance', { 'x-api-key': key });
      const get = await send(server.url, 'GET', '/nowhere', {});
      expect(head.body.length).toBe(0);
      expect(Number(header(head, 'content-length')[0])).toBeGreaterThan(0);
      expect(get.status).toBe(404);
    } finally {
      await server.stop();
      await mock.close();
    }
  });

  it("keeps the core's own cache-control (a token answer's no-store), not Hapi's default", async () => {
    const dir = join(EXAMPLES_DIR, 'oauth-client-api');
    const { profile } = resolveProfile(join(dir, 'profile.yaml'));
    const client = loadCredentials(join(dir, 'credentials.yaml'), profile).client!;
    const mock = await createAuthMock({ profile, fixtures: join(dir, 'fixtures.yaml') });
    const server = await startMockServer(mock, { port: 0 });
    try {
      const basic = Buffer.from(`${client.id}:${client.secret}`).toString('base64');
      const token = await send(
        server.url,
        'POST',
        '/oauth/token',
        {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${basic}`,
        },
        'grant_type=client_credentials',
      );
      expect(token.status, token.body.toString()).toBe(200);
      expect(header(token, 'cache-control')).toEqual(['no-store']);
    } finally {
      await server.stop();
      await mock.close();
    }
  });
});

describe('the Hapi adapter in process (inject)', () => {
  it('answers with the headers a socket gets, and no other', async () => {
    // Shot's writeHead reads its last argument as a headers object: a flat name, value array
    // gave it a header named "0".
    const server = mockHapiServer(await createAuthMock({ profile: 'luxcore' }));
    const res = await server.inject({ method: 'GET', url: '/api/v1/balance' });
    expect(res.statusCode).toBe(401);
    expect(Object.keys(res.headers).sort()).toEqual([
      'cache-control',
      'connection',
      'content-length',
      'content-type',
      'date',
    ]);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
  });
});

describe('an answer the core finishes after Hapi has answered', () => {
  afterEach(() => vi.useRealTimers());

  it("leaves Hapi's 500 as it was and writes nothing more", async () => {
    // Its verify answers, but only once the test lets it: after Hapi's server timeout.
    const { profile, fixtures, key, verifying, release } = heldSigner();
    const errors: string[] = [];
    const server = mockHapiServer(await createAuthMock({ profile, fixtures }), {
      clientTimeoutMs: 100,
      onError: (_e, req) => errors.push(`${req.method} ${req.path}`),
    });
    // What Hapi logs of a handler that threw (a write after the answer was sent would).
    const handlerErrors: string[] = [];
    server.events.on({ name: 'request', channels: 'internal' }, (_req, event, tags) => {
      if (tags.handler && tags.error) handlerErrors.push(String(event.error ?? event.data));
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const answer = server.inject({
      method: 'POST',
      url: '/v1/shipments',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      payload: '{"to":"10 Downing St, London","weightGrams":1200}',
    });
    await verifying;
    await vi.advanceTimersByTimeAsync(2 * 100 + 10_000 + 1);
    const res = await answer;
    release();
    // The core's answer comes now; it must neither replace the 500 nor throw (headers sent).
    await vi.advanceTimersByTimeAsync(10);
    await new Promise((r) => setImmediate(r));
    expect(res.statusCode, res.payload).toBe(500);
    expect(JSON.parse(res.payload)).toEqual({ error: 'internal mock error' });
    expect(errors).toEqual(['POST /v1/shipments']);
    expect(handlerErrors).toEqual([]);
  });
});

describe('a client gone before the core has answered', () => {
  it('is written nothing, and the server goes on answering', async () => {
    const { profile, fixtures, key, verifying, release } = heldSigner();
    const errors: string[] = [];
    const server = await startMockServer(await createAuthMock({ profile, fixtures }), {
      port: 0,
      onError: (e) => errors.push(e.message),
    });
    try {
      const gone = request(`${server.url}/v1/shipments`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        agent: false,
      });
      gone.on('error', () => {}); // its socket is destroyed below
      gone.end('{"to":"10 Downing St, London","weightGrams":1200}');
      await verifying;
      gone.destroy();
      await new Promise((r) => setTimeout(r, 50));
      release();
      await new Promise((r) => setTimeout(r, 50));
      // Still serving: the next request gets its answer (401: no key).
      const next = await send(server.url, 'POST', '/v1/shipments', {
        'content-type': 'application/json',
      });
      expect(next.status).toBe(401);
      expect(errors).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('an answer the core finishes while the server stops', () => {
  it('tells the client the connection closes, as Hapi did', async () => {
    const { profile, fixtures, key, verifying, release } = heldSigner();
    const server = await startMockServer(await createAuthMock({ profile, fixtures }), { port: 0 });
    // A keep-alive client: the server closes its socket once it has answered (Hapi's stop).
    const answer = send(server.url, 'POST', '/v1/shipments', {
      'x-api-key': key,
      'content-type': 'application/json',
      connection: 'keep-alive',
    });
    await verifying;
    const stopped = server.stop();
    await vi.waitFor(() => expect(server.server.info.started).toBe(0));
    release();
    const res = await answer;
    await stopped;
    expect(res.status).toBe(401); // the example's signature is missing
    expect(header(res, 'connection')).toEqual(['close']);
  });
});
