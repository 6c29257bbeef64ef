/**
 * Which of a route's credential alternatives the request carries, and whether each credential is
 * well-formed, known, active, unexpired and (after rotation) not retired. Produces the caller:
 * the key, the JWT claims, or the session token it presented.
 */
import type { JWTPayload } from 'jose';
import type { BindingKind } from '../../src/model/profile.ts';
import type { ResolvedCredential, ResolvedRoute } from '../../src/model/resolved-profile.ts';
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
  route: ResolvedRoute,
  req: MockRequest,
  body: unknown,
): Promise<Caller> {
  const { alternatives } = route;
  if (alternatives.length === 0) return { credentials: [] };
  // The first alternative whose every credential is there, read once each (per request: loops,
  // no closures).
  let chosen: ResolvedCredential[] | undefined;
  let values: string[] = [];
  for (const alt of alternatives) {
    values = [];
    for (const c of alt) {
      const v = readCredential(c, req, body);
      if (v === undefined) break;
      values.push(v);
    }
    if (values.length === alt.length) {
      chosen = alt;
      break;
    }
  }
  if (!chosen) {
    // Name the first missing credential of the alternative the caller came closest to.
    const present = (cred: ResolvedCredential) => readCredential(cred, req, body);
    const best = [...alternatives].sort(
      (a, b) => countPresent(b, present) - countPresent(a, present),
    )[0]!;
    const missing = best.find((c) => present(c) === undefined)!;
    throw new Denial('missing_credential', { credential: missing.id });
  }
  const caller: Caller = { credentials: chosen.map((c) => c.id) };
  for (let i = 0; i < chosen.length; i++) {
    const cred = chosen[i]!;
    const { id } = cred;
    const value = values[i]!;
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

function countPresent(
  alt: ResolvedCredential[],
  present: (cred: ResolvedCredential) => string | undefined,
): number {
  return alt.filter((c) => present(c) !== undefined).length;
}

async function authenticateKey(
  world: MockWorld,
  id: string,
  cred: ResolvedCredential,
  value: string,
): Promise<KeyRecord> {
  // A credential that names no formats takes a key of any.
  const formats =
    cred.formats === undefined ? Object.values(world.profile.keyFormats ?? {}) : cred.keyFormats;
  if (!anyFormatTakes(formats, value)) throw new Denial('malformed_credential', { credential: id });
  return activeKey(world, id, await world.store.findKeyByValue(value));
}

function anyFormatTakes(formats: readonly { pattern: string }[], value: string): boolean {
  for (const f of formats) if (anchored(f.pattern).test(value)) return true;
  return false;
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
  cred: ResolvedCredential,
  value: string,
): Promise<NonNullable<Caller['jwt']>> {
  const spec = cred.tokenSpec;
  if (spec?.kind !== 'jwt') throw new Denial('token_invalid', { credential: id });
  const claims = await verifier.verify(spec.id, spec, value, id);
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
