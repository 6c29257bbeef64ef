/**
 * The token routes a profile names: login (a JWT and a refresh token for a user's e-mail and
 * password), a client-credentials grant (a JWT for an OAuth client: issue-client-token.ts), refresh (a new JWT for an unspent refresh token, rotating it when the profile says
 * so), and session tokens (opaque, short-lived, with one scope of the profile's list).
 */
import { timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';
import type { JwtToken, Route, SessionToken } from '../../src/model/profile.ts';
import type { FixtureUser } from '../../src/model/fixtures.ts';
import type { MockRequest } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';
import type { Caller } from './authenticate.ts';
import { Denial } from './deny.ts';
import { drawToken } from './draw-key.ts';
import { clientGrant } from './issue-client-token.ts';
import { hmacJwtKey, jwtPrivateKey, scopeClaimValue } from '../../src/request/mint-jwt.ts';

export interface Issued {
  token: string;
  refreshToken?: string;
  expiresAt: number;
  user?: FixtureUser;
}

export type TokenRole =
  | { kind: 'login' | 'refresh' | 'client'; tokenId: string; spec: JwtToken }
  | { kind: 'session'; tokenId: string; spec: SessionToken };

export function tokenRoleOf(world: MockWorld, route: Route): TokenRole | undefined {
  for (const [tokenId, spec] of Object.entries(world.profile.tokens ?? {})) {
    if (spec.kind === 'jwt' && spec.issue?.route === route.id)
      return {
        kind: spec.issue.grant === 'client_credentials' ? 'client' : 'login',
        tokenId,
        spec,
      };
    if (spec.kind === 'jwt' && spec.refresh?.route === route.id)
      return { kind: 'refresh', tokenId, spec };
    if (spec.kind === 'session_token' && spec.issue?.route === route.id)
      return { kind: 'session', tokenId, spec };
  }
  return undefined;
}

export async function issueTokens(
  world: MockWorld,
  role: TokenRole,
  req: MockRequest,
  body: Record<string, unknown>,
  caller: Caller,
): Promise<Issued> {
  const now = world.clock.now();
  if (role.kind === 'session') {
    const field = role.spec.issue?.scopeField ?? 'scope';
    const scope = body[field];
    if (typeof scope !== 'string' || !role.spec.scopes.includes(scope))
      throw new Denial('malformed_request');
    if (!caller.key) throw new Denial('missing_credential');
    const token = drawToken();
    const expiresAt = now + role.spec.lifetimeSeconds * 1000;
    await world.store.putToken({
      kind: 'session',
      token,
      subject: caller.key.id,
      scopes: [scope],
      expiresAt,
      keepUntil: expiresAt + role.spec.lifetimeSeconds * 1000,
    });
    return { token, expiresAt };
  }
  if (role.kind === 'client') {
    const { client, scopes } = clientGrant(world, role.spec, req, body);
    const expiresAt = now + role.spec.lifetimeSeconds * 1000;
    const subject = { ...client, scopes };
    return {
      token: await signJwt(world, role.tokenId, role.spec, subject, now, expiresAt),
      expiresAt,
    };
  }
  let user: FixtureUser | undefined;
  if (role.kind === 'login') {
    const { email, password } = body;
    if (typeof email !== 'string' || typeof password !== 'string')
      throw new Denial('invalid_login');
    user = world.fixtures.users?.find((u) => u.email.toLowerCase() === email.toLowerCase());
    if (!user || !samePassword(user.password, password)) throw new Denial('invalid_login');
  } else {
    const field = role.spec.refresh?.field ?? 'refreshToken';
    const presented = body[field];
    // Rotating refresh tokens are spent in the same step they are read: two concurrent refreshes
    // with one token cannot both succeed.
    const rotates = role.spec.refresh?.rotates === true;
    const stored =
      typeof presented !== 'string'
        ? undefined
        : rotates
          ? await world.store.spendToken(presented)
          : await world.store.getToken(presented);
    if (!stored || stored.kind !== 'refresh' || stored.spent || now >= stored.expiresAt)
      throw new Denial('invalid_login');
    user = world.fixtures.users?.find((u) => u.id === stored.subject);
    if (!user) throw new Denial('invalid_login');
  }
  // A tenant header (when the profile has one) must be the user's tenant.
  const tenantHeader = world.profile.bindings?.tenant;
  if (
    tenantHeader?.from === 'header' &&
    user.tenant !== undefined &&
    req.headers[tenantHeader.name!.toLowerCase()] !== user.tenant
  ) {
    throw new Denial('invalid_login');
  }
  const expiresAt = now + role.spec.lifetimeSeconds * 1000;
  const token = await signJwt(world, role.tokenId, role.spec, user, now, expiresAt);
  const out: Issued = { token, expiresAt, user };
  if (role.spec.refresh && (role.kind === 'login' || role.spec.refresh.rotates)) {
    out.refreshToken = drawToken();
    const refreshExpires = now + role.spec.refresh.lifetimeSeconds * 1000;
    await world.store.putToken({
      kind: 'refresh',
      token: out.refreshToken,
      subject: user.id,
      expiresAt: refreshExpires,
      keepUntil: refreshExpires,
    });
  }
  return out;
}

async function signJwt(
  world: MockWorld,
  tokenId: string,
  spec: JwtToken,
  user: TokenSubject,
  now: number,
  expiresAt: number,
): Promise<string> {
  const key = world.fixtures.jwtKeys?.find((k) => k.token === tokenId);
  if (!key) throw new Error(`fixtures have no jwtKeys entry for token "${tokenId}"`);
  const claims: Record<string, unknown> = {};
  for (const [claim, meaning] of Object.entries(spec.claims ?? {})) {
    const v =
      meaning === 'user'
        ? user.id
        : meaning === 'scopes'
          ? user.scopes && scopeClaimValue(user.scopes, spec.scopeFormat)
          : user[meaning];
    if (v !== undefined) claims[claim] = v;
  }
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
    .setSubject(user.id)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(expiresAt / 1000));
  if (spec.issuer !== undefined) jwt = jwt.setIssuer(spec.issuer);
  if (spec.audience !== undefined) jwt = jwt.setAudience(spec.audience);
  const signingKey = key.alg.startsWith('HS')
    ? await hmacJwtKey(key.secret ?? '', key.alg)
    : await jwtPrivateKey(key.privateKeyPem ?? '', key.alg);
  return jwt.sign(signingKey);
}

/** Whom a token speaks for: a user who logged in, or a client of a client-credentials grant. */
type TokenSubject = Omit<FixtureUser, 'email' | 'password'>;

function samePassword(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
