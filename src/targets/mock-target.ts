/**
 * The bundled mock as a target: in-process through Hapi's inject (no socket, the fast default),
 * with the mock's own clock and a reset to the fixtures between properties.
 */
import { createAuthMock, type AuthMock } from '../../mock-server/create-auth-mock.ts';
import { mockHapiServer } from '../../mock-server/hapi/hapi-server.ts';
import type { Profile } from '../model/profile.ts';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { mockClockWindow, parseBody, type Target } from './target.ts';

/** Where a curl replay of the in-process mock goes: `authconform mock`'s default address. */
const IN_PROCESS_BASE_URL = 'http://127.0.0.1:4010';

export async function inProcessMockTarget(
  profile: Profile,
  mock?: AuthMock,
): Promise<Target & { mock: AuthMock }> {
  const m = mock ?? (await createAuthMock({ profile }));
  const server = mockHapiServer(m);
  await server.initialize();
  return {
    mock: m,
    description: `bundled mock (in-process), profile ${profile.id}`,
    baseUrl: IN_PROCESS_BASE_URL,
    async send(req: OutgoingRequest): Promise<ReceivedResponse> {
      const res = await server.inject({
        method: req.method,
        url: req.pathWithQuery,
        // Hapi's inject names no host of its own; a scheme that signs the Host sees the target's.
        headers: { host: new URL(IN_PROCESS_BASE_URL).host, ...req.headers },
        ...(req.body !== undefined ? { payload: req.body } : {}),
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      return {
        status: res.statusCode,
        headers,
        body: parseBody(res.payload),
        rawBody: res.payload,
      };
    },
    nowSeconds: () => Math.floor(m.world.clock.now() / 1000),
    clockWindow: () => mockClockWindow(m.world.clock.now()),
    reset: () => m.reset(),
    advanceClock: async (seconds) => m.world.clock.advance(seconds * 1000),
    close: () => server.stop(),
  };
}
