/**
 * The scope claim of a faulty bearer JWT, in the claim and form the profile's token names
 * (`claims: { scope: scopes }`, `scopeFormat: string | array`): every scope but those that grant
 * the route's (the token is valid, only the scope is missing), or the route's own scope beside
 * another one (a verifier must find it in a list, not compare the claim as a whole).
 */
import type { JwtToken } from '../model/profile.ts';
import type { ResolvedRoute, ResolvedProfile } from '../model/resolved-profile.ts';
import { everyScope, scopeGrants } from '../model/scope-vocabulary.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';
import { scopeClaimValue } from '../request/mint-jwt.ts';
import { scopeClaim } from '../model/jwt-claims.ts';

export function scopeClaimFor(
  profile: ResolvedProfile,
  route: ResolvedRoute,
  spec: JwtToken | undefined,
  which: 'without-route-scope' | 'with-route-scope',
): Record<string, unknown> {
  const claim = spec && scopeClaim(spec);
  if (claim === undefined || route.scope === undefined)
    throw new MissingRoleError(
      `a scope claim (tokens.*.claims: { NAME: scopes }) on route ${route.id}`,
    );
  const needed = route.scope;
  const others = everyScope(profile).filter((s) => !scopeGrants(profile.scopes, [s], needed));
  const held = which === 'without-route-scope' ? others : [...others.slice(0, 1), needed];
  return { [claim]: scopeClaimValue(held, spec!.scopeFormat) };
}
