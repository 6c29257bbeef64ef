/**
 * The routes of a profile a scenario draws from, in two halves: what the profile alone decides
 * (no route left: the scenario does not apply) and what needs the credentials (no route left:
 * SKIP, a role or resource is missing).
 */
import type { Credentials } from '../model/credentials.ts';
import { routeConsumes } from '../model/profile.ts';
import type { ResolvedRoute, ResolvedProfile } from '../model/resolved-profile.ts';
import { scopeGrants } from '../model/scope-vocabulary.ts';
import { defaultKeyRole, keyForRole } from '../request/build-request.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';
import type { RouteFilter, SigningPart } from './scenario-model.ts';
import { signingOf } from '../sign/signers.ts';
import { deniedKeyRoles, refusedKeyTypes } from './denied-key-roles.ts';
import { routeJwtBoundTo, routeJwtChecks } from '../model/jwt-claims.ts';
import { testableCaps } from '../generate/arb-cap-request.ts';
import { alsoInCredential } from '../model/route-credentials.ts';
import { authorizationCredential } from '../request/authorization-scheme.ts';
import { clientCredentialsTokenOf } from '../request/client-credentials.ts';
import { routeKeyCredential } from '../request/header-reference.ts';

/** Routes the filter allows by the profile alone. */
export function routesOfProfile(
  profile: ResolvedProfile,
  filter: RouteFilter = {},
): ResolvedRoute[] {
  return profile.routes.filter((route) => matchesProfile(profile, route, filter));
}

/** Routes the filter allows and the credentials can call. */
export function routesFor(
  profile: ResolvedProfile,
  creds: Credentials,
  filter: RouteFilter = {},
): ResolvedRoute[] {
  return routesOfProfile(profile, filter).filter((route) =>
    matchesCredentials(profile, creds, route, filter),
  );
}

function credentialKinds(route: ResolvedRoute): Set<string> {
  return new Set(route.credentials.map((c) => c.kind));
}

function matchesProfile(profile: ResolvedProfile, route: ResolvedRoute, f: RouteFilter): boolean {
  // A public route that is signed has the signature as its credential (SigV4, Hawk): the
  // signature scenarios apply to it, nothing else does.
  // A client-credentials token endpoint is public: the client's secret is its credential.
  if (f.tokenEndpoint !== undefined) return clientCredentialsTokenOf(profile, route) !== undefined;
  if (route.auth === 'public' && !(f.signed === true && route.signing !== undefined)) return false;
  const kinds = credentialKinds(route);
  if (f.auth && f.auth !== 'any' && !kinds.has(f.auth)) return false;
  if (f.binding) {
    const b = profile.bindings?.[f.binding];
    if (!b) return false;
    const checked =
      b.required === 'always' ||
      route.bindings?.includes(f.binding) ||
      (b.from === 'path' && route.path.includes(`{${b.name}}`));
    if (!checked) return false;
  }
  if (f.scoped !== undefined && (route.scope !== undefined) !== f.scoped) return false;
  if (f.signed !== undefined && (route.signing !== undefined) !== f.signed) return false;
  if (f.signingHas !== undefined && missingSigningParts(profile, route, f.signingHas).length > 0)
    return false;
  if (f.keyTypes !== undefined && (route.keyTypes !== undefined) !== f.keyTypes) return false;
  if (f.rateLimited !== undefined && (route.rateClass !== undefined) !== f.rateLimited)
    return false;
  if (f.withBody !== undefined && (route.requestBody !== undefined) !== f.withBody) return false;
  if (f.consumes !== undefined && routeConsumes(route) !== f.consumes) return false;
  if (f.jwtBoundTo !== undefined && !routeJwtBoundTo(route, f.jwtBoundTo)) return false;
  if (f.jwtChecks !== undefined && !routeJwtChecks(route, f.jwtChecks)) return false;
  if (f.patternOf !== undefined) {
    const b = profile.bindings?.[f.patternOf];
    if (b?.from !== 'header' || b.pattern === undefined) return false;
    if (!(b.required === 'always' || route.bindings?.includes(f.patternOf))) return false;
  }
  if (f.credentialAlsoIn && !alsoInCredential(route, f.credentialAlsoIn)) return false;
  if (f.credentialInHeader && !credentialInHeader(route)) return false;
  if (f.authorizationScheme && authorizationCredential(route) === undefined) return false;
  if (f.capped && testableCaps(route, f.capped === true ? 'above' : 'absent').length === 0)
    return false;
  if (
    (f.outsideScopesOf !== undefined || f.insideScopesOf !== undefined) &&
    (!kinds.has('api_key') || route.scope === undefined)
  )
    return false;
  if (f.deniesKeyType === 'any') {
    if (refusedKeyTypes(profile, route).length === 0) return false;
  } else if (f.deniesKeyType !== undefined) {
    // The role names a key type (publishable, system): the profile must have keys of that type.
    const types = new Set(Object.values(profile.keyFormats ?? {}).map((k) => k.type));
    if (!route.keyTypes || !types.has(f.deniesKeyType) || route.keyTypes.includes(f.deniesKeyType))
      return false;
  }
  if (
    f.otherRecord !== undefined &&
    !Object.values(route.params ?? {}).some(
      (p) => typeof p === 'object' && p[f.otherRecord!] !== undefined,
    )
  ) {
    return false;
  }
  return true;
}

function matchesCredentials(
  profile: ResolvedProfile,
  creds: Credentials,
  route: ResolvedRoute,
  f: RouteFilter,
): boolean {
  const keyScopes = (role: string) => {
    try {
      return keyForRole(creds, role).scopes;
    } catch (e) {
      if (e instanceof MissingRoleError) return null;
      throw e;
    }
  };
  if (f.outsideScopesOf !== undefined) {
    const held = keyScopes(f.outsideScopesOf);
    if (held === null || held === undefined || scopeGrants(profile.scopes, held, route.scope!))
      return false;
  }
  if (f.insideScopesOf !== undefined) {
    const held = keyScopes(f.insideScopesOf);
    if (held === null || held === undefined || !scopeGrants(profile.scopes, held, route.scope!))
      return false;
    // Granted through an alias or a wildcard, not by holding the route's own scope literally.
    if (f.viaAliasOrWildcard && held.includes(route.scope!)) return false;
  }
  if (f.deniesKeyType === 'any') {
    if (deniedKeyRoles(profile, creds, route).length === 0) return false;
  } else if (f.deniesKeyType !== undefined) {
    try {
      keyForRole(creds, f.deniesKeyType);
    } catch {
      return false;
    }
  }
  if (f.otherRecord !== undefined) {
    const has = Object.values(route.params ?? {}).some(
      (p) =>
        typeof p === 'object' &&
        p[f.otherRecord!] !== undefined &&
        creds.resources?.[p[f.otherRecord!]!] !== undefined,
    );
    if (!has) return false;
  }
  // The route must be callable at all with the credentials given (its usual key role exists).
  const kinds = credentialKinds(route);
  if (kinds.has('api_key') || kinds.has('basic')) {
    try {
      defaultKeyRole(profile, creds, route);
    } catch {
      return false;
    }
  }
  return true;
}

/** Whether the credential a `credential` reference names travels in a header (not query, cookie, body). */
function credentialInHeader(route: ResolvedRoute): boolean {
  const place = route.credentials.length === 0 ? undefined : routeKeyCredential(route).in;
  return place === 'header' || place === 'bearer' || place === 'authorization';
}

/** The parts a route's signing scheme lacks of those named (all of them for an unsigned route). */
export function missingSigningParts(
  profile: ResolvedProfile,
  route: ResolvedRoute,
  wanted: readonly SigningPart[],
): SigningPart[] {
  const parts = signingOf(route)?.parts;
  if (!parts) return [...wanted];
  return wanted.filter((w) => {
    switch (w) {
      case 'nonce':
      case 'timestamp':
      case 'expires':
      case 'version':
        return parts[w] === undefined;
      case 'keyId':
        return !parts.keyId;
      case 'header':
        // Content-Type is sent only with a body (build-request.ts): a bodiless route carries no
        // covered header of that kind to tamper with.
        return !parts.covers.headers.some(
          (h) => h !== 'content-type' || route.requestBody !== undefined,
        );
      default:
        return !parts.covers[w];
    }
  });
}

/**
 * Why no signed route fits a scenario that needs parts of a signing scheme: which scheme lacks
 * which part (SigV4 has no nonce), or undefined where that is not why.
 */
export function signingPartsReason(
  profile: ResolvedProfile,
  filter: RouteFilter = {},
): string | undefined {
  if (filter.signingHas === undefined) return undefined;
  const lacking = new Map<string, Set<string>>();
  for (const route of profile.routes) {
    const signing = signingOf(route);
    if (!signing) continue;
    const missing = missingSigningParts(profile, route, filter.signingHas);
    const scheme = signing.signer.scheme;
    for (const m of missing) lacking.set(scheme, (lacking.get(scheme) ?? new Set()).add(m));
  }
  if (lacking.size === 0) return undefined;
  const said = [...lacking].map(
    ([scheme, parts]) => `the ${scheme} signing scheme ${[...parts].map(partPhrase).join(' and ')}`,
  );
  return `${said.join('; ')}: the fault has nothing to act on`;
}

function partPhrase(p: string): string {
  switch (p) {
    case 'nonce':
    case 'timestamp':
    case 'version':
      return `has no ${p}`;
    case 'expires':
      return 'has no expiry beside its timestamp';
    case 'keyId':
      return 'names no key id';
    case 'header':
      return 'covers no header a request carries';
    default:
      return `does not cover the ${p}`;
  }
}
