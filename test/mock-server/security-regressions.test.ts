// Holes a review found in the mock, each pinned so it cannot come back.
import { describe, expect, it } from 'vitest';
import { mockSession, pointer } from '../support/mock-session.ts';
import { maskSecret } from '../../src/secrets/mask.ts';

describe('the mock refuses what a review showed it once allowed', () => {
  it("a merchant's user cannot revoke another merchant's key", async () => {
    const s = await mockSession('auxvault');
    const otherMerchantKey = s.mock.world.fixtures.keys.find((k) => k.merchant === 'merchant-789')!;
    const req = await s.positive('revokeApiKey', { resources: { apiKey: otherMerchantKey.id } });
    const res = await s.send(req);
    expect(res.status).toBe(404);
    const still = await s.send(await s.positive('testConnection', { keyRole: 'otherMerchant' }));
    expect(still.status).toBe(200);
  });

  it("a party id in a path must be one the caller may reach (another tenant's merchant is not)", async () => {
    const s = await mockSession('auxvault');
    const res = await s.send(
      await s.positive('getMerchant', { resources: { merchant: 'merchant-901' } }),
    );
    expect(res.status).toBe(404);
    const made = await s.send(
      await s.positive('getTransaction', { resources: { transaction: 'merchant-901' } }),
    );
    expect(made.status).toBe(404);
  });

  it("a created key is never stronger than its creator: scopes outside the creator's are refused", async () => {
    const s = await mockSession('gateway');
    const base = await s.positive('createApiKey');
    const as = (token: string, req: typeof base) => ({
      ...req,
      headers: { ...req.headers, Authorization: `Bearer ${token}` },
    });
    // A creator that may create keys and checkouts, nothing else.
    const made = await s.send({
      ...base,
      body: JSON.stringify({ name: 'creator', scopes: ['api_key:create', 'checkout:create'] }),
    });
    expect(made.status).toBe(201);
    const creator = pointer(made.body, '/data/token') as string;
    const tooStrong = await s.send(
      as(creator, { ...base, body: JSON.stringify({ name: 'x', scopes: ['invoice:read'] }) }),
    );
    expect(tooStrong.status).toBe(403);
    // Without scopes the new key inherits the creator's: checkouts yes, invoices no.
    const created = await s.send(
      as(creator, { ...base, body: JSON.stringify({ name: 'inherits' }) }),
    );
    expect(created.status).toBe(201);
    const token = pointer(created.body, '/data/token') as string;
    expect((await s.send(as(token, await s.positive('listInvoices')))).status).toBe(403);
    expect((await s.send(as(token, await s.positive('createCheckout')))).status).toBe(201);
  });

  it('a rotating refresh token is spent once, even by two concurrent refreshes', async () => {
    const s = await mockSession('auxvault');
    const login = await s.send(await s.positive('accessToken'));
    const refreshToken = pointer(login.body, '/data/refreshToken') as string;
    const req = await s.positive('refreshToken', { body: { refreshToken } });
    const [a, b] = await Promise.all([s.send(req), s.send(req)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
  });

  it('a forged signature is refused before scopes are looked at (nothing learned without the secret)', async () => {
    const s = await mockSession('luxcore');
    const req = await s.positive('payments-create-v2', { keyRole: 'scopeLimited' });
    req.headers['X-Signature'] = 'hmac_sha256=' + '0'.repeat(64);
    const res = await s.send(req);
    expect(res.status).toBe(401);
    expect((res.body as { error: { code: string } }).error.code).toBe('invalid_signature');
  });

  it('masking shows no more than four characters of a password or a random secret', () => {
    expect(maskSecret('Acme-Dashb0ard-Test-2026!')).toBe('…026!');
    expect(maskSecret('kX9_2mQ-vT7pL0sR4wY8zB1nC5')).toBe('…1nC5');
  });

  it('refuses a clock move past what a date can hold (1e300 s, 8.64e12 s): 400, and every later answer stays right', async () => {
    const s = await mockSession('luxcore');
    for (const advanceSeconds of [1e300, 8.64e12]) {
      const res = await s.send({
        method: 'POST',
        pathWithQuery: '/__mock/clock',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ advanceSeconds }),
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/at most \d+ s in all/);
    }
    expect((await s.send(await s.positive('balance-get'))).status).toBe(200);
    const ok = await s.send({
      method: 'POST',
      pathWithQuery: '/__mock/clock',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 3600 }),
    });
    expect(ok.status).toBe(200);
  });
});
