/** The routes of a profile a scenario draws from. */
import type { Credentials } from '../model/credentials.ts';
import type { Profile, Route } from '../model/profile.ts';
import { canonicalScope, scopeGrants } from '../model/scope-vocabulary.ts';
import { defaultKeyRole, keyForRole, MissingRoleError } from '../request/build-request.ts';
import type { RouteFilter } from './scenario-model.ts';

export function routesFor(profile: Profile, creds: Credentials, filter: RouteFilter = {}): Route[] {
  return profile.routes.filter((route) => matches(profile, creds, route, filter));
}

function credentialKinds(profile: Profile, route: Route): Set<string> {
  if (route.auth === 'public') return new Set();
  return new Set(
    route.auth
      .flatMap((a) => (Array.isArray(a) ? a : [a]))
      .map((id) => profile.credentials[id]!.kind),
  );
}

function matches(profile: Profile, creds: Credentials, route: Route, f: RouteFilter): boolean {
  const kinds = credentialKinds(profile, route);
  if (route.auth === 'public') return false;
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
  if (f.keyTypes !== undefined && (route.keyTypes !== undefined) !== f.keyTypes) return false;
  if (f.rateLimited !== undefined && (route.rateClass !== undefined) !== f.rateLimited)
    return false;
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
    if (!kinds.has('api_key') || held === null || held === undefined || route.scope === undefined)
      return false;
    if (scopeGrants(profile.scopes, held, route.scope)) return false;
  }
  if (f.insideScopesOf !== undefined) {
    const held = keyScopes(f.insideScopesOf);
    if (!kinds.has('api_key') || held === null || held === undefined || route.scope === undefined)
      return false;
    if (!scopeGrants(profile.scopes, held, route.scope)) return false;
    if (f.viaAliasOrWildcard && held.includes(route.scope)) return false;
    if (
      f.viaAliasOrWildcard &&
      held.map((h) => canonicalScope(profile.scopes, h)).includes(route.scope) &&
      !held.some(
        (h) =>
          h !== route.scope &&
          canonicalScope(profile.scopes, h) === canonicalScope(profile.scopes, route.scope!),
      )
    ) {
      return false;
    }
  }
  if (f.deniesKeyType !== undefined) {
    let type: string | undefined;
    try {
      type = keyForRole(creds, f.deniesKeyType).type;
    } catch {
      return false;
    }
    if (!route.keyTypes || type === undefined || route.keyTypes.includes(type)) return false;
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
  if (kinds.has('api_key')) {
    try {
      defaultKeyRole(profile, creds, route);
    } catch {
      return false;
    }
  }
  return true;
}
