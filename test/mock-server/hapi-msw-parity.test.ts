// The Hapi server (over real HTTP) and the msw handlers (in-process) are thin adapters over one
// core: the same requests through both must give the same status and body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer, type RunningMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { handlersFor } from '../../mock-server/msw/auth-mock-handlers.ts';
import { builtInProfileIds } from '../../src/spec/builtin-specs.ts';
import { mockSession } from '../support/mock-session.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';

const MSW_ORIGIN = 'https://mock.authconform.test';

/** Values that differ by nature between two worlds (ids, times, drawn keys and tokens). */
function normalize(v: unknown): unknown {
  if (typeof v === 'string') {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return '<uuid>';
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)) return '<time>';
    if (/^[A-Za-z0-9_.-]{16,}$/.test(v) && /[0-9]/.test(v)) return '<drawn>';
    if (/…[A-Za-z0-9]{4}$/.test(v)) return v.slice(0, -4) + '<last4>';
    return v.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>');
  }
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

async function over(base: string, req: OutgoingRequest) {
  const res = await fetch(base + req.pathWithQuery, {
    method: req.method,
    headers: req.headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: normalize(text ? JSON.parse(text) : undefined),
    retryAfter: res.headers.get('retry-after'),
  };
}

describe('Hapi and msw answer alike', () => {
  for (const id of builtInProfileIds()) {
    describe(id, () => {
      let hapi: RunningMockServer;
      const msw = setupServer();
      beforeAll(async () => {
        hapi = await startMockServer(await createAuthMock({ profile: id }), { port: 0 });
        msw.use(...handlersFor(await createAuthMock({ profile: id }), MSW_ORIGIN));
        msw.listen({ onUnhandledRequest: 'bypass' });
      });
      afterAll(async () => {
        msw.close();
        await hapi.stop();
      });

      it('for every route, its positive request and the same request with each credential removed or broken', async () => {
        const s = await mockSession(id);
        let compared = 0;
        for (const route of s.profile.routes) {
          const positive = await s.positive(route.id);
          const variants: OutgoingRequest[] = [positive];
          for (const name of Object.keys(positive.headers)) {
            if (name === 'Content-Type') continue;
            const without = { ...positive, headers: { ...positive.headers } };
            delete without.headers[name];
            variants.push(without, {
              ...positive,
              headers: { ...positive.headers, [name]: positive.headers[name] + 'x' },
            });
          }
          if (positive.body !== undefined)
            variants.push({ ...positive, body: positive.body.slice(0, -1) });
          for (const v of variants) {
            const [a, b] = await Promise.all([over(hapi.url, v), over(MSW_ORIGIN, v)]);
            expect(b, `${route.id} ${JSON.stringify(v.headers)}`).toEqual(a);
            compared++;
          }
        }
        expect(compared).toBeGreaterThan(s.profile.routes.length * 2);
      });

      it('control routes and unknown paths', async () => {
        for (const path of [
          '/__mock/credentials',
          '/__mock/clock',
          '/no/such/route',
          '/%E0%A4%A',
        ]) {
          const v = { method: 'GET', pathWithQuery: path, headers: {} };
          expect(await over(MSW_ORIGIN, v), path).toEqual(await over(hapi.url, v));
        }
      });
    });
  }
});
