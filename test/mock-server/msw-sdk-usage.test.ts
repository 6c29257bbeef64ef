// How an SDK developer uses the mock in unit tests: msw's setupServer with the package's
// handlers, and the SDK's own fetch calls answered as the real API would.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { authMockHandlers } from 'authconform/msw';

const API = 'https://api.vesuviopay.test';
const { handlers, mock } = await authMockHandlers({ profile: 'vesuviopay', baseUrl: API });
const server = setupServer(...handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

describe("authconform/msw in an SDK's unit tests", () => {
  it('answers a secret-key call and refuses the publishable key with ACCESS_DENIED', async () => {
    const creds = await (await fetch(`${API}/__mock/credentials`)).json();
    const customer = creds.resources.customer;
    const ok = await fetch(`${API}/api/v1/customers/${customer}`, {
      headers: { 'X-API-Key': creds.keys.valid.value },
    });
    expect(ok.status).toBe(200);
    const denied = await fetch(`${API}/api/v1/customers/${customer}`, {
      headers: { 'X-API-Key': creds.keys.publishable.value },
    });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ success: false, errorCode: 'ACCESS_DENIED' });
  });

  it('shares state with the test: a revoked key stays refused until reset', async () => {
    const creds = await (await fetch(`${API}/__mock/credentials`)).json();
    const res = await fetch(`${API}/api/v1/orders`, {
      headers: { 'X-API-Key': creds.keys.revoked.value },
    });
    expect((await res.json()).errorCode).toBe('API_KEY_INACTIVE');
  });
});
