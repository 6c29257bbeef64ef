/**
 * Test support: a bundled mock for one profile driven in-process with requests the harness's
 * builder makes from the profile and the mock's own credentials file.
 */
import {
  createAuthMock,
  type AuthMock,
  type AuthMockOptions,
} from '../../mock-server/create-auth-mock.ts';
import type { MockResponse } from '../../mock-server/core/mock-types.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { buildRequest, type BuildOptions } from '../../src/request/build-request.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import type { Credentials } from '../../src/model/credentials.ts';
import type { Profile } from '../../src/model/profile.ts';
import {
  routeById,
  type ResolvedProfile,
  type ResolvedRoute,
} from '../../src/model/resolved-profile.ts';
import { schemaRegistry, type BodySchema } from '../../src/spec/schema-registry.ts';
import { jsonPointer } from '../../src/model/json-pointer.ts';
import { obtainTokens } from '../../src/engine/obtain-tokens.ts';
import type { Target } from '../../src/targets/target.ts';
import { ajvProblemText } from '../../src/spec/body-problems.ts';

export interface MockSession {
  mock: AuthMock;
  /** As the mock resolved it. */
  profile: ResolvedProfile;
  creds: Credentials;
  route(id: string): ResolvedRoute;
  nowSeconds(): number;
  send(req: OutgoingRequest): Promise<MockResponse>;
  /** The positive request for a route, with any login/session token it needs obtained first. */
  positive(routeId: string, opts?: Partial<BuildOptions>): Promise<OutgoingRequest>;
}

export async function mockSession(
  profileOrId: string | Profile,
  options: Omit<AuthMockOptions, 'profile'> = {},
): Promise<MockSession> {
  const mock = await createAuthMock({ ...options, profile: profileOrId });
  const profile = mock.world.profile;
  const creds = fixturesToCredentials(mock.world.fixtures, profile);
  const route = (id: string) => routeById(profile, id);
  const nowSeconds = () => Math.floor(mock.world.clock.now() / 1000);
  const send = (req: OutgoingRequest) => mock.handle(toMock(req));
  const session: MockSession = {
    mock,
    profile,
    creds,
    route,
    nowSeconds,
    send,
    async positive(routeId, opts = {}) {
      const r = route(routeId);
      const tokens = {
        ...(opts.tokens ?? {}),
        ...(await obtainTokensFor(session, r, opts.tokens ?? {})),
      };
      const refresh = refreshBody(session, r);
      return buildRequest(profile, creds, r, {
        nowSeconds: nowSeconds(),
        ...(refresh ? { body: await refresh } : {}),
        ...opts,
        tokens,
      });
    },
  };
  return session;
}

export function toMock(req: OutgoingRequest) {
  const q = req.pathWithQuery.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  return {
    method: req.method,
    path: q < 0 ? req.pathWithQuery : req.pathWithQuery.slice(0, q),
    pathWithQuery: req.pathWithQuery,
    headers,
    body: req.body === undefined ? new Uint8Array() : Buffer.from(req.body, 'utf8'),
  };
}

/** For a refresh route: log in first and send the refresh token it gave. */
function refreshBody(
  s: MockSession,
  route: ResolvedRoute,
): Promise<Record<string, unknown>> | undefined {
  const spec = Object.values(s.profile.tokens ?? {}).find(
    (t) => t.kind === 'jwt' && t.refresh?.route === route.id,
  );
  if (spec?.kind !== 'jwt' || !spec.issue) return undefined;
  return (async () => {
    const login = await s.send(
      await buildRequest(s.profile, s.creds, s.route(spec.issue!.route), {
        nowSeconds: s.nowSeconds(),
      }),
    );
    const token = jsonPointer(login.body, spec.issue!.refreshTokenAt ?? '/refreshToken');
    return { [spec.refresh!.field ?? 'refreshToken']: token };
  })();
}

/** The engine's own token logic, over this session's in-process send. */
function obtainTokensFor(
  s: MockSession,
  route: ResolvedRoute,
  have: Record<string, string>,
): Promise<Record<string, string>> {
  const target: Target = {
    description: 'mock session',
    baseUrl: 'http://127.0.0.1',
    send: async (req) => {
      const res = await s.send(req);
      const rawBody = res.body === undefined ? '' : JSON.stringify(res.body);
      return { status: res.status, headers: res.headers, body: res.body, rawBody };
    },
    nowSeconds: s.nowSeconds,
    close: async () => {},
  };
  return obtainTokens(s.profile, s.creds, target, route, have);
}

/** The engine's JSON Pointer reader, for tests that read answers the same way. */
export { jsonPointer as pointer };

/** '' when the body matches the schema (a reference, or a resolved error's derived one), else why not. */
export function schemaMismatch(schema: BodySchema, body: unknown): string {
  const v = schemaRegistry().validator(schema);
  return v(body) ? '' : ajvProblemText(v.errors ?? []);
}
