/**
 * The bundled mock through its msw handlers: requests go out through the global fetch, msw's
 * interceptor hands them to the same core the Hapi server uses. It is the path an SDK's unit
 * tests take, so the harness can certify it answers as the Hapi server does.
 */
import { setupServer, type SetupServer } from 'msw/node';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { handlersFor } from '../../mock-server/msw/auth-mock-handlers.ts';
import type { Fixtures } from '../model/fixtures.ts';
import type { Profile } from '../model/profile.ts';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { mockClockWindow, parseBody, type Target } from './target.ts';
import { TargetError } from './target-error.ts';

/**
 * One msw server for the process: msw patches the global fetch, and two servers listening at once
 * would each claim the other's requests (a run of several profiles failed that way). Each target
 * adds its handlers under an origin of its own, which no real request can reach: anything msw does
 * not answer fails loudly.
 */
let shared: { server: SetupServer; users: number } | undefined;
let targets = 0;

function joinSharedServer(): SetupServer {
  const s = (shared ??= { server: setupServer(), users: 0 });
  if (s.users++ === 0) s.server.listen({ onUnhandledRequest: 'error' });
  return s.server;
}

async function leaveSharedServer(): Promise<void> {
  if (!shared || --shared.users > 0) return;
  shared.server.close();
  shared = undefined;
}

export async function mswMockTarget(profile: Profile, fixtures?: Fixtures): Promise<Target> {
  const mock = await createAuthMock({ profile, ...(fixtures ? { fixtures } : {}) });
  const ORIGIN = `http://authconform-msw-${++targets}.invalid`;
  const server = joinSharedServer();
  server.use(...handlersFor(mock, ORIGIN));
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
    close: leaveSharedServer,
  };
}
