/**
 * The mock's own routes under /__mock/, for tests and SDK developers: the credentials file of
 * the current fixtures, a reset to the fixtures, and the clock (read it, move it forward).
 * They answer in a plain `{ "error": ... }` shape of their own: they are not the API's.
 *
 * A web page the developer has open may send them requests. A POST must say
 * `Content-Type: application/json`, which a page can send across origins only after a CORS
 * preflight; the routes grant no CORS permission (no Access-Control-Allow-* header, a preflight
 * refused), so a page can neither reset the mock nor move its clock. The Hapi server also checks
 * the Host (control-host.ts), against DNS rebinding.
 */
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import type { MockRequest, MockResponse } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';
import { advanceClock, seedStore } from './mock-world.ts';
import { MAX_OFFSET_SECONDS } from './mock-clock.ts';

export const CONTROL_PREFIX = '/__mock/';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export async function handleControl(world: MockWorld, req: MockRequest): Promise<MockResponse> {
  const route = `${req.method.toUpperCase()} ${req.path.replace(/\/$/, '')}`;
  const ok = (body: unknown): MockResponse => ({ status: 200, headers: { ...JSON_HEADERS }, body });
  const bad = (status: number, error: string): MockResponse => ({
    status,
    headers: { ...JSON_HEADERS },
    body: { error },
  });
  if (req.method.toUpperCase() === 'OPTIONS')
    return bad(403, 'the mock control routes grant no cross-origin (CORS) access');
  if (req.method.toUpperCase() === 'POST' && !isJson(req.headers['content-type']))
    return bad(
      415,
      `a POST to a mock control route must have Content-Type: application/json (got ${JSON.stringify(req.headers['content-type']?.slice(0, 100) ?? '(none)')}); an empty body is fine for reset`,
    );
  switch (route) {
    case 'GET /__mock/credentials':
      return ok(fixturesToCredentials(world.fixtures, world.profile));
    case 'POST /__mock/reset':
      world.clock.reset();
      await seedStore(world);
      return ok({ reset: true, profile: world.profile.id });
    case 'GET /__mock/clock':
      return ok(clockView(world));
    case 'POST /__mock/clock': {
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder().decode(req.body) || '{}');
      } catch {
        return bad(400, 'body must be JSON: {"advanceSeconds": N}');
      }
      const n = (body as { advanceSeconds?: unknown } | null)?.advanceSeconds;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
        return bad(400, 'advanceSeconds must be a number >= 0 (the clock only moves forward)');
      // A clock past what a Date holds would make every later answer fail: refused here, 4xx.
      if (!(await advanceClock(world, n * 1000, MAX_OFFSET_SECONDS * 1000)))
        return bad(
          400,
          `advanceSeconds may move the clock at most ${MAX_OFFSET_SECONDS} s in all (it is ${world.clock.offset / 1000} s ahead now)`,
        );
      return ok(clockView(world));
    }
    case 'GET /__mock/health':
      return ok({ ok: true, profile: world.profile.id, stats: await world.store.stats() });
    default:
      return bad(
        404,
        `no mock control route ${route}; known: GET credentials, POST reset, GET|POST clock, GET health`,
      );
  }
}

/** application/json, with or without parameters (charset). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function clockView(world: MockWorld) {
  return {
    now: new Date(world.clock.now()).toISOString(),
    offsetSeconds: world.clock.offset / 1000,
  };
}
