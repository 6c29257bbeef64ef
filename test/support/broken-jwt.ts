/**
 * Broken JWT verifiers: the faults of one bearer-JWT family each, as the corpus models them (the
 * mock with one mistake). Helpers for the built-in profiles' entries in broken-corpus.ts, and
 * the corpus of the Larkspur example (examples/jwt-api: ES256 with a JWK Set and kid, scopes in
 * the `scope` claim), whose profile has no built-in fixtures: its mock serves a generated world.
 */
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { JwtToken, Profile } from '../../src/model/profile.ts';
import { mintJwt } from '../../src/request/mint-jwt.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import {
  acceptAnyJwt,
  bearerOf,
  denialOf,
  header,
  setHeader,
  type BrokenContext,
  type BrokenServer,
} from './broken-targets.ts';

export const LARKSPUR_PROFILE = join(import.meta.dirname, '../../examples/jwt-api/profile.yaml');

const nowSeconds = (ctx: BrokenContext) => Math.floor(ctx.clock.now() / 1000);

function jwtSpec(p: Profile): JwtToken {
  return Object.values(p.tokens ?? {}).find((t): t is JwtToken => t.kind === 'jwt')!;
}

/** The route a request reaches, by method and path template. */
function routeOf(profile: Profile, req: OutgoingRequest) {
  const path = req.pathWithQuery.split('?')[0]!;
  return profile.routes.find(
    (r) =>
      r.method === req.method &&
      new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
}

/**
 * A request to a JWT route that carries no token, given one for the fixtures' first user: what an
 * optional JWT middleware (express-jwt `credentialsRequired: false`) with a default user does.
 */
export async function anonymousAsDefaultUser(
  req: OutgoingRequest,
  ctx: BrokenContext,
): Promise<OutgoingRequest> {
  if (header(req, 'authorization') !== undefined) return req;
  const route = routeOf(ctx.profile, req);
  if (!route || route.auth === 'public') return req;
  const ids = route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
  const jwtId = ids.find((id) => ctx.profile.credentials[id]!.kind === 'jwt');
  if (jwtId === undefined) return req;
  const spec = ctx.profile.tokens![ctx.profile.credentials[jwtId]!.token!] as JwtToken;
  const user = ctx.fixtures.users?.[0];
  if (!user) return req;
  const claims: Record<string, unknown> = {};
  for (const [claim, meaning] of Object.entries(spec.claims ?? {})) {
    const v = meaning === 'user' ? user.id : meaning === 'scopes' ? undefined : user[meaning];
    if (v !== undefined) claims[claim] = v;
  }
  const token = await mintJwt(ctx.creds.jwt!, {
    nowSeconds: nowSeconds(ctx),
    lifetimeSeconds: 600,
    claims,
  });
  return setHeader(req, 'Authorization', `Bearer ${token}`);
}

/** nbf compared by hand with the leeway counted twice: a token up to 2L early is accepted. */
export const nbfLeewayDoubled = (req: OutgoingRequest, ctx: BrokenContext) =>
  acceptAnyJwt(
    req,
    ctx,
    (_alg, c) =>
      typeof c.nbf === 'number' &&
      c.nbf <= nowSeconds(ctx) + 2 * jwtSpec(ctx.profile).leewaySeconds,
  );

/** nbf compared by hand without the leeway: a token valid in 1 s is refused. */
export function nbfWithoutLeeway(req: OutgoingRequest, ctx: BrokenContext) {
  const token = bearerOf(req);
  if (token === undefined) return req;
  try {
    const { nbf } = decodeJwt(token);
    if (typeof nbf === 'number' && nbf > nowSeconds(ctx))
      return denialOf(ctx, 'token_invalid', { credential: credentialOfJwt(ctx.profile) });
  } catch {
    // not a JWT: the verifier refuses it anyway
  }
  return req;
}

function credentialOfJwt(p: Profile): string {
  return Object.entries(p.credentials).find(([, c]) => c.kind === 'jwt')![0];
}

/** The JWK Set's first key whatever the kid says: a token naming an unknown kid still verifies. */
export function kidIgnored(req: OutgoingRequest, ctx: BrokenContext) {
  const kids = new Set((ctx.fixtures.jwtKeys ?? []).map((k) => k.kid));
  const token = bearerOf(req);
  if (token === undefined) return req;
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return req;
  }
  return kid !== undefined && !kids.has(kid) ? acceptAnyJwt(req, ctx, () => true) : req;
}

const larkspur = (b: Omit<BrokenServer, 'profile' | 'fixtures'>): BrokenServer => ({
  ...b,
  profile: LARKSPUR_PROFILE,
  fixtures: (p) => generateFixtures(p),
});

/** Single-fault bearer-JWT servers of the Larkspur example profile. */
export const LARKSPUR_CORPUS: BrokenServer[] = [
  larkspur({
    name: 'anonymous caller let through',
    models: 'express-jwt with credentialsRequired: false and a default user when no token is sent',
    caughtBy: ['jwt-missing'],
    rewrite: (req, _creds, ctx) => anonymousAsDefaultUser(req, ctx),
  }),
  larkspur({
    name: 'scope claim never checked',
    models: 'the token verified, but no route compares its scope claim with the scope it needs',
    caughtBy: ['jwt-scope-denied'],
    mutateProfile: (p) => p.routes.forEach((r) => delete r.scope),
  }),
  larkspur({
    name: 'scope claim read as an array',
    models:
      'Array.isArray(claims.scope) ? claims.scope : [] where the profile sends RFC 9068 space-separated scopes',
    caughtBy: ['jwt-scope-granted'],
    mutateProfile: (p) => (jwtSpec(p).scopeFormat = 'array'),
  }),
  larkspur({
    name: 'hash taken from the token header',
    models:
      "a hand-rolled ECDSA check, crypto.verify('sha' + header.alg.slice(2), ...) with the one public key: ES384 over the P-256 key verifies",
    caughtBy: ['jwt-other-algorithm-size'],
    rewrite: (req, _creds, ctx) => acceptAnyJwt(req, ctx, (alg) => /^ES(384|512)$/.test(alg)),
  }),
  larkspur({
    name: 'alg none accepted',
    models: 'a verifier that trusts the header\'s alg and skips the signature when it is "none"',
    caughtBy: ['jwt-alg-none'],
    rewrite: (req, _creds, ctx) => acceptAnyJwt(req, ctx, (alg) => alg === 'none'),
  }),
  larkspur({
    name: 'HS256 keyed with the public key accepted',
    models:
      'verify(token, jwk-as-pem) with no algorithm allow-list: the ES256 public key used as an HMAC secret',
    caughtBy: ['jwt-algorithm-confusion'],
    rewrite: (req, _creds, ctx) => acceptAnyJwt(req, ctx, (alg) => alg === 'HS256'),
  }),
  larkspur({
    name: 'kid not checked',
    models: 'the verifier takes the first key of the JWK Set whatever kid the token names',
    caughtBy: ['jwt-unknown-kid'],
    rewrite: (req, _creds, ctx) => kidIgnored(req, ctx),
  }),
  larkspur({
    name: 'issuer not checked',
    models: 'jwt.verify(token, key, { audience }) without the issuer option',
    caughtBy: ['jwt-wrong-issuer'],
    mutateProfile: (p) => delete jwtSpec(p).issuer,
  }),
  larkspur({
    name: 'audience not checked',
    models: 'jwt.verify(token, key, { issuer }) without the audience option',
    caughtBy: ['jwt-wrong-audience'],
    mutateProfile: (p) => delete jwtSpec(p).audience,
  }),
  larkspur({
    name: 'nbf never checked',
    models: 'a hand-written check of exp only (ignoreNotBefore: true)',
    caughtBy: ['jwt-not-yet-valid', 'jwt-not-yet-valid-at-leeway-edge'],
    rewrite: (req, _creds, ctx) =>
      acceptAnyJwt(req, ctx, (_alg, c) => typeof c.nbf === 'number' && c.nbf > nowSeconds(ctx)),
  }),
  larkspur({
    name: 'nbf leeway doubled',
    models: 'clockTolerance applied by the library and again by a hand-written nbf check',
    caughtBy: ['jwt-not-yet-valid-at-leeway-edge'],
    rewrite: (req, _creds, ctx) => nbfLeewayDoubled(req, ctx),
  }),
  larkspur({
    name: 'nbf checked without the leeway',
    models: 'nbf compared with Date.now() by hand, the 30 s clockTolerance applied to exp only',
    caughtBy: ['jwt-nbf-within-leeway-accepted'],
    rewrite: (req, _creds, ctx) => nbfWithoutLeeway(req, ctx),
  }),
  larkspur({
    name: 'exp off by the leeway',
    models: 'clockTolerance 60 where the profile allows 30 s: a token expired 45 s ago is accepted',
    caughtBy: ['jwt-expired-at-leeway-edge'],
    mutateProfile: (p) => (jwtSpec(p).leewaySeconds = 60),
  }),
];
