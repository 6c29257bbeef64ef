/**
 * What a profile's JWT token specs say of a route: which of its credentials are JWTs, which
 * claims carry a binding or the scopes, what the token is checked for, which algorithm sizes
 * the allow-list lacks. Questions about the profile alone, asked by the route filter, the fixture
 * generator and the JWT faults.
 */
import type { BindingKind, JwtToken } from './profile.ts';
import type { ResolvedCredential, ResolvedRoute } from './resolved-profile.ts';

/** The JWT credentials of a route (one of its alternatives may need a key as well). */
export function jwtCredentialsOf(route: ResolvedRoute): ResolvedCredential[] {
  return route.credentials.filter((c) => c.kind === 'jwt');
}

/** Claim names of the credential's token that carry the binding `kind` (storeId for store...). */
export function bindingClaims(cred: ResolvedCredential, kind: BindingKind): string[] {
  const spec = cred.tokenSpec;
  if (spec?.kind !== 'jwt') return [];
  return Object.entries(spec.claims ?? {})
    .filter(([, meaning]) => meaning === kind)
    .map(([claim]) => claim);
}

/** Whether the route takes a JWT whose claims (by the profile) name the binding `kind`. */
export function routeJwtBoundTo(route: ResolvedRoute, kind: BindingKind): boolean {
  return jwtCredentialsOf(route).some((c) => bindingClaims(c, kind).length > 0);
}

/**
 * Whether the route takes a JWT whose token spec states this check: an issuer or audience; the
 * route's scope, carried only by the token (no key beside it) in its claim of meaning `scopes`;
 * keys published as a JWKS (kid); an allow-list that lacks another size of one of its families.
 */
export function routeJwtChecks(
  route: ResolvedRoute,
  check: 'issuer' | 'audience' | 'scope' | 'kid' | 'algorithmSize',
): boolean {
  if (check === 'scope') {
    if (route.scope === undefined || route.credentials.length === 0) return false;
    if (route.credentials.some((c) => c.kind !== 'jwt')) return false;
  }
  return jwtCredentialsOf(route).some((c) => {
    const spec = c.tokenSpec;
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

/** The credentials resource naming another party of this kind: otherStore for store. */
export function otherPartyResource(kind: BindingKind): string {
  return `other${kind[0]!.toUpperCase()}${kind.slice(1)}`;
}
