/**
 * msw handlers over the same core as the Hapi server, for an SDK's unit tests:
 *
 *   const { handlers } = await authMockHandlers({ profile: 'luxcore', baseUrl: 'https://api.luxcore.test' });
 *   const server = setupServer(...handlers); server.listen();
 *
 * Every request under baseUrl goes to the mock's core (and /__mock/ control routes work too).
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { createAuthMock, type AuthMock, type AuthMockOptions } from '../create-auth-mock.ts';
import type { MockRequest } from '../core/mock-types.ts';

/** The mock's options, and the origin its handlers answer under. */
export interface AuthMockHandlersOptions extends AuthMockOptions {
  /** Origin the SDK calls, e.g. https://api.example.test (no trailing slash). */
  baseUrl: string;
}

/**
 * A mock of `options.profile` and msw handlers that answer every request under `options.baseUrl`
 * from it, as the Hapi server would (and the `/__mock/` control routes). The mock is returned for
 * `reset()` between tests. Throws what `createAuthMock` throws.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { authMockHandlers } from 'authconform/msw';
 *
 * const { handlers, mock } = await authMockHandlers({
 *   profile: 'luxcore',
 *   baseUrl: 'https://api.luxcore.test',
 * });
 * const server = setupServer(...handlers);
 * server.listen(); // your SDK's calls to https://api.luxcore.test now reach the mock
 * await mock.reset(); // between tests: the fixtures again, and the real time
 * ```
 */
export async function authMockHandlers(
  options: AuthMockHandlersOptions,
): Promise<{ handlers: HttpHandler[]; mock: AuthMock }> {
  const mock = await createAuthMock(options);
  return { handlers: handlersFor(mock, options.baseUrl), mock };
}

/**
 * Handlers that answer every request under `baseUrl` from an already created mock: one world
 * shared between msw and the Hapi server, or between two origins. Throws nothing.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createAuthMock, handlersFor } from 'authconform/msw';
 *
 * const mock = await createAuthMock({ profile: 'vaulera' });
 * const server = setupServer(
 *   ...handlersFor(mock, 'https://api.vaulera.test'),
 *   ...handlersFor(mock, 'https://eu.api.vaulera.test'), // the same keys, nonces and clock
 * );
 * server.listen();
 * ```
 */
export function handlersFor(mock: AuthMock, baseUrl: string): HttpHandler[] {
  const origin = baseUrl.replace(/\/+$/, '');
  // A RegExp, not a path pattern: msw's path matching decodes the path and would throw on a
  // malformed percent-encoding before the core could answer it with the profile's 404.
  const underOrigin = new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`);
  return [
    http.all(underOrigin, async ({ request }) => {
      const answer = await mock.handle(await toMockRequest(request));
      return new HttpResponse(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: answer.headers,
      });
    }),
  ];
}

async function toMockRequest(request: Request): Promise<MockRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  // A fetch Request carries no Host header: the URL's authority is the one its signature covers.
  headers['host'] ??= url.host;
  return {
    method: request.method.toUpperCase(),
    path: url.pathname,
    pathWithQuery: url.pathname + url.search,
    headers,
    body: new Uint8Array(await request.arrayBuffer()),
  };
}
