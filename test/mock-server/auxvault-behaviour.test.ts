// AuxVault (specs/profiles/auxvault.yaml, seed shared/seeds/000_811de6bdcca49b41.txt): the bundled
// mock produces every failure the guide and the profile's denials name. Each negative test starts
// from the positive request, shows it is accepted where that does not change the world, applies
// exactly one fault and asserts the status, the error body (schema and literal constants) and
// that the body does not echo the secret that was sent.
import { request as httpRequest } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockSession, schemaMismatch, type MockSession } from '../support/mock-session.ts';
import type { MockResponse } from '../../mock-server/core/mock-types.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import {
  hs256WithSecret,
  mintJwt,
  tamperedSignature,
  unsignedJwt,
} from '../../src/request/mint-jwt.ts';
import { startMockServer } from '../../mock-server/hapi/hapi-server.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TENANT = 'acme-payments';
const OTHER_TENANT = '550e8400-e29b-41d4-a716-446655440000';
const MERCHANT = 'merchant-456';
const SAME_TENANT_MERCHANT = 'merchant-789';
const OTHER_TENANT_MERCHANT = 'merchant-901';
const LIVE_TXN = 'txn_7Hq2Lm9Xc4Vb';
const TEST_TXN = 'txn_3Wd8Ks5Jn1Ge';
const OTHER_MERCHANT_TXN = 'txn_6Bv1Np4Tq9Yh';
const OTHER_TENANT_TXN = 'txn_8Lc5Rf2Mz7Ua';
const DAY = 86_400_000;

// ---- request surgery: each helper applies one fault ---------------------------------------------

function headerName(req: OutgoingRequest, name: string): string | undefined {
  return Object.keys(req.headers).find((h) => h.toLowerCase() === name.toLowerCase());
}
function header(req: OutgoingRequest, name: string): string | undefined {
  const h = headerName(req, name);
  return h === undefined ? undefined : req.headers[h];
}
function withHeader(req: OutgoingRequest, name: string, value: string): OutgoingRequest {
  const out = withoutHeader(req, name);
  out.headers[name] = value;
  return out;
}
function withoutHeader(req: OutgoingRequest, name: string): OutgoingRequest {
  const headers = { ...req.headers };
  const h = headerName(req, name);
  if (h !== undefined) delete headers[h];
  return { ...req, headers };
}
function withBody(req: OutgoingRequest, body: string): OutgoingRequest {
  return { ...req, body };
}
function clone(req: OutgoingRequest): OutgoingRequest {
  return { ...req, headers: { ...req.headers } };
}
function keyOf(req: OutgoingRequest): string {
  const k = header(req, 'x-api-key');
  if (k === undefined) throw new Error('request carries no x-api-key');
  return k;
}
function bearerOf(req: OutgoingRequest): string {
  const a = header(req, 'authorization');
  if (a === undefined) throw new Error('request carries no Authorization');
  return a.replace(/^Bearer /, '');
}
/** One character changed, the pattern still met (a well-formed but unknown key). */
function oneCharChanged(key: string): string {
  const last = key.at(-1)!;
  return key.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

// ---- assertions ----------------------------------------------------------------------------------

/** The flat key-error bodies of the guide: {success:false, error:"<text>", message}. */
type Expected = { flat: string } | { code: string; message?: string };

function expectDenied(
  s: MockSession,
  res: MockResponse,
  errorId: string,
  status: number,
  expected: Expected,
  secrets: (string | undefined)[] = [],
): void {
  const err = s.profile.errors[errorId];
  if (!err) throw new Error(`profile has no error ${errorId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(err.status).toBe(status);
  expect(schemaMismatch(err, res.body)).toBe('');
  expect(res.body).toEqual(err.body);
  const body = res.body as Json;
  expect(body.success).toBe(false);
  if ('flat' in expected) {
    expect(body.error).toBe(expected.flat);
  } else {
    expect(body.error.code).toBe(expected.code);
    if (expected.message !== undefined) expect(body.error.message).toBe(expected.message);
  }
  const text = JSON.stringify(res.body);
  for (const secret of secrets) if (secret) expect(text).not.toContain(secret);
}

const API_KEY_REQUIRED: Expected = { flat: 'API key required' };
const INVALID_API_KEY: Expected = { flat: 'Invalid API key' };
const TENANT_REQUIRED: Expected = {
  code: 'TENANT_REQUIRED',
  message: 'X-Tenant-ID header is required',
};
const MERCHANT_REQUIRED: Expected = {
  code: 'MERCHANT_REQUIRED',
  message: 'X-Merchant-ID header is required',
};
const UNAUTHORIZED: Expected = { code: 'UNAUTHORIZED', message: 'Invalid or expired token' };
const INSUFFICIENT: Expected = { code: 'FORBIDDEN', message: 'Insufficient permissions' };
const MERCHANT_FORBIDDEN: Expected = {
  code: 'FORBIDDEN',
  message: 'This API key is not permitted for this merchant',
};
const WRONG_KEY_TYPE: Expected = {
  code: 'FORBIDDEN',
  message: 'This API key type is not permitted for this operation',
};
const NOT_FOUND: Expected = { code: 'NOT_FOUND' };
const BAD_REQUEST: Expected = { code: 'BAD_REQUEST' };
const INVALID_CREDENTIALS: Expected = { code: 'INVALID_CREDENTIALS' };
const RATE_LIMITED: Expected = { code: 'RATE_LIMITED' };

async function expectOk(s: MockSession, req: OutgoingRequest, routeId: string): Promise<Json> {
  const res = await s.send(req);
  const route = s.route(routeId);
  expect(res.status, JSON.stringify(res.body)).toBe(route.success.status);
  if (route.success.schema) expect(schemaMismatch(route.success.schema, res.body)).toBe('');
  return res.body;
}

/** Logs in as the fixtures' user: the JWT and the refresh token. */
async function login(s: MockSession): Promise<{ token: string; refreshToken: string }> {
  const body = await expectOk(s, await s.positive('accessToken'), 'accessToken');
  return { token: body.data.token, refreshToken: body.data.refreshToken };
}

async function refreshWith(s: MockSession, refreshToken: string): Promise<MockResponse> {
  return s.send(await s.positive('refreshToken', { body: { refreshToken } }));
}

/** Creates a key through POST /api/v1/api-keys with a JWT; returns its id and full value. */
async function createKey(
  s: MockSession,
  body?: Record<string, unknown>,
): Promise<{ id: string; value: string }> {
  const req = await s.positive('createApiKey', body ? { body } : {});
  const created = await expectOk(s, req, 'createApiKey');
  return { id: created.data.id, value: created.data.key };
}

/** The claims the mock's own login puts in a JWT for the fixtures' user. */
function userClaims(): Record<string, unknown> {
  return { sub: 'user-123', tenant: TENANT, merchantId: MERCHANT, role: 'merchant' };
}

function httpSend(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url + path, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    // setHeader keeps the name's case on the wire.
    for (const [k, v] of Object.entries(headers)) req.setHeader(k, v);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('auxvault', () => {
  let s: MockSession;
  beforeEach(async () => {
    s = await mockSession('auxvault');
  });

  // ---- the API key: presence, place, name case, format, status ------------------------------

  describe('API key', () => {
    it('answers a request without x-api-key with 401 "API key required" (the flat error string)', async () => {
      const positive = await s.positive('testConnection');
      await expectOk(s, clone(positive), 'testConnection');
      const res = await s.send(withoutHeader(positive, 'x-api-key'));
      expectDenied(s, res, 'apiKeyRequired', 401, API_KEY_REQUIRED);
      expect((res.body as Json).message).toBe(
        'Please provide a valid API key in the x-api-key header or request body',
      );
    });

    it('answers an empty x-api-key with 401 "API key required"', async () => {
      const positive = await s.positive('testConnection');
      const res = await s.send(withHeader(positive, 'x-api-key', ''));
      expectDenied(s, res, 'apiKeyRequired', 401, API_KEY_REQUIRED);
    });

    it('accepts the key in the JSON body field apiKey when no x-api-key header is sent', async () => {
      const positive = await s.positive('testConnection');
      const key = keyOf(positive);
      const req = withBody(withoutHeader(positive, 'x-api-key'), JSON.stringify({ apiKey: key }));
      const body = await expectOk(s, req, 'testConnection');
      expect(body.data.tenantId).toBe(TENANT);
    });

    it('answers an unknown key in the body field apiKey with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const wrong = oneCharChanged(keyOf(positive));
      const req = withBody(withoutHeader(positive, 'x-api-key'), JSON.stringify({ apiKey: wrong }));
      expectDenied(s, await s.send(req), 'invalidApiKey', 401, INVALID_API_KEY, [wrong]);
    });

    it('answers a body field apiKey that is not a string as no key: 401 "API key required"', async () => {
      const positive = await s.positive('testConnection');
      const req = withBody(withoutHeader(positive, 'x-api-key'), JSON.stringify({ apiKey: 42 }));
      expectDenied(s, await s.send(req), 'apiKeyRequired', 401, API_KEY_REQUIRED);
    });

    it('accepts the header name in any case: x-api-key and X-API-KEY (in-process)', async () => {
      const positive = await s.positive('testConnection');
      const key = keyOf(positive);
      for (const name of ['x-api-key', 'X-API-KEY', 'X-Api-Key']) {
        const req = withHeader(withoutHeader(positive, 'x-api-key'), name, key);
        expect(Object.keys(req.headers)).toContain(name);
        await expectOk(s, req, 'testConnection');
      }
    });

    it('accepts the header name in any case over HTTP: x-api-key and X-API-KEY, X-Tenant-ID and x-tenant-id', async () => {
      const server = await startMockServer(s.mock, { port: 0 });
      try {
        const key = s.creds.keys!.valid!.value;
        for (const [keyName, tenantName] of [
          ['x-api-key', 'X-Tenant-ID'],
          ['X-API-KEY', 'x-tenant-id'],
        ] as const) {
          const res = await httpSend(
            server.url,
            'POST',
            '/api/v1/public/testConnection',
            { [keyName]: key, [tenantName]: TENANT, 'Content-Type': 'application/json' },
            '{}',
          );
          expect(res.status, `${keyName} / ${tenantName}: ${JSON.stringify(res.body)}`).toBe(200);
          expect(schemaMismatch(s.route('testConnection').success.schema!, res.body)).toBe('');
        }
        // The same server still refuses the request without the key (the case test can fail).
        const res = await httpSend(
          server.url,
          'POST',
          '/api/v1/public/testConnection',
          { 'X-Tenant-ID': TENANT, 'Content-Type': 'application/json' },
          '{}',
        );
        expect(res.status).toBe(401);
        expect((res.body as Json).error).toBe('API key required');
      } finally {
        await server.stop();
      }
    });

    it('answers a malformed key (one character short) with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const bad = keyOf(positive).slice(0, -1);
      const res = await s.send(withHeader(positive, 'x-api-key', bad));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [bad]);
    });

    it('answers a key of no known prefix with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const bad = 'sk_live_' + keyOf(positive).slice('lv_erp_'.length);
      const res = await s.send(withHeader(positive, 'x-api-key', bad));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [bad]);
    });

    it('answers an unknown well-formed key with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const unknown = oneCharChanged(keyOf(positive));
      expect(unknown).toMatch(/^lv_erp_[A-Za-z0-9]{32}$/);
      const res = await s.send(withHeader(positive, 'x-api-key', unknown));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [unknown]);
    });

    it('answers a revoked ("deactivated") key with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      await expectOk(s, clone(positive), 'testConnection');
      const revoked = s.creds.keys!.revoked!.value;
      const res = await s.send(withHeader(positive, 'x-api-key', revoked));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [revoked]);
    });

    it('answers an expired key (expiresAt passed) with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const expired = s.creds.keys!.expired!.value;
      const res = await s.send(withHeader(positive, 'x-api-key', expired));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [expired]);
    });

    it('serves a created key until its expiresAt, then answers 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection', { keyRole: 'live' });
      await expectOk(s, clone(positive), 'testConnection');
      const stored = await s.mock.world.store.getKey(s.creds.keys!.live!.id!);
      const expiresAt = stored!.expiresAt!;
      expect(typeof expiresAt).toBe('number');
      const wait = expiresAt - s.mock.world.clock.now();
      expect(wait).toBeGreaterThan(0);
      s.mock.world.clock.advance(wait + 1000);
      const res = await s.send(positive);
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [keyOf(positive)]);
    });
  });

  // ---- X-Tenant-ID -------------------------------------------------------------------------------

  describe('tenant binding (X-Tenant-ID)', () => {
    it('answers a missing X-Tenant-ID with 401 TENANT_REQUIRED (the nested error object)', async () => {
      const positive = await s.positive('testConnection');
      await expectOk(s, clone(positive), 'testConnection');
      const res = await s.send(withoutHeader(positive, 'X-Tenant-ID'));
      expectDenied(s, res, 'tenantRequired', 401, TENANT_REQUIRED, [keyOf(positive)]);
    });

    it('answers a missing X-Tenant-ID on the public login route with 401 TENANT_REQUIRED', async () => {
      const positive = await s.positive('accessToken');
      const res = await s.send(withoutHeader(positive, 'X-Tenant-ID'));
      expectDenied(s, res, 'tenantRequired', 401, TENANT_REQUIRED, [s.creds.login!.password]);
    });

    it('answers a missing X-Tenant-ID on a JWT route with 401 TENANT_REQUIRED', async () => {
      const positive = await s.positive('getMerchant');
      await expectOk(s, clone(positive), 'getMerchant');
      const res = await s.send(withoutHeader(positive, 'X-Tenant-ID'));
      expectDenied(s, res, 'tenantRequired', 401, TENANT_REQUIRED, [bearerOf(positive)]);
    });

    it('accepts a UUID tenant id (the other tenant, with its own key)', async () => {
      const req = await s.positive('testConnection', { keyRole: 'otherTenant' });
      expect(header(req, 'X-Tenant-ID')).toBe(OTHER_TENANT);
      const body = await expectOk(s, req, 'testConnection');
      expect(body.data.tenantId).toBe(OTHER_TENANT);
    });

    it('answers a key under another tenant\'s X-Tenant-ID with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const res = await s.send(withHeader(positive, 'X-Tenant-ID', OTHER_TENANT));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [keyOf(positive)]);
    });

    it('answers the other tenant\'s key under this X-Tenant-ID with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const other = s.creds.keys!.otherTenant!.value;
      const res = await s.send(withHeader(positive, 'x-api-key', other));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [other]);
    });

    it('answers an X-Tenant-ID with no slug character at all ("!!!") with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('testConnection');
      const res = await s.send(withHeader(positive, 'X-Tenant-ID', '!!!'));
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [keyOf(positive)]);
    });

    it('answers an X-Tenant-ID that is neither a slug nor a UUID ("Acme Payments!") with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('testConnection');
      const res = await s.send(withHeader(positive, 'X-Tenant-ID', 'Acme Payments!'));
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [keyOf(positive)]);
    });
  });

  // ---- X-Merchant-ID -----------------------------------------------------------------------------

  describe('merchant binding (X-Merchant-ID)', () => {
    it('answers a merchant route without X-Merchant-ID with 401 MERCHANT_REQUIRED', async () => {
      const positive = await s.positive('transaction');
      await expectOk(s, clone(positive), 'transaction');
      const res = await s.send(withoutHeader(positive, 'X-Merchant-ID'));
      expectDenied(s, res, 'merchantRequired', 401, MERCHANT_REQUIRED, [keyOf(positive)]);
    });

    // The guide's Step 2 sends a transaction with x-api-key and X-Tenant-ID only: a key bound to
    // one merchant brings its merchant; X-Merchant-ID is for a tenant-wide key naming its target.
    it('serves a merchant-bound key on a merchant route without X-Merchant-ID, for its own merchant', async () => {
      const positive = await s.positive('transaction', { keyRole: 'byType.processing' });
      const body = await expectOk(s, withoutHeader(positive, 'X-Merchant-ID'), 'transaction');
      expect(body.data.merchantId).toBe(MERCHANT);
    });

    it('lets a tenant-wide ERP key name any merchant of its tenant in X-Merchant-ID', async () => {
      const positive = await s.positive('transaction');
      expect(header(positive, 'X-Merchant-ID')).toBe(MERCHANT);
      const body = await expectOk(
        s,
        withHeader(positive, 'X-Merchant-ID', SAME_TENANT_MERCHANT),
        'transaction',
      );
      expect(body.data.merchantId).toBe(SAME_TENANT_MERCHANT);
      expect(body.data.tenantId).toBe(TENANT);
    });

    it('answers an ERP key naming a merchant of another tenant with 403 FORBIDDEN', async () => {
      const positive = await s.positive('transaction');
      const res = await s.send(withHeader(positive, 'X-Merchant-ID', OTHER_TENANT_MERCHANT));
      expectDenied(s, res, 'merchantForbidden', 403, MERCHANT_FORBIDDEN, [keyOf(positive)]);
    });

    it('answers an ERP key naming an unknown merchant with 403 FORBIDDEN', async () => {
      const positive = await s.positive('transaction');
      const res = await s.send(withHeader(positive, 'X-Merchant-ID', 'merchant-000'));
      expectDenied(s, res, 'merchantForbidden', 403, MERCHANT_FORBIDDEN, [keyOf(positive)]);
    });

    it('answers a merchant-bound processing key naming another merchant of its tenant with 403 FORBIDDEN', async () => {
      const positive = await s.positive('transaction', { keyRole: 'byType.processing' });
      expect(header(positive, 'X-Merchant-ID')).toBe(MERCHANT);
      await expectOk(s, clone(positive), 'transaction');
      const res = await s.send(withHeader(positive, 'X-Merchant-ID', SAME_TENANT_MERCHANT));
      expectDenied(s, res, 'merchantForbidden', 403, MERCHANT_FORBIDDEN, [keyOf(positive)]);
    });

    it("answers another merchant's key under X-Merchant-ID merchant-456 with 403 FORBIDDEN", async () => {
      const positive = await s.positive('transaction', { keyRole: 'byType.processing' });
      const other = s.creds.keys!.otherMerchant!.value;
      const res = await s.send(withHeader(positive, 'x-api-key', other));
      expectDenied(s, res, 'merchantForbidden', 403, MERCHANT_FORBIDDEN, [other]);
    });

    it('answers a merchant-bound created key naming another merchant with 403 FORBIDDEN on a read route', async () => {
      const positive = await s.positive('listCustomers', { keyRole: 'live' });
      await expectOk(s, clone(positive), 'listCustomers');
      const res = await s.send(withHeader(positive, 'X-Merchant-ID', SAME_TENANT_MERCHANT));
      expectDenied(s, res, 'merchantForbidden', 403, MERCHANT_FORBIDDEN, [keyOf(positive)]);
    });

    it('answers an X-Merchant-ID with no id character ("!!!") with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('transaction');
      const res = await s.send(withHeader(positive, 'X-Merchant-ID', '!!!'));
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [keyOf(positive)]);
    });

    it("hides another merchant's transaction from a merchant-bound key (404 NOT_FOUND)", async () => {
      const positive = await s.positive('getTransaction', { keyRole: 'byType.processing' });
      await expectOk(s, clone(positive), 'getTransaction');
      const req = await s.positive('getTransaction', {
        keyRole: 'byType.processing',
        resources: { transaction: OTHER_MERCHANT_TXN },
      });
      expect(req.headers).toEqual(positive.headers);
      expectDenied(s, await s.send(req), 'notFound', 404, NOT_FOUND, [keyOf(req)]);
    });

    it("hides another tenant's transaction from an ERP key (404 NOT_FOUND)", async () => {
      const req = await s.positive('getTransaction', {
        resources: { transaction: OTHER_TENANT_TXN },
      });
      expectDenied(s, await s.send(req), 'notFound', 404, NOT_FOUND, [keyOf(req)]);
    });

    it('answers an unknown transaction id with 404 NOT_FOUND', async () => {
      const req = await s.positive('getTransaction', {
        resources: { transaction: 'txn_0000000000' },
      });
      expectDenied(s, await s.send(req), 'notFound', 404, NOT_FOUND, [keyOf(req)]);
    });
  });

  // ---- key types and environments ----------------------------------------------------------------

  describe('key types and environments', () => {
    it('refuses a standard (api-) key on a write route with 403 FORBIDDEN (wrong key type)', async () => {
      const positive = await s.positive('transaction');
      const standard = s.creds.keys!.byType!.standard!;
      expect(standard.merchant).toBe(header(positive, 'X-Merchant-ID'));
      const res = await s.send(withHeader(positive, 'x-api-key', standard.value));
      expectDenied(s, res, 'wrongKeyType', 403, WRONG_KEY_TYPE, [standard.value]);
    });

    it('lets a standard (api-) key read (reporting access)', async () => {
      const req = await s.positive('listTransactions', { keyRole: 'byType.standard' });
      await expectOk(s, req, 'listTransactions');
    });

    it('lets processing (lv_pk_) and created (lqv_) keys write', async () => {
      for (const role of ['byType.processing', 'byType.created', 'live']) {
        await expectOk(s, await s.positive('transaction', { keyRole: role }), 'transaction');
      }
    });

    it('answers a test key (lqv_test_sk_) reaching a live transaction with 404 NOT_FOUND', async () => {
      const positive = await s.positive('getTransaction');
      expect(positive.pathWithQuery).toContain(LIVE_TXN);
      const test = s.creds.keys!.test!.value;
      const res = await s.send(withHeader(positive, 'x-api-key', test));
      expectDenied(s, res, 'notFound', 404, NOT_FOUND, [test]);
    });

    it('lets a test key read a test transaction', async () => {
      const req = await s.positive('getTransaction', {
        keyRole: 'test',
        resources: { transaction: TEST_TXN },
      });
      const body = await expectOk(s, req, 'getTransaction');
      expect(body.data.id).toBe(TEST_TXN);
    });

    it('answers a live key (lqv_live_sk_) reaching a test transaction with 404 NOT_FOUND', async () => {
      const req = await s.positive('getTransaction', {
        keyRole: 'live',
        resources: { transaction: TEST_TXN },
      });
      expectDenied(s, await s.send(req), 'notFound', 404, NOT_FOUND, [keyOf(req)]);
    });
  });

  // ---- permissions -------------------------------------------------------------------------------

  describe('permission scopes', () => {
    it('answers a key without transactions.write on the sale route with 403 FORBIDDEN "Insufficient permissions"', async () => {
      const positive = await s.positive('transaction');
      const limited = s.creds.keys!.scopeLimited!;
      expect(limited.scopes).toEqual(['transactions.read']);
      expect(limited.merchant).toBe(header(positive, 'X-Merchant-ID'));
      const res = await s.send(withHeader(positive, 'x-api-key', limited.value));
      expectDenied(s, res, 'insufficientScope', 403, INSUFFICIENT, [limited.value]);
    });

    it('grants the permission a key holds: the transactions.read key lists and reads transactions', async () => {
      await expectOk(
        s,
        await s.positive('listTransactions', { keyRole: 'scopeLimited' }),
        'listTransactions',
      );
      await expectOk(
        s,
        await s.positive('getTransaction', { keyRole: 'scopeLimited' }),
        'getTransaction',
      );
    });

    it('does not let transactions.read grant transactions.void (403 FORBIDDEN)', async () => {
      const positive = await s.positive('voidTransaction');
      const limited = s.creds.keys!.scopeLimited!.value;
      const res = await s.send(withHeader(positive, 'x-api-key', limited));
      expectDenied(s, res, 'insufficientScope', 403, INSUFFICIENT, [limited]);
    });

    it('accepts no wildcard and no bare resource: keys holding "transactions.*", "*" or "transactions" are refused transactions.write (403)', async () => {
      const positive = await s.positive('transaction');
      const template = (await s.mock.world.store.getKey(s.creds.keys!.scopeLimited!.id!))!;
      const values = ['Wc1', 'Wc2', 'Wc3'].map((p) => 'lqv_live_sk_' + p + 'x'.repeat(29));
      const held = [['transactions.*'], ['*'], ['transactions']];
      for (let i = 0; i < values.length; i++) {
        await s.mock.world.store.putKey({
          ...template,
          id: `key_wildcard_${i}`,
          value: values[i]!,
          scopes: held[i]!,
        });
        const res = await s.send(withHeader(positive, 'x-api-key', values[i]!));
        expectDenied(s, res, 'insufficientScope', 403, INSUFFICIENT, [values[i]]);
      }
      // The same seeded record with the exact permission is served (the refusal is the scope's).
      await s.mock.world.store.putKey({
        ...template,
        id: 'key_exact',
        value: 'lqv_live_sk_Ex1' + 'x'.repeat(29),
        scopes: ['transactions.write'],
      });
      await expectOk(
        s,
        withHeader(positive, 'x-api-key', 'lqv_live_sk_Ex1' + 'x'.repeat(29)),
        'transaction',
      );
    });

    // MOCK BUG: POST /api/v1/api-keys accepts a permission outside the profile's vocabulary
    // ("transactions.*"; the profile: "no aliases and no wildcard; none are accepted") and answers
    // 200 echoing it, a body its own schema (apiKeyCreatedSuccess: permissions items are
    // #/$defs/permission, the vocabulary) rejects. A request the API cannot honour is a
    // malformed request: 400 BAD_REQUEST.
    it('answers creating a key with a permission outside the vocabulary ("transactions.*") with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('createApiKey');
      const body = JSON.parse(positive.body!);
      const res = await s.send(
        withBody(positive, JSON.stringify({ ...body, permissions: ['transactions.*'] })),
      );
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [bearerOf(positive)]);
    });

    it('lets a JWT user holding api_keys.manage create keys (twin of the scope denial)', async () => {
      const created = await createKey(s);
      expect(created.value).toMatch(/^lqv_live_sk_[A-Za-z0-9]{32}$/);
    });

    // MOCK BUG: a JWT signed with the right secret whose sub names no user gets unrestricted
    // scopes (heldScopes returns undefined when the user is not found), so it may create API keys.
    // The profile: "Scopes are not a claim: the API reads them from the user named by sub" — no
    // user, no scope: api_keys.manage is missing and the call is 403 FORBIDDEN.
    it('answers a JWT whose sub names no user on a key-management route with 403 FORBIDDEN', async () => {
      const token = await mintJwt(s.creds.jwt!, {
        nowSeconds: s.nowSeconds(),
        lifetimeSeconds: 3600,
        claims: { ...userClaims(), sub: 'user-999' },
      });
      const res = await s.send(await s.positive('createApiKey', { tokens: { jwt: token } }));
      expectDenied(s, res, 'insufficientScope', 403, INSUFFICIENT, [token]);
    });
  });

  // ---- JWT ---------------------------------------------------------------------------------------

  describe('JWT (Authorization: Bearer)', () => {
    it('answers a JWT route without a bearer token with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('getMerchant');
      await expectOk(s, clone(positive), 'getMerchant');
      const res = await s.send(withoutHeader(positive, 'Authorization'));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [bearerOf(positive)]);
    });

    it('answers an API key in place of the JWT on a key-management route with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('listApiKeys');
      const key = s.creds.keys!.valid!.value;
      const req = withHeader(withoutHeader(positive, 'Authorization'), 'x-api-key', key);
      expectDenied(s, await s.send(req), 'unauthorized', 401, UNAUTHORIZED, [key]);
    });

    it('answers an API key sent as the bearer token with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('getMerchant');
      const key = s.creds.keys!.valid!.value;
      const res = await s.send(withHeader(positive, 'Authorization', `Bearer ${key}`));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [key]);
    });

    it('accepts the JWT 24 h after login inside the 30 s leeway', async () => {
      const positive = await s.positive('getMerchant');
      s.mock.world.clock.advance(DAY + 10_000);
      await expectOk(s, positive, 'getMerchant');
    });

    it('answers a JWT older than 24 h + 30 s leeway with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('getMerchant');
      await expectOk(s, clone(positive), 'getMerchant');
      s.mock.world.clock.advance(DAY + 35_000);
      const res = await s.send(positive);
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [bearerOf(positive)]);
    });

    it('accepts a JWT signed with the tenant secret carrying the login claims (twin of the forged ones)', async () => {
      const token = await mintJwt(s.creds.jwt!, {
        nowSeconds: s.nowSeconds(),
        lifetimeSeconds: 3600,
        claims: userClaims(),
      });
      await expectOk(s, await s.positive('getMerchant', { tokens: { jwt: token } }), 'getMerchant');
    });

    it('answers a JWT that is not yet valid (nbf an hour ahead) with 401 UNAUTHORIZED', async () => {
      const token = await mintJwt(s.creds.jwt!, {
        nowSeconds: s.nowSeconds(),
        lifetimeSeconds: 7200,
        claims: userClaims(),
        notBeforeOffsetSeconds: 3600,
      });
      const res = await s.send(await s.positive('getMerchant', { tokens: { jwt: token } }));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [token]);
    });

    it('accepts a JWT whose nbf is inside the 30 s leeway', async () => {
      const token = await mintJwt(s.creds.jwt!, {
        nowSeconds: s.nowSeconds(),
        lifetimeSeconds: 3600,
        claims: userClaims(),
        notBeforeOffsetSeconds: 10,
      });
      await expectOk(s, await s.positive('getMerchant', { tokens: { jwt: token } }), 'getMerchant');
    });

    it('answers a JWT with one signature character changed with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('getMerchant');
      const bad = tamperedSignature(bearerOf(positive));
      const res = await s.send(withHeader(positive, 'Authorization', `Bearer ${bad}`));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [bad]);
    });

    it('answers an alg "none" JWT with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('getMerchant');
      const none = unsignedJwt(bearerOf(positive));
      const res = await s.send(withHeader(positive, 'Authorization', `Bearer ${none}`));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [none]);
    });

    it('answers a JWT signed with another HS256 secret with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('getMerchant');
      const forged = hs256WithSecret(bearerOf(positive), 'not-the-tenant-secret', 'auxvault-hs-1');
      const res = await s.send(withHeader(positive, 'Authorization', `Bearer ${forged}`));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [forged]);
    });

    it('answers a JWT without exp (signed with the right secret) with 401 UNAUTHORIZED', async () => {
      const header = Buffer.from(
        JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'auxvault-hs-1' }),
      ).toString('base64url');
      const payload = Buffer.from(
        JSON.stringify({ ...userClaims(), iat: s.nowSeconds() }),
      ).toString('base64url');
      const token = hs256WithSecret(`${header}.${payload}.`, s.creds.jwt!.secret!, 'auxvault-hs-1');
      const positive = await s.positive('getMerchant');
      const res = await s.send(withHeader(positive, 'Authorization', `Bearer ${token}`));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [token]);
    });

    it('answers a broken JWT "a.b" with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('getMerchant');
      const res = await s.send(withHeader(positive, 'Authorization', 'Bearer a.b'));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED);
    });

    it("answers a JWT under another tenant's X-Tenant-ID with 401 UNAUTHORIZED", async () => {
      const positive = await s.positive('getMerchant');
      const res = await s.send(withHeader(positive, 'X-Tenant-ID', OTHER_TENANT));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED, [bearerOf(positive)]);
    });
  });

  // ---- login and refresh -------------------------------------------------------------------------

  describe('login (/public/accesstoken) and refresh (/public/refreshToken)', () => {
    it('answers a login with a wrong password with 401 INVALID_CREDENTIALS, never echoing it', async () => {
      const positive = await s.positive('accessToken');
      const wrong = s.creds.login!.password + 'x';
      const req = withBody(
        positive,
        JSON.stringify({ email: s.creds.login!.email, password: wrong }),
      );
      const res = await s.send(req);
      expectDenied(s, res, 'invalidCredentials', 401, INVALID_CREDENTIALS, [
        wrong,
        s.creds.login!.password,
      ]);
    });

    it('answers a login with an unknown e-mail with 401 INVALID_CREDENTIALS', async () => {
      const positive = await s.positive('accessToken');
      const req = withBody(
        positive,
        JSON.stringify({ email: 'nobody@yourcompany.com', password: s.creds.login!.password }),
      );
      expectDenied(s, await s.send(req), 'invalidCredentials', 401, INVALID_CREDENTIALS, [
        s.creds.login!.password,
      ]);
    });

    it('answers a login without a password with 401 INVALID_CREDENTIALS', async () => {
      const positive = await s.positive('accessToken');
      const req = withBody(positive, JSON.stringify({ email: s.creds.login!.email }));
      expectDenied(s, await s.send(req), 'invalidCredentials', 401, INVALID_CREDENTIALS);
    });

    it("answers a login under another tenant's X-Tenant-ID with 401 INVALID_CREDENTIALS", async () => {
      const positive = await s.positive('accessToken');
      const res = await s.send(withHeader(positive, 'X-Tenant-ID', OTHER_TENANT));
      expectDenied(s, res, 'invalidCredentials', 401, INVALID_CREDENTIALS, [
        s.creds.login!.password,
      ]);
    });

    it('answers a login body that is not JSON with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('accessToken');
      const res = await s.send(withBody(positive, '{"email": "admin@yourcompany.com",'));
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST);
    });

    it('rotates refresh tokens: the new JWT and refresh token work, the used refresh token is spent (401 INVALID_CREDENTIALS)', async () => {
      const { refreshToken } = await login(s);
      const first = await refreshWith(s, refreshToken);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(schemaMismatch(s.route('refreshToken').success.schema!, first.body)).toBe('');
      const next = (first.body as Json).data;
      expect(next.refreshToken).not.toBe(refreshToken);
      // The refreshed JWT works on a JWT route.
      await expectOk(
        s,
        await s.positive('getMerchant', { tokens: { jwt: next.token } }),
        'getMerchant',
      );
      // The spent one is refused ...
      const again = await refreshWith(s, refreshToken);
      expectDenied(s, again, 'invalidCredentials', 401, INVALID_CREDENTIALS, [refreshToken]);
      // ... and the rotated one still works.
      const third = await refreshWith(s, next.refreshToken);
      expect(third.status, JSON.stringify(third.body)).toBe(200);
    });

    it('answers an unknown refresh token with 401 INVALID_CREDENTIALS', async () => {
      const { refreshToken } = await login(s);
      const unknown = oneCharChanged(refreshToken);
      expectDenied(
        s,
        await refreshWith(s, unknown),
        'invalidCredentials',
        401,
        INVALID_CREDENTIALS,
        [unknown],
      );
    });

    it('answers a JWT in place of the refresh token with 401 INVALID_CREDENTIALS', async () => {
      const { token } = await login(s);
      expectDenied(s, await refreshWith(s, token), 'invalidCredentials', 401, INVALID_CREDENTIALS, [
        token,
      ]);
    });

    it('serves a refresh token for 30 days and answers 401 INVALID_CREDENTIALS after', async () => {
      const a = await login(s);
      const b = await login(s);
      s.mock.world.clock.advance(30 * DAY - 60_000);
      const inside = await refreshWith(s, a.refreshToken);
      expect(inside.status, JSON.stringify(inside.body)).toBe(200);
      s.mock.world.clock.advance(120_000);
      expectDenied(
        s,
        await refreshWith(s, b.refreshToken),
        'invalidCredentials',
        401,
        INVALID_CREDENTIALS,
        [b.refreshToken],
      );
    });

    it('answers a refresh without X-Tenant-ID with 401 TENANT_REQUIRED', async () => {
      const { refreshToken } = await login(s);
      const req = await s.positive('refreshToken', { body: { refreshToken } });
      const res = await s.send(withoutHeader(req, 'X-Tenant-ID'));
      expectDenied(s, res, 'tenantRequired', 401, TENANT_REQUIRED, [refreshToken]);
    });
  });

  // ---- key lifecycle (JWT) -----------------------------------------------------------------------

  describe('API key lifecycle (create / list / revoke with a JWT)', () => {
    it("creates an lqv_live_sk_ key bound to the body's merchant that holds only the permissions it was created with", async () => {
      const key = await createKey(s);
      const sale = await s.positive('transaction');
      expect(header(sale, 'X-Merchant-ID')).toBe(MERCHANT);
      await expectOk(s, withHeader(sale, 'x-api-key', key.value), 'transaction');
      // invoices.read is not among the created permissions.
      const invoices = await s.positive('listInvoices');
      const res = await s.send(withHeader(invoices, 'x-api-key', key.value));
      expectDenied(s, res, 'insufficientScope', 403, INSUFFICIENT, [key.value]);
      // Bound to merchant-456: another merchant of the tenant is refused.
      const elsewhere = withHeader(
        withHeader(sale, 'x-api-key', key.value),
        'X-Merchant-ID',
        SAME_TENANT_MERCHANT,
      );
      expectDenied(s, await s.send(elsewhere), 'merchantForbidden', 403, MERCHANT_FORBIDDEN, [
        key.value,
      ]);
    });

    it('shows the full key only in the create response: the list shows it masked (prefix, last four)', async () => {
      const key = await createKey(s);
      const list = await expectOk(s, await s.positive('listApiKeys'), 'listApiKeys');
      expect(JSON.stringify(list)).not.toContain(key.value);
      const entry = list.data.find((k: Json) => k.id === key.id);
      expect(entry).toBeDefined();
      expect(entry.key.startsWith('lqv_live_sk_')).toBe(true);
      expect(entry.key.endsWith(key.value.slice(-4))).toBe(true);
      // No seeded key's full value appears either.
      for (const k of Object.values(s.creds.keys!)) {
        if (k && 'value' in k)
          expect(JSON.stringify(list)).not.toContain((k as { value: string }).value);
      }
    });

    it('revokes a key: 200 revoked, then every request with it is 401 "Invalid API key", also a day later', async () => {
      const key = await createKey(s);
      const conn = withHeader(await s.positive('testConnection'), 'x-api-key', key.value);
      const sale = withHeader(await s.positive('transaction'), 'x-api-key', key.value);
      await expectOk(s, clone(conn), 'testConnection');
      await expectOk(s, clone(sale), 'transaction');

      const revoke = await s.positive('revokeApiKey', { resources: { apiKey: key.id } });
      const revoked = await expectOk(s, revoke, 'revokeApiKey');
      expect(revoked.data).toMatchObject({ id: key.id, status: 'revoked' });
      expect(JSON.stringify(revoked)).not.toContain(key.value);

      for (const req of [conn, sale]) {
        expectDenied(s, await s.send(clone(req)), 'invalidApiKey', 401, INVALID_API_KEY, [
          key.value,
        ]);
      }
      const inBody = withBody(
        withoutHeader(conn, 'x-api-key'),
        JSON.stringify({ apiKey: key.value }),
      );
      expectDenied(s, await s.send(inBody), 'invalidApiKey', 401, INVALID_API_KEY, [key.value]);

      s.mock.world.clock.advance(DAY + 60_000);
      for (const req of [conn, sale]) {
        expectDenied(s, await s.send(clone(req)), 'invalidApiKey', 401, INVALID_API_KEY, [
          key.value,
        ]);
      }
    });

    it('revokes the seeded disposable key: it worked before and is 401 "Invalid API key" after', async () => {
      const disposable = s.mock.world.fixtures.keys.find((k) => k.id === 'key_live_disposable')!;
      const report = withHeader(
        await s.positive('transactionReport'),
        'x-api-key',
        disposable.value,
      );
      await expectOk(s, clone(report), 'transactionReport');
      await expectOk(s, await s.positive('revokeApiKey'), 'revokeApiKey');
      expectDenied(s, await s.send(report), 'invalidApiKey', 401, INVALID_API_KEY, [
        disposable.value,
      ]);
    });

    it('answers revoking an unknown key id with 404 NOT_FOUND', async () => {
      const req = await s.positive('revokeApiKey', { resources: { apiKey: 'key_does_not_exist' } });
      expectDenied(s, await s.send(req), 'notFound', 404, NOT_FOUND, [bearerOf(req)]);
    });

    it('answers revoking without a JWT with 401 UNAUTHORIZED and leaves the key working', async () => {
      const key = await createKey(s);
      const revoke = await s.positive('revokeApiKey', { resources: { apiKey: key.id } });
      const res = await s.send(withoutHeader(revoke, 'Authorization'));
      expectDenied(s, res, 'unauthorized', 401, UNAUTHORIZED);
      await expectOk(
        s,
        withHeader(await s.positive('testConnection'), 'x-api-key', key.value),
        'testConnection',
      );
    });

    it("answers creating a key for another merchant than the user's with 403 FORBIDDEN", async () => {
      const positive = await s.positive('createApiKey');
      const body = JSON.parse(positive.body!);
      const res = await s.send(
        withBody(positive, JSON.stringify({ ...body, merchantId: SAME_TENANT_MERCHANT })),
      );
      expectDenied(s, res, 'merchantForbidden', 403, MERCHANT_FORBIDDEN, [bearerOf(positive)]);
    });

    it('answers creating a key for an unknown merchant with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('createApiKey');
      const body = JSON.parse(positive.body!);
      const res = await s.send(
        withBody(positive, JSON.stringify({ ...body, merchantId: 'merchant-000' })),
      );
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST);
    });

    it('answers creating a key with an expired JWT with 401 UNAUTHORIZED', async () => {
      const positive = await s.positive('createApiKey');
      s.mock.world.clock.advance(DAY + 35_000);
      expectDenied(s, await s.send(positive), 'unauthorized', 401, UNAUTHORIZED, [
        bearerOf(positive),
      ]);
    });

    // MOCK BUG / PROFILE: the listApiKeys example in the profile pins `status: active` (and the
    // name, permissions and createdAt) as literals, so the mock lists the seeded revoked key
    // key_erp_revoked and a just-revoked key as "active". The profile's decisions say revoke sets
    // status "revoked" and the list shows each key "plus status".
    it('lists a revoked key with status "revoked"', async () => {
      const key = await createKey(s);
      await expectOk(
        s,
        await s.positive('revokeApiKey', { resources: { apiKey: key.id } }),
        'revokeApiKey',
      );
      const list = await expectOk(s, await s.positive('listApiKeys'), 'listApiKeys');
      expect(list.data.find((k: Json) => k.id === key.id)?.status).toBe('revoked');
      expect(list.data.find((k: Json) => k.id === 'key_erp_revoked')?.status).toBe('revoked');
    });
  });

  // ---- rate limit --------------------------------------------------------------------------------

  describe('rate limit (120 requests per minute per key)', () => {
    it('answers the 121st request in a minute with 429 RATE_LIMITED and Retry-After, and serves again after the window', async () => {
      const positive = await s.positive('testConnection');
      for (let i = 0; i < 120; i++) {
        const res = await s.send(clone(positive));
        expect(res.status, `request ${i + 1}`).toBe(200);
      }
      const limited = await s.send(clone(positive));
      expectDenied(s, limited, 'rateLimited', 429, RATE_LIMITED, [keyOf(positive)]);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);

      // Counted per key: another key is still served.
      await expectOk(
        s,
        await s.positive('testConnection', { keyRole: 'byType.processing' }),
        'testConnection',
      );

      s.mock.world.clock.advance(60_000);
      await expectOk(s, clone(positive), 'testConnection');
    });
  });

  // ---- malformed input: a 4xx, never a 5xx -------------------------------------------------------

  describe('malformed input', () => {
    it('answers a body that is not JSON with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('transaction');
      const res = await s.send(withBody(positive, '{"Amount": 125.00,'));
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [keyOf(positive)]);
    });

    it('answers a JSON array body with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('testConnection');
      const res = await s.send(withBody(positive, '[]'));
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [keyOf(positive)]);
    });

    it('answers a body that is not UTF-8 with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('testConnection');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(positive.headers)) headers[k.toLowerCase()] = v;
      const res = await s.mock.handle({
        method: 'POST',
        path: positive.pathWithQuery,
        pathWithQuery: positive.pathWithQuery,
        headers,
        body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      });
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [keyOf(positive)]);
    });

    it('answers a 10 000-character key header with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('testConnection');
      const long = 'lv_erp_' + 'A'.repeat(10_000 - 7);
      const res = await s.send(withHeader(positive, 'x-api-key', long));
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [long]);
    });

    it('answers a 10 000-character X-Tenant-ID with 400 BAD_REQUEST', async () => {
      const positive = await s.positive('testConnection');
      const res = await s.send(withHeader(positive, 'X-Tenant-ID', 'a'.repeat(10_000)));
      expectDenied(s, res, 'badRequest', 400, BAD_REQUEST, [keyOf(positive)]);
    });

    it('answers a key with a NUL byte with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const bad = keyOf(positive).slice(0, 20) + '\u0000' + keyOf(positive).slice(21);
      const res = await s.send(withHeader(positive, 'x-api-key', bad));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [bad]);
    });

    it('answers a key with a non-ASCII character with 401 "Invalid API key"', async () => {
      const positive = await s.positive('testConnection');
      const bad = keyOf(positive).slice(0, -1) + 'é';
      const res = await s.send(withHeader(positive, 'x-api-key', bad));
      expectDenied(s, res, 'invalidApiKey', 401, INVALID_API_KEY, [bad]);
    });

    it('answers an unknown route with 404 NOT_FOUND', async () => {
      const positive = await s.positive('testConnection');
      const res = await s.send({ ...positive, pathWithQuery: '/api/v1/public/nothing-here' });
      expectDenied(s, res, 'notFound', 404, NOT_FOUND, [keyOf(positive)]);
    });
  });
});
