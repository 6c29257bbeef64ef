/**
 * Which of a route's credential alternatives the request carries, and whether each credential is
 * well-formed, known, active, unexpired and (after rotation) not retired. Produces the caller:
 * the key, the JWT claims, or the session token it presented.
 */
import type { JWTPayload } from 'jose';
import type { BindingKind, Credential, Route } from '../../src/model/profile.ts';
import type { FixtureUser } from '../../src/model/fixtures.ts';
import type { IssuedToken, KeyMatch, KeyRecord } from '../state/state-store.ts';
import type { MockRequest } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';
import { Denial } from './deny.ts';
import { readCredential } from './read-credentials.ts';
import { scopesOfClaim, type JwtVerifier } from './verify-jwt.ts';
import { anchored } from '../../src/model/anchored-pattern.ts';

export interface Caller {
  /** Credential ids presented, in the route's order. */
  credentials: string[];
  key?: KeyRecord;
  keyCredential?: string;
  jwt?: {
    credential: string;
    claims: JWTPayload;
    bindings: Partial<Record<BindingKind, string>>;
    user?: FixtureUser;
    /** The scopes the token's claim of meaning `scopes` holds, where the profile names one. */
    scopes?: string[];
  };
  session?: { credential: string; token: IssuedToken };
}

export async function authenticate(
  world: MockWorld,
  verifier: JwtVerifier,
  route: Route,
  req: MockRequest,
  body: unknown,
): Promise<Caller> {
  if (route.auth === 'public') return { credentials: [] };
  const alternatives = route.auth.map((alt) => (Array.isArray(alt) ? alt : [alt]));
  const present = (id: string) => readCredential(world.profile.credentials[id]!, req, body);
  const chosen = alternatives.find((alt) => alt.every((id) => present(id) !== undefined));
  if (!chosen) {
    // Name the first missing credential of the alternative the caller came closest to.
    const best = [...alternatives].sort(
      (a, b) => countPresent(b, present) - countPresent(a, present),
    )[0]!;
    const missing = best.find((id) => present(id) === undefined)!;
    throw new Denial('missing_credential', { credential: missing });
  }
  const caller: Caller = { credentials: chosen };
  for (const id of chosen) {
    const cred = world.profile.credentials[id]!;
    const value = present(id)!;
    if (cred.kind === 'api_key' || cred.kind === 'basic') {
      caller.key =
        cred.kind === 'basic'
          ? await authenticateBasic(world, id, value)
          : await authenticateKey(world, id, cred, value);
      caller.keyCredential = id;
    } else if (cred.kind === 'jwt') {
      caller.jwt = await authenticateJwt(world, verifier, id, cred, value);
    } else {
      caller.session = { credential: id, token: await authenticateSession(world, id, value) };
    }
  }
  return caller;
}

function countPresent(alt: string[], present: (id: string) => string | undefined): number {
  return alt.filter((id) => present(id) !== undefined).length;
}

async function authenticateKey(
  world: MockWorld,
  id: string,
  cred: Credential,
  value: string,
): Promise<KeyRecord> {
  const formats = Object.entries(world.profile.keyFormats ?? {}).filter(
    ([f]) => !cred.formats || cred.formats.includes(f),
  );
  if (!formats.some(([, f]) => anchored(f.pattern).test(value))) {
    throw new Denial('malformed_credential', { credential: id });
  }
  return activeKey(world, id, await world.store.findKeyByValue(value));
}

/**
 * HTTP Basic (RFC 7617 §2): base64 of `id:secret`, the id a key's and the secret its value.
 * Text that is not base64 or has no colon is malformed; an id and secret of no one key is
 * unknown, whichever of the two is wrong.
 */
async function authenticateBasic(world: MockWorld, id: string, value: string): Promise<KeyRecord> {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0)
    throw new Denial('malformed_credential', { credential: id });
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new Denial('malformed_credential', { credential: id });
  const match = await world.store.findKeyByValue(decoded.slice(colon + 1));
  if (match?.key.id !== decoded.slice(0, colon))
    throw new Denial('unknown_credential', { credential: id });
  return activeKey(world, id, match);
}

/** The key matched, unless it is unknown, deleted, revoked, retired by rotation or expired. */
function activeKey(world: MockWorld, id: string, match: KeyMatch | undefined): KeyRecord {
  if (!match || match.key.status === 'deleted')
    throw new Denial('unknown_credential', { credential: id });
  const { key } = match;
  const now = world.clock.now();
  if (key.status === 'revoked') throw new Denial('revoked_credential', { credential: id });
  if (match.previousRetiresAt !== undefined && now >= match.previousRetiresAt) {
    throw new Denial('revoked_credential', { credential: id });
  }
  if (key.expiresAt !== undefined && now >= key.expiresAt)
    throw new Denial('expired_credential', { credential: id });
  return key;
}

async function authenticateJwt(
  world: MockWorld,
  verifier: JwtVerifier,
  id: string,
  cred: Credential,
  value: string,
): Promise<NonNullable<Caller['jwt']>> {
  const tokenId = cred.token!;
  const spec = world.profile.tokens?.[tokenId];
  if (spec?.kind !== 'jwt') throw new Denial('token_invalid', { credential: id });
  const claims = await verifier.verify(tokenId, spec, value, id);
  const bindings: Partial<Record<BindingKind, string>> = {};
  let userId: string | undefined;
  for (const [claim, meaning] of Object.entries(spec.claims ?? {})) {
    const v = claims[claim];
    if (typeof v !== 'string') continue;
    if (meaning === 'user') userId = v;
    else if (
      meaning === 'tenant' ||
      meaning === 'merchant' ||
      meaning === 'store' ||
      meaning === 'organization'
    )
      bindings[meaning] = v;
  }
  const user = world.fixtures.users?.find((u) => u.id === (userId ?? claims.sub));
  const scopeClaim = Object.entries(spec.claims ?? {}).find(([, m]) => m === 'scopes')?.[0];
  return {
    credential: id,
    claims,
    bindings,
    ...(user ? { user } : {}),
    ...(scopeClaim !== undefined
      ? { scopes: scopesOfClaim(claims[scopeClaim], spec.scopeFormat) }
      : {}),
  };
}

async function authenticateSession(
  world: MockWorld,
  id: string,
  value: string,
): Promise<IssuedToken> {
  const token = await world.store.getToken(value);
  if (!token || token.kind !== 'session')
    throw new Denial('unknown_credential', { credential: id });
  if (world.clock.now() >= token.expiresAt) throw new Denial('token_expired', { credential: id });
  const issuer = await world.store.getKey(token.subject);
  if (!issuer || issuer.status !== 'active')
    throw new Denial('revoked_credential', { credential: id });
  return token;
}
