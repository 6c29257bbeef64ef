// The Hapi server (over real HTTP), the msw handlers and the engine's in-process mock target are
// thin adapters over one core: the same requests through each must give the same status and body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer, type RunningMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { handlersFor } from '../../mock-server/msw/auth-mock-handlers.ts';
import { builtInProfileIds } from '../../src/spec/builtin-specs.ts';
import { mockSession } from '../support/mock-session.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';

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

/** What the in-process target received, as `over` reads an answer. */
async function inProcess(target: Target, req: OutgoingRequest) {
  const res = await target.send(req);
  return {
    status: res.status,
    body: normalize(res.rawBody ? JSON.parse(res.rawBody) : undefined),
    retryAfter: res.headers['retry-after'] ?? null,
  };
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

describe('Hapi, msw and the in-process target answer alike', () => {
  for (const id of builtInProfileIds()) {
    describe(id, () => {
      let hapi: RunningMockServer;
      let direct: Target;
      const msw = setupServer();
      beforeAll(async () => {
        hapi = await startMockServer(await createAuthMock({ profile: id }), { port: 0 });
        const own = await createAuthMock({ profile: id });
        direct = await inProcessMockTarget(own.world.profile, own);
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
            const [a, b, c] = await Promise.all([
              over(hapi.url, v),
              over(MSW_ORIGIN, v),
              inProcess(direct, v),
            ]);
            expect(b, `msw: ${route.id} ${JSON.stringify(v.headers)}`).toEqual(a);
            expect(c, `in-process: ${route.id} ${JSON.stringify(v.headers)}`).toEqual(a);
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
          const a = await over(hapi.url, v);
          expect(await over(MSW_ORIGIN, v), `msw: ${path}`).toEqual(a);
          expect(await inProcess(direct, v), `in-process: ${path}`).toEqual(a);
        }
      });
    });
  }
});
