/**
 * Bearer JWTs as identities bound to a party: the claims a profile's token gives a tenant,
 * merchant, store or organization meaning. Cross-party faults use them for logged-in users as
 * they use key bindings for API keys: a token naming another party, or a bound token sent to
 * another party's record.
 */
import { decodeJwt } from 'jose';
import type { BindingKind, JwtToken, Profile, Route } from '../model/profile.ts';
import type { OtherRecord } from '../scenario/scenario-model.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';

/** The JWT credential ids of a route (one of its alternatives may need a key as well). */
export function jwtCredentialsOf(profile: Profile, route: Route): string[] {
  if (route.auth === 'public') return [];
  const ids = route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
  return [...new Set(ids)].filter((id) => profile.credentials[id]!.kind === 'jwt');
}

/** Claim names of the credential's token that carry the binding `kind` (storeId for store...). */
export function bindingClaims(profile: Profile, credentialId: string, kind: BindingKind): string[] {
  const spec = profile.tokens?.[profile.credentials[credentialId]?.token ?? ''];
  if (spec?.kind !== 'jwt') return [];
  return Object.entries(spec.claims ?? {})
    .filter(([, meaning]) => meaning === kind)
    .map(([claim]) => claim);
}

/** Whether the route takes a JWT whose claims (by the profile) name the binding `kind`. */
export function routeJwtBoundTo(profile: Profile, route: Route, kind: BindingKind): boolean {
  return jwtCredentialsOf(profile, route).some((id) => bindingClaims(profile, id, kind).length > 0);
}

/**
 * Whether the route takes a JWT whose token spec states this check: an issuer or audience; the
 * route's scope, carried only by the token (no key beside it) in its claim of meaning `scopes`;
 * keys published as a JWKS (kid); an allow-list that lacks another size of one of its families.
 */
export function routeJwtChecks(
  profile: Profile,
  route: Route,
  check: 'issuer' | 'audience' | 'scope' | 'kid' | 'algorithmSize',
): boolean {
  if (check === 'scope') {
    if (route.scope === undefined || route.auth === 'public') return false;
    const ids = route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
    if (ids.some((id) => profile.credentials[id]!.kind !== 'jwt')) return false;
  }
  return jwtCredentialsOf(profile, route).some((id) => {
    const spec = profile.tokens?.[profile.credentials[id]!.token ?? ''];
    if (spec?.kind !== 'jwt') return false;
    if (check === 'scope') return scopeClaim(spec) !== undefined;
    if (check === 'kid') return spec.jwks !== undefined;
    if (check === 'algorithmSize')
      return spec.algorithms.some((a) => otherAlgorithmSize(a, spec.algorithms) !== undefined);
    return spec[check] !== undefined;
  });
}

/** The claim a token's spec names as holding its scopes, if any. */
export function scopeClaim(spec: JwtToken): string | undefined {
  return Object.entries(spec.claims ?? {}).find(([, meaning]) => meaning === 'scopes')?.[0];
}

/**
 * Each family in the order its other sizes are tried: the largest first for HMAC and RSA (HS512
 * where only HS256 is allowed: what jsonwebtoken accepts for a secret when `algorithms` is left
 * out); for ECDSA the next curve up, ES384 beside ES256.
 */
const ALGORITHM_FAMILIES = [
  ['HS512', 'HS384', 'HS256'],
  ['RS512', 'RS384', 'RS256'],
  ['PS512', 'PS384', 'PS256'],
  ['ES384', 'ES512', 'ES256'],
];

/**
 * An algorithm of `alg`'s family and another size that `allowed` lacks, made with the same key;
 * undefined if the whole family is allowed (or `alg` has no sizes: EdDSA).
 */
export function otherAlgorithmSize(alg: string, allowed: readonly string[]): string | undefined {
  const family = ALGORITHM_FAMILIES.find((f) => f.includes(alg));
  return family?.find((a) => a !== alg && !allowed.includes(a));
}

export const BINDING_OF_OTHER: Record<Exclude<OtherRecord, 'otherEnvironment'>, BindingKind> = {
  otherTenant: 'tenant',
  otherMerchant: 'merchant',
  otherStore: 'store',
  otherOrganization: 'organization',
};

/** The credentials resource naming another party of this kind: otherStore for store. */
export function otherPartyResource(kind: BindingKind): string {
  return `other${kind[0]!.toUpperCase()}${kind.slice(1)}`;
}

/**
 * On a route a JWT alone authenticates, a record of another party is refused only if the token
 * is bound to a party of that kind: a user of the whole tenant may read every merchant. The
 * token the run holds (obtained by logging in with the credentials' login) must name one, or the
 * requirement cannot be tested with these credentials (SKIP, naming what is missing).
 */
export function requireTokenBoundTo(
  profile: Profile,
  route: Route,
  tokens: Record<string, string>,
  which: OtherRecord,
  bearer: string | undefined,
): void {
  if (which === 'otherEnvironment' || route.auth === 'public') return;
  const ids = route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
  if (ids.some((id) => profile.credentials[id]!.kind !== 'jwt')) return;
  const kind = BINDING_OF_OTHER[which];
  for (const id of ids) {
    const token = tokens[id] ?? (profile.credentials[id]!.in === 'bearer' ? bearer : undefined);
    const claims = bindingClaims(profile, id, kind);
    if (token === undefined || claims.length === 0) continue;
    const payload = decodeJwt(token);
    if (claims.some((c) => typeof payload[c] === 'string' && payload[c] !== '')) return;
  }
  throw new MissingRoleError(
    `a JWT bound to a ${kind} for route ${route.id} (the token held names no ${kind}: log in as a user of one ${kind})`,
  );
}

/**
 * The claims of a token with every claim of binding `kind` naming the credentials' other party
 * of that kind instead (resources.otherStore...): a token of another store, tenant, merchant.
 */
export function claimsOfOtherParty(
  profile: Profile,
  credentialId: string,
  claims: Record<string, unknown>,
  kind: BindingKind,
  resources: Record<string, string> | undefined,
): Record<string, unknown> {
  const names = bindingClaims(profile, credentialId, kind);
  if (names.length === 0)
    throw new MissingRoleError(`a ${kind} claim in the token of "${credentialId}"`);
  const resource = otherPartyResource(kind);
  const other = resources?.[resource];
  if (other === undefined) throw new MissingRoleError(`resources.${resource}`);
  return { ...claims, ...Object.fromEntries(names.map((n) => [n, other])) };
}
