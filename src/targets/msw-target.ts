/**
 * The bundled mock through its msw handlers: requests go out through the global fetch, msw's
 * interceptor hands them to the same core the Hapi server uses. It is the path an SDK's unit
 * tests take, so the harness can certify it answers as the Hapi server does.
 */
import { setupServer } from 'msw/node';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { handlersFor } from '../../mock-server/msw/auth-mock-handlers.ts';
import type { Profile } from '../model/profile.ts';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { mockClockWindow, parseBody, TargetError, type Target } from './target.ts';

/** An origin no real request can reach: anything msw does not answer fails loudly. */
const ORIGIN = 'http://authconform-msw.invalid';

export async function mswMockTarget(profile: Profile): Promise<Target> {
  const mock = await createAuthMock({ profile });
  const server = setupServer(...handlersFor(mock, ORIGIN));
  server.listen({ onUnhandledRequest: 'error' });
  return {
    description: `bundled mock (msw handlers), profile ${profile.id}`,
    baseUrl: ORIGIN,
    async send(req: OutgoingRequest): Promise<ReceivedResponse> {
      let res: Response;
      try {
        res = await fetch(ORIGIN + req.pathWithQuery, {
          method: req.method,
          headers: req.headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
        });
      } catch (e) {
        throw new TargetError(
          `${req.method} ${req.pathWithQuery} through msw: ${(e as Error).message}`,
        );
      }
      const rawBody = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
      return { status: res.status, headers, body: parseBody(rawBody), rawBody };
    },
    nowSeconds: () => Math.floor(mock.world.clock.now() / 1000),
    clockWindow: () => mockClockWindow(mock.world.clock.now()),
    reset: () => mock.reset(),
    advanceClock: async (seconds) => mock.world.clock.advance(seconds * 1000),
    close: async () => server.close(),
  };
}
