/**
 * The bundled mock of the vesuviopay profile produces every failure the VesuvioPay
 * "Authentication" guide lists (shared/seeds/003_8251e38214465e51.txt) and every denial the
 * profile maps, each from the positive request with exactly one fault applied.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockSession, schemaMismatch, type MockSession } from '../support/mock-session.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import type { MockResponse } from '../../mock-server/core/mock-types.ts';
import type { BuildOptions } from '../../src/request/build-request.ts';
import {
  hs256WithSecret,
  mintJwt,
  tamperedSignature,
  unsignedJwt,
} from '../../src/request/mint-jwt.ts';

const STORE_A = '76b42e9c-5073-4505-baf9-c3df4c7420f0';
const STORE_B = '56eaa78c-cfd2-4663-a36e-519071d3b9dc';
const CUSTOMER_A = '123e4567-e89b-12d3-a456-426614174000';
const LIFETIME = 3600;
const LEEWAY = 30;

/** The guide's table: status per error code (every code the table lists, plus the profile's own). */
const STATUS: Record<string, number> = {
  INVALID_API_KEY: 401,
  API_KEY_INACTIVE: 401,
  API_KEY_EXPIRED: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  ACCESS_DENIED: 403,
  NO_STORE_ACCESS: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  RATE_LIMITED: 429,
};

/** The two bodies the guide prints in full. */
const GUIDE_BODIES: Record<string, object> = {
  INVALID_API_KEY: { success: false, message: 'Invalid API key', errorCode: 'INVALID_API_KEY' },
  NO_STORE_ACCESS: {
    success: false,
    message: 'API key does not have access to this store',
    errorCode: 'NO_STORE_ACCESS',
  },
};

function headerName(req: OutgoingRequest, name: string): string | undefined {
  return Object.keys(req.headers).find((k) => k.toLowerCase() === name.toLowerCase());
}

function setHeader(req: OutgoingRequest, name: string, value: string | undefined): void {
  const existing = headerName(req, name);
  if (existing !== undefined) delete req.headers[existing];
  if (value !== undefined) req.headers[existing ?? name] = value;
}

function getHeader(req: OutgoingRequest, name: string): string {
  const k = headerName(req, name);
  if (k === undefined) throw new Error(`the positive request has no ${name}`);
  return req.headers[k]!;
}

function bearerOf(req: OutgoingRequest): string {
  return getHeader(req, 'Authorization').replace(/^Bearer /, '');
}

describe('vesuviopay', () => {
  let s: MockSession;
  beforeEach(async () => {
    s = await mockSession('vesuviopay');
  });

  /** The positive request, checked to succeed as built (nothing else is wrong by construction). */
  async function positiveOk(routeId: string, opts?: Partial<BuildOptions>) {
    const req = await s.positive(routeId, opts);
    const ok = await s.send(structuredClone(req));
    expect(ok.status, `baseline ${routeId}: ${JSON.stringify(ok.body)}`).toBe(
      s.route(routeId).success.status,
    );
    return req;
  }

  /** A customer JWT like the harness mints, with one thing changed by the caller. */
  async function customerJwt(
    change: {
      claims?: Record<string, unknown>;
      issuer?: string;
      audience?: string;
      notBeforeOffsetSeconds?: number;
    } = {},
  ): Promise<string> {
    const material = { ...s.creds.jwt! };
    if (change.issuer !== undefined) material.issuer = change.issuer;
    if (change.audience !== undefined) material.audience = change.audience;
    return mintJwt(material, {
      nowSeconds: s.nowSeconds(),
      lifetimeSeconds: LIFETIME,
      claims: { sub: CUSTOMER_A, storeId: STORE_A, ...(change.claims ?? {}) },
      ...(change.notBeforeOffsetSeconds !== undefined
        ? { notBeforeOffsetSeconds: change.notBeforeOffsetSeconds }
        : {}),
    });
  }

  function expectError(res: MockResponse, code: string, secrets: string[]): void {
    const err = s.profile.errors[code];
    expect(err, `profile error ${code}`).toBeDefined();
    expect(err!.status).toBe(STATUS[code]);
    expect(res.status, JSON.stringify(res.body)).toBe(STATUS[code]);
    expect(schemaMismatch(err!.schema!, res.body)).toBe('');
    expect(res.body).toMatchObject({ success: false, errorCode: code });
    expect(typeof (res.body as { message?: unknown }).message).toBe('string');
    if (GUIDE_BODIES[code]) expect(res.body).toEqual(GUIDE_BODIES[code]);
    const text = JSON.stringify(res.body);
    for (const secret of secrets) if (secret) expect(text).not.toContain(secret);
  }

  const key = (role: string) => {
    const k = role.startsWith('byType.')
      ? s.creds.keys?.byType?.[role.slice(7)]
      : (s.creds.keys as Record<string, { value: string } | undefined>)[role];
    if (!k) throw new Error(`no key role ${role}`);
    return k.value;
  };

  // --- INVALID_API_KEY -------------------------------------------------------------------------

  it('answers a missing X-API-Key with 401 INVALID_API_KEY (the guide body)', async () => {
    const req = await positiveOk('getCustomer');
    const sent = getHeader(req, 'X-API-Key');
    setHeader(req, 'X-API-Key', undefined);
    expectError(await s.send(req), 'INVALID_API_KEY', [sent]);
  });

  it('answers a cart call with the customer JWT but no X-API-Key with 401 INVALID_API_KEY', async () => {
    const req = await positiveOk('getCart');
    const jwt = bearerOf(req);
    setHeader(req, 'X-API-Key', undefined);
    expectError(await s.send(req), 'INVALID_API_KEY', [jwt]);
  });

  it('answers a malformed key (too short after sk_test_) with 401 INVALID_API_KEY', async () => {
    const req = await positiveOk('getCustomer');
    const bad = 'sk_test_abc123';
    setHeader(req, 'X-API-Key', bad);
    expectError(await s.send(req), 'INVALID_API_KEY', [bad]);
  });

  it('answers a key with an unknown prefix (rk_test_) with 401 INVALID_API_KEY', async () => {
    const req = await positiveOk('getCustomer');
    const bad = getHeader(req, 'X-API-Key').replace(/^sk_/, 'rk_');
    setHeader(req, 'X-API-Key', bad);
    expectError(await s.send(req), 'INVALID_API_KEY', [bad]);
  });

  it('answers a well-formed but unknown key (one character changed) with 401 INVALID_API_KEY', async () => {
    const req = await positiveOk('getCustomer');
    const good = getHeader(req, 'X-API-Key');
    const last = good.at(-1) === 'A' ? 'B' : 'A';
    const bad = good.slice(0, -1) + last;
    setHeader(req, 'X-API-Key', bad);
    expectError(await s.send(req), 'INVALID_API_KEY', [bad, good]);
  });

  it('answers a key containing a NUL byte with 401 INVALID_API_KEY, never a 5xx', async () => {
    const req = await positiveOk('getCustomer');
    const good = getHeader(req, 'X-API-Key');
    const bad = good.slice(0, 12) + '\u0000' + good.slice(13);
    setHeader(req, 'X-API-Key', bad);
    expectError(await s.send(req), 'INVALID_API_KEY', [bad, good]);
  });

  it('answers a key containing a non-ASCII character with 401 INVALID_API_KEY, never a 5xx', async () => {
    const req = await positiveOk('getCustomer');
    const good = getHeader(req, 'X-API-Key');
    const bad = good.slice(0, 12) + 'é' + good.slice(13);
    setHeader(req, 'X-API-Key', bad);
    expectError(await s.send(req), 'INVALID_API_KEY', [bad, good]);
  });

  // --- API_KEY_INACTIVE / API_KEY_EXPIRED --------------------------------------------------------

  it('answers a revoked key with 401 API_KEY_INACTIVE', async () => {
    await positiveOk('getCustomer');
    const req = await s.positive('getCustomer', { keyRole: 'revoked' });
    expectError(await s.send(req), 'API_KEY_INACTIVE', [key('revoked')]);
  });

  it('keeps a revoked key refused after the clock moves a year ("cannot be reactivated")', async () => {
    const req = await s.positive('getCustomer', { keyRole: 'revoked' });
    s.mock.world.clock.advance(365 * 24 * 3600 * 1000);
    expectError(await s.send(req), 'API_KEY_INACTIVE', [key('revoked')]);
  });

  it('answers an expired key with 401 API_KEY_EXPIRED', async () => {
    await positiveOk('getCustomer');
    const req = await s.positive('getCustomer', { keyRole: 'expired' });
    expectError(await s.send(req), 'API_KEY_EXPIRED', [key('expired')]);
  });

  // --- ACCESS_DENIED (key type) ------------------------------------------------------------------

  it('answers a publishable key on a secret-only call (customer data retrieval) with 403 ACCESS_DENIED', async () => {
    await positiveOk('getCustomer');
    const req = await s.positive('getCustomer', { keyRole: 'publishable' });
    expectError(await s.send(req), 'ACCESS_DENIED', [key('publishable')]);
  });

  for (const routeId of ['syncProducts', 'listOrders', 'createWebhook']) {
    it(`answers a publishable key on secret-only ${routeId} with 403 ACCESS_DENIED`, async () => {
      await positiveOk(routeId);
      const req = await s.positive(routeId, { keyRole: 'byType.publishable' });
      expectError(await s.send(req), 'ACCESS_DENIED', [key('publishable')]);
    });
  }

  it('lets a publishable key fetch store configuration (a publishable use case: no denial)', async () => {
    const req = await s.positive('getStoreConfig', { keyRole: 'publishable' });
    const res = await s.send(req);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(schemaMismatch(s.route('getStoreConfig').success.schema!, res.body)).toBe('');
  });

  it('lets a publishable key with the customer JWT read the cart (the guide example: no denial)', async () => {
    const req = await s.positive('getCart', { keyRole: 'publishable' });
    expect(getHeader(req, 'X-API-Key')).toMatch(/^pk_test_/);
    const res = await s.send(req);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ success: true, data: { storeId: STORE_A } });
  });

  // --- customer JWT on cart calls: INVALID_TOKEN / TOKEN_EXPIRED ---------------------------------

  it('answers a cart call with the API key but no customer JWT with 401 INVALID_TOKEN', async () => {
    const req = await positiveOk('getCart');
    setHeader(req, 'Authorization', undefined);
    expectError(await s.send(req), 'INVALID_TOKEN', [getHeader(req, 'X-API-Key')]);
  });

  it('answers a publishable key without the customer JWT on addCartItem with 401 INVALID_TOKEN', async () => {
    const req = await positiveOk('addCartItem', { keyRole: 'publishable' });
    setHeader(req, 'Authorization', undefined);
    expectError(await s.send(req), 'INVALID_TOKEN', [key('publishable')]);
  });

  it('answers a customer JWT past its 3600 s lifetime + 30 s leeway with 401 TOKEN_EXPIRED', async () => {
    const req = await positiveOk('getCart');
    const jwt = bearerOf(req);
    s.mock.world.clock.advance((LIFETIME + LEEWAY + 1) * 1000);
    expectError(await s.send(req), 'TOKEN_EXPIRED', [jwt, getHeader(req, 'X-API-Key')]);
  });

  it('still accepts a customer JWT just past exp but within the 30 s leeway (twin)', async () => {
    const req = await positiveOk('getCart');
    s.mock.world.clock.advance((LIFETIME + LEEWAY - 10) * 1000);
    const res = await s.send(req);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('answers a customer JWT not yet valid (nbf 120 s ahead, beyond the leeway) with 401 INVALID_TOKEN', async () => {
    await positiveOk('getCart', { tokens: { customerJwt: await customerJwt() } });
    const jwt = await customerJwt({ notBeforeOffsetSeconds: 120 });
    const req = await s.positive('getCart', { tokens: { customerJwt: jwt } });
    expectError(await s.send(req), 'INVALID_TOKEN', [jwt]);
  });

  it('accepts a customer JWT whose nbf is 20 s ahead, within the leeway (twin)', async () => {
    const jwt = await customerJwt({ notBeforeOffsetSeconds: 20 });
    const res = await s.send(await s.positive('getCart', { tokens: { customerJwt: jwt } }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('answers a customer JWT with alg none with 401 INVALID_TOKEN', async () => {
    const req = await positiveOk('getCart');
    const bad = unsignedJwt(bearerOf(req));
    setHeader(req, 'Authorization', `Bearer ${bad}`);
    expectError(await s.send(req), 'INVALID_TOKEN', [bad]);
  });

  it('answers a customer JWT signed HS256 with the public key PEM as secret with 401 INVALID_TOKEN', async () => {
    const req = await positiveOk('getCart');
    const bad = hs256WithSecret(bearerOf(req), s.creds.jwt!.publicKeyPem!, s.creds.jwt!.kid);
    setHeader(req, 'Authorization', `Bearer ${bad}`);
    expectError(await s.send(req), 'INVALID_TOKEN', [bad]);
  });

  it('answers a customer JWT with a tampered signature with 401 INVALID_TOKEN', async () => {
    const req = await positiveOk('getCart');
    const bad = tamperedSignature(bearerOf(req));
    setHeader(req, 'Authorization', `Bearer ${bad}`);
    expectError(await s.send(req), 'INVALID_TOKEN', [bad]);
  });

  it('answers a customer JWT of another issuer with 401 INVALID_TOKEN', async () => {
    await positiveOk('getCart', { tokens: { customerJwt: await customerJwt() } });
    const jwt = await customerJwt({ issuer: 'https://auth.evil.example' });
    const req = await s.positive('getCart', { tokens: { customerJwt: jwt } });
    expectError(await s.send(req), 'INVALID_TOKEN', [jwt]);
  });

  it('answers a customer JWT for another audience with 401 INVALID_TOKEN', async () => {
    await positiveOk('getCart', { tokens: { customerJwt: await customerJwt() } });
    const jwt = await customerJwt({ audience: 'some-other-api' });
    const req = await s.positive('getCart', { tokens: { customerJwt: jwt } });
    expectError(await s.send(req), 'INVALID_TOKEN', [jwt]);
  });

  it('answers a broken customer JWT "a.b" with 401 INVALID_TOKEN, never a 5xx', async () => {
    const req = await positiveOk('getCart');
    setHeader(req, 'Authorization', 'Bearer a.b');
    expectError(await s.send(req), 'INVALID_TOKEN', [getHeader(req, 'X-API-Key')]);
  });

  // --- NO_STORE_ACCESS -----------------------------------------------------------------------------

  it('answers a key of another store on /sdk/cart/{storeId} with 403 NO_STORE_ACCESS (the guide body)', async () => {
    // The customer JWT stays store A's: only the key changes.
    const tokens = { customerJwt: await customerJwt() };
    await positiveOk('getCart', { tokens });
    const req = await s.positive('getCart', { tokens, keyRole: 'otherStore' });
    expect(req.pathWithQuery).toContain(STORE_A);
    expectError(await s.send(req), 'NO_STORE_ACCESS', [key('otherStore'), tokens.customerJwt]);
  });

  it('answers a key of another store on the store configuration with 403 NO_STORE_ACCESS', async () => {
    await positiveOk('getStoreConfig');
    const req = await s.positive('getStoreConfig', { keyRole: 'otherStore' });
    expectError(await s.send(req), 'NO_STORE_ACCESS', [key('otherStore')]);
  });

  it("answers store A's key naming store B in the checkout-settings path with 403 NO_STORE_ACCESS", async () => {
    await positiveOk('getCheckoutSettings');
    const req = await s.positive('getCheckoutSettings', { resources: { store: STORE_B } });
    expectError(await s.send(req), 'NO_STORE_ACCESS', [key('valid')]);
  });

  it("answers a customer JWT whose storeId claim is another store's with 403 NO_STORE_ACCESS", async () => {
    await positiveOk('getCart', { tokens: { customerJwt: await customerJwt() } });
    const jwt = await customerJwt({ claims: { storeId: STORE_B } });
    const req = await s.positive('getCart', { tokens: { customerJwt: jwt } });
    expectError(await s.send(req), 'NO_STORE_ACCESS', [jwt, key('valid')]);
  });

  it('answers a customer of another store by id with 403 NO_STORE_ACCESS (otherRecords: denied)', async () => {
    await positiveOk('getCustomer');
    const req = await s.positive('getCustomer', {
      resources: { customer: s.creds.resources!.customerOtherStore! },
    });
    expectError(await s.send(req), 'NO_STORE_ACCESS', [key('valid')]);
  });

  it('answers a product of another store by id with 403 NO_STORE_ACCESS (otherRecords: denied)', async () => {
    await positiveOk('getProductAvailability');
    const req = await s.positive('getProductAvailability', {
      resources: { product: s.creds.resources!.productOtherStore! },
    });
    expectError(await s.send(req), 'NO_STORE_ACCESS', [key('valid')]);
  });

  // --- environments (test data is isolated): NOT_FOUND ------------------------------------------------

  it('answers a test key asking for a live customer (customerLive) with 404 NOT_FOUND', async () => {
    await positiveOk('getCustomer');
    const req = await s.positive('getCustomer', {
      resources: { customer: s.creds.resources!.customerLive! },
    });
    expectError(await s.send(req), 'NOT_FOUND', [key('valid')]);
  });

  it('answers a live key asking for a test customer with 404 NOT_FOUND', async () => {
    await positiveOk('getCustomer');
    const req = await s.positive('getCustomer', { keyRole: 'live' });
    expectError(await s.send(req), 'NOT_FOUND', [key('live')]);
  });

  it('lets a live key of the same store read the live customer (twin)', async () => {
    const req = await s.positive('getCustomer', {
      keyRole: 'live',
      resources: { customer: s.creds.resources!.customerLive! },
    });
    const res = await s.send(req);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ data: { storeId: STORE_A } });
  });

  it('answers a test key asking for a live product with 404 NOT_FOUND', async () => {
    await positiveOk('getProductAvailability');
    const req = await s.positive('getProductAvailability', {
      resources: { product: s.creds.resources!.productLive! },
    });
    expectError(await s.send(req), 'NOT_FOUND', [key('valid')]);
  });

  it('answers an unknown customer id with 404 NOT_FOUND', async () => {
    await positiveOk('getCustomer');
    const req = await s.positive('getCustomer', {
      resources: { customer: '00000000-0000-4000-8000-000000000000' },
    });
    expectError(await s.send(req), 'NOT_FOUND', [key('valid')]);
  });

  // --- malformed input: BAD_REQUEST, never 5xx ---------------------------------------------------------

  it('answers a body that is not valid JSON with 400 BAD_REQUEST', async () => {
    const req = await positiveOk('addCartItem');
    req.body = '{"productId": "6b1f3c2a-8d4e-4f5a-9b7c-0e1d2f3a4b5c", "quantity":';
    expectError(await s.send(req), 'BAD_REQUEST', [getHeader(req, 'X-API-Key'), bearerOf(req)]);
  });

  it('answers a 10 000-character header value with 400 BAD_REQUEST', async () => {
    const req = await positiveOk('getCustomer');
    setHeader(req, 'X-Request-Id', 'x'.repeat(10_000));
    expectError(await s.send(req), 'BAD_REQUEST', [getHeader(req, 'X-API-Key')]);
  });

  it('answers a store id that is not a UUID with 400 BAD_REQUEST', async () => {
    await positiveOk('getStoreConfig');
    const req = await s.positive('getStoreConfig', { resources: { store: 'not-a-store-id' } });
    expectError(await s.send(req), 'BAD_REQUEST', [key('valid')]);
  });

  // --- RATE_LIMITED ------------------------------------------------------------------------------------

  it('answers the 101st request of a key within 60 s with 429 RATE_LIMITED and Retry-After, then serves again after the window', async () => {
    const req = await s.positive('getStoreConfig');
    const limit = s.profile.rateLimits!.default!.limit;
    expect(limit).toBe(100);
    for (let i = 0; i < limit; i++) {
      const ok = await s.send(req);
      expect(ok.status, `request ${i + 1}`).toBe(200);
    }
    const res = await s.send(req);
    expectError(res, 'RATE_LIMITED', [key('valid')]);
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    s.mock.world.clock.advance(60_000);
    const again = await s.send(req);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
  });

  it('counts the rate limit per key: another key of the store is not limited by the first (twin)', async () => {
    const req = await s.positive('getStoreConfig');
    for (let i = 0; i < 101; i++) await s.send(req);
    expect((await s.send(req)).status).toBe(429);
    const other = await s.positive('getStoreConfig', { keyRole: 'publishable' });
    expect((await s.send(other)).status).toBe(200);
  });
});
