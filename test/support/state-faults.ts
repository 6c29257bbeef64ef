/**
 * Broken servers for the requirements that need state or the target's own tokens: key lifecycle,
 * rate windows, token refresh, session tokens and scope wildcards. Each is the bundled mock with
 * one real-world mistake put in: a changed profile or fixtures copy, or a request answered (or
 * state changed) before the mock sees it. Test code only.
 */
import { createAuthMock, type AuthMock } from '../../mock-server/create-auth-mock.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';
import type { Profile } from '../../src/model/profile.ts';
import type { Fixtures } from '../../src/model/fixtures.ts';
import type { OutgoingRequest, ReceivedResponse } from '../../src/request/outgoing-request.ts';

export interface StateFault {
  name: string;
  profile: string;
  models: string;
  caughtBy: string;
  mutateProfile?: (p: Profile) => void;
  mutateFixtures?: (f: Fixtures) => void;
  /** Answers instead of the mock, or lets it answer (undefined). */
  intercept?: (
    req: OutgoingRequest,
    mock: AuthMock,
  ) => Promise<ReceivedResponse | undefined> | ReceivedResponse | undefined;
}

const keyIdIn = (req: OutgoingRequest, verb: string) =>
  req.pathWithQuery.match(new RegExp(`/api-keys/([^/?]+)${verb}`))?.[1];

export const STATE_FAULTS: StateFault[] = [
  {
    name: 'old secret valid forever after rotation',
    profile: 'gateway',
    models: 'rotation keeps the previous secret in an allow-list that nothing ever prunes',
    caughtBy: 'key-lifecycle-model',
    mutateProfile: (p) => (p.lifecycle!.rotationGraceSeconds = 10 * 365 * 86400),
  },
  {
    name: 'revoked key reactivated by rotation',
    profile: 'gateway',
    models:
      'rotate sets status = active along with the new secret, without checking the old status',
    caughtBy: 'key-lifecycle-model',
    intercept: async (req, mock) => {
      const id = keyIdIn(req, '/rotate');
      const key = id ? await mock.world.store.getKey(id) : undefined;
      if (key?.status === 'revoked') await mock.world.store.putKey({ ...key, status: 'active' });
      return undefined;
    },
  },
  {
    name: 'list endpoint showing full keys',
    profile: 'vaulera',
    models: 'the list serializer reuses the create response shape',
    caughtBy: 'key-lifecycle-model',
    mutateProfile: (p) => {
      const list = p.routes.find((r) => r.id === p.lifecycle!.list!.route)!;
      list.success.example = JSON.parse(
        JSON.stringify(list.success.example).replaceAll('${key.masked}', '${key.value}'),
      );
    },
  },
  {
    name: 'deleted key still accepted',
    profile: 'gateway',
    models: 'delete answers 204 but only hides the key from the dashboard',
    caughtBy: 'key-lifecycle-model',
    intercept: (req) =>
      req.method === 'DELETE' && keyIdIn(req, '$')
        ? { status: 204, headers: {}, body: undefined, rawBody: '' }
        : undefined,
  },
  {
    name: 'revocation not applied by the key store',
    profile: 'auxvault',
    models: 'revoke answers success but writes to a replica the authorizer never reads',
    caughtBy: 'key-lifecycle-model',
    intercept: async (req, mock) => {
      const id = req.method === 'DELETE' ? keyIdIn(req, '$') : undefined;
      const key = id ? await mock.world.store.getKey(id) : undefined;
      if (!key) return undefined;
      const body = {
        success: true,
        data: { id, status: 'revoked', revokedAt: new Date().toISOString() },
      };
      return { status: 200, headers: {}, body, rawBody: JSON.stringify(body) };
    },
  },
  {
    name: 'rate limit per IP instead of per key',
    profile: 'luxcore',
    models: 'a reverse-proxy limiter keyed on the client address',
    caughtBy: 'rate-window-per-key',
    mutateProfile: (p) => {
      for (const l of Object.values(p.rateLimits ?? {})) l.per = 'ip';
    },
  },
  {
    name: 'rate limit per IP instead of per key',
    profile: 'gateway',
    models: 'a reverse-proxy limiter keyed on the client address',
    caughtBy: 'rate-window-per-key',
    mutateProfile: (p) => {
      for (const l of Object.values(p.rateLimits ?? {})) l.per = 'ip';
    },
  },
  {
    name: 'rotating refresh token reusable',
    profile: 'auxvault',
    models: 'refresh tokens looked up but never marked used, so a stolen one works forever',
    caughtBy: 'token-refresh-model',
    mutateProfile: (p) =>
      ((p.tokens!['access'] as { refresh: { rotates?: boolean } }).refresh.rotates = false),
  },
  {
    name: 'access token expiry never checked',
    profile: 'auxvault',
    models: 'jwt.verify with ignoreExpiration: true left in from debugging',
    caughtBy: 'token-refresh-model',
    mutateProfile: (p) => ((p.tokens!['access'] as { leewaySeconds: number }).leewaySeconds = 1e9),
  },
  {
    name: 'refresh token never expires',
    profile: 'auxvault',
    models: 'refresh tokens stored without an expiry column',
    caughtBy: 'token-refresh-model',
    mutateProfile: (p) =>
      ((p.tokens!['access'] as { refresh: { lifetimeSeconds: number } }).refresh.lifetimeSeconds =
        1e10),
  },
  {
    name: 'session token scope unchecked',
    profile: 'vaulera',
    models: 'embedded routes check that a session token exists, not what it was created for',
    caughtBy: 'session-token-scope-denied',
    mutateProfile: (p) => {
      for (const r of p.routes)
        if (r.auth !== 'public' && r.auth.includes('sessionToken')) delete r.scope;
    },
  },
  {
    name: 'session token never expires',
    profile: 'vaulera',
    models: 'session tokens kept in a map with no TTL',
    caughtBy: 'session-token-expired',
    mutateProfile: (p) =>
      ((p.tokens!['session'] as { lifetimeSeconds: number }).lifetimeSeconds = 1e9),
  },
  {
    name: 'resource:* granting other resources',
    profile: 'gateway',
    models: 'a scope check that grants everything once it sees a "*" in any held scope',
    caughtBy: 'scope-wildcard-bounded',
    mutateFixtures: (f) => {
      const valid = f.keys.find((k) => k.id === f.roles.keys?.valid)!;
      const wildcard = f.keys.find((k) => k.id === f.roles.keys?.['wildcard'])!;
      wildcard.scopes = [...(valid.scopes ?? [])];
    },
  },
  {
    name: 'wildcard scope treated as unknown',
    profile: 'gateway',
    models: 'scopes compared by exact string, so invoice:* matches no route (a false denial)',
    caughtBy: 'scope-wildcard-granted',
    mutateProfile: (p) => delete p.scopes!.wildcard,
  },
];

export async function stateFaultTarget(f: StateFault) {
  const { profile } = resolveProfile(f.profile);
  const fixtures = builtInFixtures(profile);
  const creds = fixturesToCredentials(fixtures, profile);
  const broken = structuredClone(profile);
  f.mutateProfile?.(broken);
  const brokenFixtures = structuredClone(fixtures);
  f.mutateFixtures?.(brokenFixtures);
  const mock = await createAuthMock({ profile: broken, fixtures: brokenFixtures });
  const inner = await inProcessMockTarget(broken, mock);
  const target: Target = f.intercept
    ? {
        ...inner,
        async send(req) {
          return (await f.intercept!(req, mock)) ?? inner.send(req);
        },
      }
    : inner;
  return { target, profile, creds };
}
