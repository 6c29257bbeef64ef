/**
 * The bundled mock of the gateway profile produces every failure the Payment Gateway
 * "API Keys & Auth" guide implies (shared/seeds/004_63cd055e0cee07c3.txt) and every denial the
 * profile maps, each from the positive request with exactly one fault applied; and the key
 * lifecycle (create shown once, revoke, delete, rotate with a grace period, masked list).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockSession, schemaMismatch, type MockSession } from '../support/mock-session.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import type { MockResponse } from '../../mock-server/core/mock-types.ts';
import type { BuildOptions } from '../../src/request/build-request.ts';

const ORG_ACME = 'org_acme';
const ORG_GLOBEX = 'org_globex';
/** fixtures/gateway.yaml: "a key holding only the invoice:* wildcard" (not a credentials role). */
const INVOICE_WILDCARD_KEY_ID = '3pjhx4is68y8xwy9';
const TOKEN_RE = /^sk_([a-z0-9]{16})\.([A-Za-z0-9]{40})$/;
const GRACE_SECONDS = 3600;

/** Constant fields per error id (profile decision: {statusCode, error, message, code}). */
const ERRORS: Record<string, { status: number; error: string; code: string }> = {
  missingApiKey: { status: 401, error: 'Unauthorized', code: 'MISSING_API_KEY' },
  invalidApiKey: { status: 401, error: 'Unauthorized', code: 'INVALID_API_KEY' },
  apiKeyRevoked: { status: 401, error: 'Unauthorized', code: 'API_KEY_REVOKED' },
  insufficientScope: { status: 403, error: 'Forbidden', code: 'INSUFFICIENT_SCOPE' },
  wrongKeyType: { status: 403, error: 'Forbidden', code: 'WRONG_KEY_TYPE' },
  notFound: { status: 404, error: 'Not Found', code: 'NOT_FOUND' },
  badRequest: { status: 400, error: 'Bad Request', code: 'BAD_REQUEST' },
  rateLimited: { status: 429, error: 'Too Many Requests', code: 'RATE_LIMITED' },
};

function headerName(req: OutgoingRequest, name: string): string | undefined {
  return Object.keys(req.headers).find((k) => k.toLowerCase() === name.toLowerCase());
}

function setHeader(req: OutgoingRequest, name: string, value: string | undefined): void {
  const existing = headerName(req, name);
  if (existing !== undefined) delete req.headers[existing];
  if (value !== undefined) req.headers[existing ?? name] = value;
}

function bearerOf(req: OutgoingRequest): string {
  const k = headerName(req, 'Authorization');
  if (k === undefined) throw new Error('the positive request has no Authorization');
  return req.headers[k]!.replace(/^Bearer /, '');
}

function withBearer(req: OutgoingRequest, token: string): OutgoingRequest {
  const copy = structuredClone(req);
  setHeader(copy, 'Authorization', `Bearer ${token}`);
  return copy;
}

function data(res: MockResponse): Record<string, unknown> {
  return (res.body as { data: Record<string, unknown> }).data;
}

describe('gateway', () => {
  let s: MockSession;
  beforeEach(async () => {
    s = await mockSession('gateway');
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

  function expectSuccess(routeId: string, res: MockResponse): void {
    const route = s.route(routeId);
    expect(res.status, JSON.stringify(res.body)).toBe(route.success.status);
    if (route.success.schema) expect(schemaMismatch(route.success.schema, res.body)).toBe('');
  }

  function expectError(res: MockResponse, id: string, secrets: string[]): void {
    const want = ERRORS[id]!;
    const err = s.profile.errors[id];
    expect(err, `profile error ${id}`).toBeDefined();
    expect(err!.status).toBe(want.status);
    expect(res.status, JSON.stringify(res.body)).toBe(want.status);
    expect(schemaMismatch(err!.schema!, res.body)).toBe('');
    expect(res.body).toMatchObject({ statusCode: want.status, error: want.error, code: want.code });
    if (want.status === 401) expect(res.headers['www-authenticate']).toBe('Bearer');
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

  const fixtureKey = (id: string) => {
    const k = s.mock.world.fixtures.keys.find((x) => x.id === id);
    if (!k) throw new Error(`no fixture key ${id}`);
    return k.value;
  };

  /** Creates an organization key through the API with the valid key; returns its id and token. */
  async function createKey(body?: Record<string, unknown>) {
    const res = await s.send(await s.positive('createApiKey', body ? { body } : {}));
    expectSuccess('createApiKey', res);
    const d = data(res);
    return { id: d.id as string, token: d.token as string, res };
  }

  // --- MISSING_API_KEY -----------------------------------------------------------------------------

  it('answers a request without Authorization with 401 MISSING_API_KEY and WWW-Authenticate: Bearer', async () => {
    const req = await positiveOk('createCheckout');
    const sent = bearerOf(req);
    setHeader(req, 'Authorization', undefined);
    expectError(await s.send(req), 'missingApiKey', [sent]);
  });

  it('answers the key under another scheme (Basic) with 401 MISSING_API_KEY', async () => {
    const req = await positiveOk('createCheckout');
    const sent = bearerOf(req);
    const basic = Buffer.from(`${sent}:`).toString('base64');
    setHeader(req, 'Authorization', `Basic ${basic}`);
    expectError(await s.send(req), 'missingApiKey', [sent, basic]);
  });

  it('answers "Authorization: Bearer" with no value with 401 MISSING_API_KEY', async () => {
    const req = await positiveOk('createCheckout');
    setHeader(req, 'Authorization', 'Bearer ');
    expectError(await s.send(req), 'missingApiKey', []);
  });

  // --- INVALID_API_KEY -----------------------------------------------------------------------------

  it('answers a Bearer value that is not sk_<id>.<secret> with 401 INVALID_API_KEY', async () => {
    const req = await positiveOk('createCheckout');
    const bad = 'sk_roxah8wklmt6c6ut';
    setHeader(req, 'Authorization', `Bearer ${bad}`);
    expectError(await s.send(req), 'invalidApiKey', [bad]);
  });

  it('answers a broken Bearer value "a.b" with 401 INVALID_API_KEY, never a 5xx', async () => {
    const req = await positiveOk('createCheckout');
    setHeader(req, 'Authorization', 'Bearer a.b');
    expectError(await s.send(req), 'invalidApiKey', []);
  });

  it('answers a well-formed key of an unknown id with 401 INVALID_API_KEY', async () => {
    const req = await positiveOk('createCheckout');
    const bad = 'sk_zzzzzzzzzzzzzzzz.' + 'A'.repeat(40);
    setHeader(req, 'Authorization', `Bearer ${bad}`);
    expectError(await s.send(req), 'invalidApiKey', [bad]);
  });

  it('answers a known key id with a wrong secret with 401 INVALID_API_KEY', async () => {
    const req = await positiveOk('createCheckout');
    const good = bearerOf(req);
    const m = TOKEN_RE.exec(good)!;
    const secret = m[2]!;
    const bad = `sk_${m[1]}.${secret.slice(0, -1)}${secret.at(-1) === 'A' ? 'B' : 'A'}`;
    setHeader(req, 'Authorization', `Bearer ${bad}`);
    expectError(await s.send(req), 'invalidApiKey', [bad, good, secret]);
  });

  it('answers a key containing a NUL byte with 401 INVALID_API_KEY, never a 5xx', async () => {
    const req = await positiveOk('createCheckout');
    const good = bearerOf(req);
    const bad = good.slice(0, 25) + '\u0000' + good.slice(26);
    setHeader(req, 'Authorization', `Bearer ${bad}`);
    expectError(await s.send(req), 'invalidApiKey', [bad, good]);
  });

  it('answers a key containing a non-ASCII character with 401 INVALID_API_KEY, never a 5xx', async () => {
    const req = await positiveOk('createCheckout');
    const good = bearerOf(req);
    const bad = good.slice(0, 25) + 'ß' + good.slice(26);
    setHeader(req, 'Authorization', `Bearer ${bad}`);
    expectError(await s.send(req), 'invalidApiKey', [bad, good]);
  });

  // --- API_KEY_REVOKED -----------------------------------------------------------------------------

  it('answers a revoked key with 401 API_KEY_REVOKED', async () => {
    await positiveOk('createCheckout');
    const req = await s.positive('createCheckout', { keyRole: 'revoked' });
    expectError(await s.send(req), 'apiKeyRevoked', [key('revoked')]);
  });

  // --- scopes: INSUFFICIENT_SCOPE and its twins ----------------------------------------------------------

  it('lets the scopeLimited key (checkout:create only) create a checkout (twin)', async () => {
    const res = await s.send(await s.positive('createCheckout', { keyRole: 'scopeLimited' }));
    expectSuccess('createCheckout', res);
    expect(data(res).organizationId).toBe(ORG_ACME);
  });

  it('answers the scopeLimited key (checkout:create only) listing invoices with 403 INSUFFICIENT_SCOPE', async () => {
    await positiveOk('listInvoices');
    const req = await s.positive('listInvoices', { keyRole: 'scopeLimited' });
    expectError(await s.send(req), 'insufficientScope', [key('scopeLimited')]);
  });

  it('answers the scopeLimited key creating an invoice with 403 INSUFFICIENT_SCOPE', async () => {
    await positiveOk('createInvoice');
    const req = await s.positive('createInvoice', { keyRole: 'scopeLimited' });
    expectError(await s.send(req), 'insufficientScope', [key('scopeLimited')]);
  });

  it('answers the scopeLimited key creating an API key with 403 INSUFFICIENT_SCOPE', async () => {
    const req = await s.positive('createApiKey', { keyRole: 'scopeLimited' });
    expectError(await s.send(req), 'insufficientScope', [key('scopeLimited')]);
  });

  for (const routeId of [
    'listInvoices',
    'createInvoice',
    'updateInvoice',
    'createRecurringSchedule',
    'runRecurringSchedule',
  ]) {
    it(`lets the invoice:* key call ${routeId} (the wildcard grants every invoice action)`, async () => {
      const req = withBearer(await s.positive(routeId), fixtureKey(INVOICE_WILDCARD_KEY_ID));
      const res = await s.send(req);
      expectSuccess(routeId, res);
      expect(data(res).organizationId).toBe(ORG_ACME);
    });
  }

  it('answers the invoice:* key creating a checkout with 403 INSUFFICIENT_SCOPE', async () => {
    const req = await positiveOk('createCheckout');
    const token = fixtureKey(INVOICE_WILDCARD_KEY_ID);
    setHeader(req, 'Authorization', `Bearer ${token}`);
    expectError(await s.send(req), 'insufficientScope', [token]);
  });

  it('answers the invoice:* key reading a transaction with 403 INSUFFICIENT_SCOPE', async () => {
    const req = await positiveOk('getTransaction');
    const token = fixtureKey(INVOICE_WILDCARD_KEY_ID);
    setHeader(req, 'Authorization', `Bearer ${token}`);
    expectError(await s.send(req), 'insufficientScope', [token]);
  });

  it('answers a key with organization:* minting a portal link with 403 INSUFFICIENT_SCOPE (portal:create is isolated)', async () => {
    const { token } = await createKey({ name: 'org-admin', scopes: ['organization:*'] });
    const orgOk = await s.send(withBearer(await s.positive('getOrganization'), token));
    expectSuccess('getOrganization', orgOk);
    const req = await positiveOk('createPortalMagicLink');
    setHeader(req, 'Authorization', `Bearer ${token}`);
    expectError(await s.send(req), 'insufficientScope', [token]);
  });

  // --- key types: WRONG_KEY_TYPE both ways -----------------------------------------------------------

  it('answers a system key on an organization route with 403 WRONG_KEY_TYPE', async () => {
    await positiveOk('createCheckout');
    const req = await s.positive('createCheckout', { keyRole: 'system' });
    expectError(await s.send(req), 'wrongKeyType', [key('system')]);
  });

  it('answers a system key sending X-Organization-ID on an organization route with 403 WRONG_KEY_TYPE (the header picks no organization)', async () => {
    const req = await s.positive('listClients', { keyRole: 'system' });
    setHeader(req, 'X-Organization-ID', ORG_ACME);
    expectError(await s.send(req), 'wrongKeyType', [key('system')]);
  });

  for (const routeId of ['getSystemHealth', 'provisionOrganization', 'updateSystemSettings']) {
    it(`answers an organization key on system route ${routeId} with 403 WRONG_KEY_TYPE`, async () => {
      await positiveOk(routeId);
      const req = await s.positive(routeId, { keyRole: 'valid' });
      expectError(await s.send(req), 'wrongKeyType', [key('valid')]);
    });
  }

  it('lets the system key call a system route (twin)', async () => {
    const req = await s.positive('getSystemHealth');
    expect(bearerOf(req)).toBe(key('system'));
    expectSuccess('getSystemHealth', await s.send(req));
  });

  // --- organization: resolved from the key, never switched -------------------------------------------

  it("does not switch organization on X-Organization-ID of another organization: data.organizationId stays the key's", async () => {
    const req = await positiveOk('createCheckout');
    setHeader(req, 'X-Organization-ID', ORG_GLOBEX);
    const res = await s.send(req);
    expectSuccess('createCheckout', res);
    expect(data(res).organizationId).toBe(ORG_ACME);
    expect(JSON.stringify(res.body)).not.toContain(ORG_GLOBEX);
  });

  it("does not switch organization on a list either: the other organization's key with X-Organization-ID org_acme sees org_globex", async () => {
    const req = await s.positive('listInvoices', { keyRole: 'otherOrganization' });
    setHeader(req, 'X-Organization-ID', ORG_ACME);
    const res = await s.send(req);
    expectSuccess('listInvoices', res);
    expect(data(res).organizationId).toBe(ORG_GLOBEX);
  });

  it('answers a transaction of another organization with 404 NOT_FOUND', async () => {
    await positiveOk('getTransaction');
    const req = await s.positive('getTransaction', {
      resources: { transaction: 'txn_9cdsr721714de66s' },
    });
    expectError(await s.send(req), 'notFound', [key('valid')]);
  });

  it('answers a transaction of another organization with 404 NOT_FOUND even when X-Organization-ID names that organization', async () => {
    const req = await s.positive('getTransaction', {
      resources: { transaction: 'txn_9cdsr721714de66s' },
    });
    setHeader(req, 'X-Organization-ID', ORG_GLOBEX);
    expectError(await s.send(req), 'notFound', [key('valid')]);
  });

  it('answers an invoice of another organization with 404 NOT_FOUND', async () => {
    await positiveOk('updateInvoice');
    const req = await s.positive('updateInvoice', {
      resources: { invoice: 'inv_0vp44tbldaf2c5ac' },
    });
    expectError(await s.send(req), 'notFound', [key('valid')]);
  });

  it('answers a recurring schedule of another organization with 404 NOT_FOUND', async () => {
    await positiveOk('runRecurringSchedule');
    const req = await s.positive('runRecurringSchedule', {
      resources: { schedule: 'sch_k3x63owgf11461bl' },
    });
    expectError(await s.send(req), 'notFound', [key('valid')]);
  });

  it("answers a refund of another organization's transaction with 404 NOT_FOUND", async () => {
    await positiveOk('refundTransaction');
    const req = await s.positive('refundTransaction', {
      resources: { transaction: 'txn_9cdsr721714de66s' },
    });
    expectError(await s.send(req), 'notFound', [key('valid')]);
  });

  // --- portal magic links: ttlMinutes capped ------------------------------------------------------------

  it('echoes a requested ttlMinutes below the cap (10) in the portal link (twin)', async () => {
    const res = await s.send(await s.positive('createPortalMagicLink'));
    expectSuccess('createPortalMagicLink', res);
    expect(data(res).ttlMinutes).toBe(10);
    expect(data(res).organizationId).toBe(ORG_ACME);
  });

  // "The backend will cap that value to the system portal magic-link TTL" (route caps: 15).
  it('caps a requested portal ttlMinutes of 60 to 15 in the body (201, not an error)', async () => {
    const req = await positiveOk('createPortalMagicLink');
    req.body = JSON.stringify({ ...JSON.parse(req.body!), ttlMinutes: 60 });
    const res = await s.send(req);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(data(res).ttlMinutes).toBe(15);
    expectSuccess('createPortalMagicLink', res);
  });

  // Decision in the profile: "ttlMinutes is optional (absent: 15)".
  it('answers a portal link request without ttlMinutes with the system TTL of 15', async () => {
    const req = await positiveOk('createPortalMagicLink');
    const { ttlMinutes: _omit, ...rest } = JSON.parse(req.body!) as Record<string, unknown>;
    req.body = JSON.stringify(rest);
    const res = await s.send(req);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(data(res).ttlMinutes).toBe(15);
    expectSuccess('createPortalMagicLink', res);
  });

  // Decision in the profile: expiresAt = creation time + the effective ttlMinutes.
  it('sets the portal link expiresAt to creation time + the effective ttlMinutes', async () => {
    const before = s.mock.world.clock.now();
    const res = await s.send(await s.positive('createPortalMagicLink'));
    expectSuccess('createPortalMagicLink', res);
    const expiresAt = Date.parse(data(res).expiresAt as string);
    const ttl = (data(res).ttlMinutes as number) * 60_000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + ttl - 1000);
    expect(expiresAt).toBeLessThanOrEqual(s.mock.world.clock.now() + ttl + 1000);
  });

  // --- key lifecycle ----------------------------------------------------------------------------------

  it('shows the full token once on create, and the new key works at once', async () => {
    const { id, token, res } = await createKey();
    expect(token).toMatch(TOKEN_RE);
    expect(TOKEN_RE.exec(token)![1]).toBe(id);
    expect(data(res).organizationId).toBe(ORG_ACME);
    const use = await s.send(withBearer(await s.positive('listClients'), token));
    expectSuccess('listClients', use);
    expect(data(use).organizationId).toBe(ORG_ACME);
  });

  it('lists keys masked: no full token in the list body, the created key appears as sk_…<last 4>', async () => {
    const { id, token } = await createKey();
    const res = await s.send(await s.positive('listApiKeys'));
    expectSuccess('listApiKeys', res);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[1]!);
    for (const k of s.mock.world.fixtures.keys) {
      expect(text).not.toContain(k.value);
      expect(text).not.toContain(k.value.split('.')[1]!);
    }
    const items = data(res).items as { id: string; token: string }[];
    const mine = items.find((i) => i.id === id);
    expect(mine, 'the created key is listed').toBeDefined();
    expect(mine!.token).toBe(`sk_…${token.slice(-4)}`);
    expect(data(res).organizationId).toBe(ORG_ACME);
    expect(items.map((i) => i.id)).not.toContain('a3xjv3qg0dg79umu'); // org_globex's key
  });

  it('revokes a key: create -> works -> revoke -> 401 API_KEY_REVOKED, also after the clock moves 30 days', async () => {
    const { id, token } = await createKey();
    const use = await s.positive('listClients');
    expectSuccess('listClients', await s.send(withBearer(use, token)));
    const revoke = await s.send(await s.positive('revokeApiKey', { resources: { keyId: id } }));
    expectSuccess('revokeApiKey', revoke);
    expect(data(revoke)).toMatchObject({ id, status: 'revoked', organizationId: ORG_ACME });
    expect(JSON.stringify(revoke.body)).not.toContain(token);
    expectError(await s.send(withBearer(use, token)), 'apiKeyRevoked', [token]);
    s.mock.world.clock.advance(30 * 24 * 3600 * 1000);
    expectError(await s.send(withBearer(use, token)), 'apiKeyRevoked', [token]);
  });

  it('answers rotating a revoked key with 400 BAD_REQUEST', async () => {
    const { id } = await createKey();
    expectSuccess(
      'revokeApiKey',
      await s.send(await s.positive('revokeApiKey', { resources: { keyId: id } })),
    );
    const res = await s.send(await s.positive('rotateApiKey', { resources: { keyId: id } }));
    expectError(res, 'badRequest', [key('valid')]);
  });

  it('deletes a key: its token then answers 401 INVALID_API_KEY and its id 404 NOT_FOUND', async () => {
    const oldToken = fixtureKey(s.creds.resources!.keyId!);
    const use = await s.positive('listClients');
    expectSuccess('listClients', await s.send(withBearer(use, oldToken)));
    const del = await s.send(await s.positive('deleteApiKey'));
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expectError(await s.send(withBearer(use, oldToken)), 'invalidApiKey', [oldToken]);
    expectError(await s.send(await s.positive('revokeApiKey')), 'notFound', [oldToken]);
    expectError(await s.send(await s.positive('rotateApiKey')), 'notFound', [oldToken]);
    const list = await s.send(await s.positive('listApiKeys'));
    expect((data(list).items as { id: string }[]).map((i) => i.id)).not.toContain(
      s.creds.resources!.keyId!,
    );
  });

  it('answers managing a key of another organization with 404 NOT_FOUND', async () => {
    const other = 'a3xjv3qg0dg79umu';
    const req = await s.positive('revokeApiKey', { resources: { keyId: other } });
    expectError(await s.send(req), 'notFound', [key('valid'), key('otherOrganization')]);
    // The other organization's key still works: nothing was revoked.
    const still = await s.send(await s.positive('listClients', { keyRole: 'otherOrganization' }));
    expectSuccess('listClients', still);
  });

  it('rotates a key: old and new secrets both work within the 3600 s grace, then the old answers 401 API_KEY_REVOKED and the new keeps working', async () => {
    expect(s.profile.lifecycle!.rotationGraceSeconds).toBe(GRACE_SECONDS);
    const id = s.creds.resources!.keyId!;
    const oldToken = fixtureKey(id);
    const rot = await s.send(await s.positive('rotateApiKey'));
    expectSuccess('rotateApiKey', rot);
    const newToken = data(rot).token as string;
    expect(newToken).toMatch(TOKEN_RE);
    expect(TOKEN_RE.exec(newToken)![1]).toBe(id);
    expect(newToken).not.toBe(oldToken);
    expect(JSON.stringify(rot.body)).not.toContain(oldToken);

    const use = await s.positive('listClients');
    expectSuccess('listClients', await s.send(withBearer(use, oldToken)));
    expectSuccess('listClients', await s.send(withBearer(use, newToken)));

    s.mock.world.clock.advance((GRACE_SECONDS - 10) * 1000);
    expectSuccess('listClients', await s.send(withBearer(use, oldToken)));

    s.mock.world.clock.advance(11 * 1000);
    expectError(await s.send(withBearer(use, oldToken)), 'apiKeyRevoked', [oldToken, newToken]);
    expectSuccess('listClients', await s.send(withBearer(use, newToken)));

    s.mock.world.clock.advance(30 * 24 * 3600 * 1000);
    expectError(await s.send(withBearer(use, oldToken)), 'apiKeyRevoked', [oldToken, newToken]);
    expectSuccess('listClients', await s.send(withBearer(use, newToken)));
  });

  // --- malformed input: BAD_REQUEST, never 5xx ------------------------------------------------------------

  it('answers a body that is not valid JSON with 400 BAD_REQUEST', async () => {
    const req = await positiveOk('createCheckout');
    req.body = '{"amount": 4999, "currency":';
    expectError(await s.send(req), 'badRequest', [bearerOf(req)]);
  });

  it('answers a JSON array where an object body is expected with 400 BAD_REQUEST', async () => {
    const req = await positiveOk('createCheckout');
    req.body = '[1,2,3]';
    expectError(await s.send(req), 'badRequest', [bearerOf(req)]);
  });

  it('answers a 10 000-character header value with 400 BAD_REQUEST', async () => {
    const req = await positiveOk('createCheckout');
    setHeader(req, 'X-Request-Id', 'x'.repeat(10_000));
    expectError(await s.send(req), 'badRequest', [bearerOf(req)]);
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const req = await positiveOk('listClients');
    req.pathWithQuery = '/api/v1/no-such-thing';
    expectError(await s.send(req), 'notFound', [bearerOf(req)]);
  });

  // --- RATE_LIMITED --------------------------------------------------------------------------------------

  it('answers the 601st request of a key within 60 s with 429 RATE_LIMITED and Retry-After, then serves again after the window', async () => {
    const req = await s.positive('getOrganization');
    const limit = s.profile.rateLimits!.perKey!.limit;
    expect(limit).toBe(600);
    for (let i = 0; i < limit; i++) {
      const ok = await s.send(req);
      if (ok.status !== 200) expect(ok.status, `request ${i + 1}`).toBe(200);
    }
    const res = await s.send(req);
    expectError(res, 'rateLimited', [key('valid')]);
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    s.mock.world.clock.advance(60_000);
    expectSuccess('getOrganization', await s.send(req));
  });

  it('counts the rate limit per key: another key is not limited by the first (twin)', async () => {
    const req = await s.positive('getOrganization');
    for (let i = 0; i < 601; i++) await s.send(req);
    expect((await s.send(req)).status).toBe(429);
    const other = await s.positive('getOrganization', { keyRole: 'otherOrganization' });
    expectSuccess('getOrganization', await s.send(other));
  });
});
