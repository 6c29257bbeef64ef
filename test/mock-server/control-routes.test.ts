// The control routes (/__mock/*) can reset the mock and move its clock, and serve its credentials:
// a web page the developer has open must not be able to use them. Through the shared core, so
// Hapi and msw both refuse alike.
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import type { MockRequest } from '../../mock-server/core/mock-types.ts';

const post = (path: string, headers: Record<string, string>, body = ''): MockRequest => ({
  method: 'POST',
  path,
  pathWithQuery: path,
  headers,
  body: new TextEncoder().encode(body),
});
const advance = JSON.stringify({ advanceSeconds: 3600 });

describe('mock control routes', () => {
  it('refuse a POST that is not application/json (a cross-origin form or text/plain POST) with 415, and do nothing', async () => {
    const mock = await createAuthMock({ profile: 'vaulera' });
    const variants: Record<string, string>[] = [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      {},
    ];
    for (const headers of variants) {
      const res = await mock.handle(post('/__mock/clock', headers, advance));
      expect(res.status, JSON.stringify(headers)).toBe(415);
      expect(JSON.stringify(res.body)).toContain('Content-Type: application/json');
      expect((await mock.handle(post('/__mock/reset', headers))).status).toBe(415);
    }
    expect(mock.world.clock.offset).toBe(0);
  });

  it('take a JSON POST, with or without a charset, and an empty JSON reset', async () => {
    const mock = await createAuthMock({ profile: 'vaulera' });
    const moved = await mock.handle(
      post('/__mock/clock', { 'content-type': 'Application/JSON; charset=utf-8' }, advance),
    );
    expect(moved.status).toBe(200);
    expect(mock.world.clock.offset).toBe(3_600_000);
    const reset = await mock.handle(post('/__mock/reset', { 'content-type': 'application/json' }));
    expect(reset.status).toBe(200);
    expect(mock.world.clock.offset).toBe(0);
  });

  it('refuse a CORS preflight and grant no cross-origin access on any answer', async () => {
    const mock = await createAuthMock({ profile: 'vaulera' });
    const origin = { origin: 'https://evil.example' };
    const preflight = await mock.handle({
      ...post('/__mock/reset', { ...origin, 'access-control-request-method': 'POST' }),
      method: 'OPTIONS',
    });
    expect(preflight.status).toBe(403);
    const get = await mock.handle({ ...post('/__mock/credentials', origin), method: 'GET' });
    expect(get.status).toBe(200);
    for (const res of [preflight, get])
      expect(Object.keys(res.headers).filter((h) => /^access-control-/i.test(h))).toEqual([]);
  });
});
