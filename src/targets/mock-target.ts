/**
 * The bundled mock as a target: in-process, straight into the mock's core (no socket, no HTTP
 * framework: the fast default), with the mock's own clock and a reset to the fixtures between
 * properties. The core is what the Hapi server and the msw handlers adapt (each a thin adapter,
 * proven to answer alike by test/mock-server/hapi-msw-parity.test.ts): this target is one more
 * such adapter. It was Hapi's inject, whose request validation and lifecycle cost more CPU per
 * request than the auth core itself.
 */
import { createAuthMock, type AuthMock } from '../../mock-server/create-auth-mock.ts';
import type { MockRequest } from '../../mock-server/core/mock-types.ts';
import type { Profile } from '../model/profile.ts';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { mockClockWindow, parseBody, type Target } from './target.ts';

/** Where a curl replay of the in-process mock goes: `authconform mock`'s default address. */
const IN_PROCESS_BASE_URL = 'http://127.0.0.1:4010';
const IN_PROCESS_HOST = new URL(IN_PROCESS_BASE_URL).host;

export async function inProcessMockTarget(
  profile: Profile,
  mock?: AuthMock,
): Promise<Target & { mock: AuthMock }> {
  const m = mock ?? (await createAuthMock({ profile }));
  return {
    mock: m,
    description: `bundled mock (in-process), profile ${profile.id}`,
    baseUrl: IN_PROCESS_BASE_URL,
    async send(req: OutgoingRequest): Promise<ReceivedResponse> {
      const answer = await m.handle(toMockRequest(req));
      // As a server writes it: the body serialized, none for HEAD; header names lower-cased.
      const rawBody =
        answer.body === undefined || req.method.toUpperCase() === 'HEAD'
          ? ''
          : JSON.stringify(answer.body);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers)) headers[k.toLowerCase()] = v;
      return { status: answer.status, headers, body: parseBody(rawBody), rawBody };
    },
    nowSeconds: () => Math.floor(m.world.clock.now() / 1000),
    clockWindow: () => mockClockWindow(m.world.clock.now()),
    reset: () => m.reset(),
    advanceClock: async (seconds) => m.world.clock.advance(seconds * 1000),
    close: async () => {},
  };
}

/**
 * The request as the Hapi adapter hands an injected one to the core: names lower-cased (a later
 * spelling of a name replaces an earlier one), the mock's Host unless the request names one, the
 * body's Content-Length.
 */
function toMockRequest(req: OutgoingRequest): MockRequest {
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string> = { host: IN_PROCESS_HOST };
  if (body !== undefined) headers['content-length'] = String(body.length);
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  const q = req.pathWithQuery.indexOf('?');
  return {
    method: req.method.toUpperCase(),
    path: q < 0 ? req.pathWithQuery : req.pathWithQuery.slice(0, q),
    pathWithQuery: req.pathWithQuery,
    headers,
    body: body ?? new Uint8Array(0),
    remoteAddress: '127.0.0.1',
  };
}
