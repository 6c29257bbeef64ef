/**
 * After the caller is known: the key type the route allows, every binding (a request must never
 * switch a key to another tenant, merchant, store or organization), the environment and bindings
 * of the record a path id reaches, and the route's scope (aliases and wildcards honoured).
 */
import type { Binding, BindingKind, Profile, Route } from '../../src/model/profile.ts';
import { BINDING_KINDS } from '../../src/model/profile.ts';
import { scopeGrants } from '../../src/model/scope-vocabulary.ts';
import type { MockRequest } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';
import type { Caller } from './authenticate.ts';
import { Denial } from './deny.ts';
import { anchored } from '../../src/model/anchored-pattern.ts';

/** The tenant/merchant/store/organization the caller acts for, from its key or token. */
export function callerBindings(
  world: MockWorld,
  caller: Caller,
): Partial<Record<BindingKind, string>> {
  const out: Partial<Record<BindingKind, string>> = { ...(caller.jwt?.bindings ?? {}) };
  for (const b of BINDING_KINDS) if (caller.key?.[b] !== undefined) out[b] = caller.key[b];
  if (out.tenant === undefined && out.merchant !== undefined) {
    const tenant = world.fixtures.merchants?.find((m) => m.id === out.merchant)?.tenant;
    if (tenant !== undefined) out.tenant = tenant;
  }
  return out;
}

export function checkKeyType(route: Route, caller: Caller): void {
  if (route.keyTypes && caller.key && !route.keyTypes.includes(caller.key.type)) {
    throw new Denial('wrong_key_type', {
      ...(caller.keyCredential ? { credential: caller.keyCredential } : {}),
    });
  }
}

/**
 * A binding required on every request (the tenant header) must be there even on public routes;
 * one required on some routes, there, from a caller not bound to one by its key.
 */
export function checkRequiredBindings(
  world: MockWorld,
  route: Route,
  req: MockRequest,
  params: Record<string, string>,
  caller: Caller,
): void {
  for (const used of bindingsOfRoute(world, route)) {
    const { kind, binding: b } = used;
    const value = bindingValue(used, req, params);
    // `routes`: needed only from a caller not already bound at this level (a tenant-wide key
    // names the merchant it acts for; a merchant-bound key brings its own).
    const needed =
      b.required === 'always' ||
      (b.required === 'routes' &&
        route.bindings?.includes(kind) === true &&
        caller.key?.[kind] === undefined);
    if (needed && (value === undefined || value.trim() === ''))
      throw new Denial('missing_binding', { binding: kind });
    if (value !== undefined && b.pattern !== undefined && !anchored(b.pattern).test(value)) {
      throw new Denial('malformed_request', { binding: kind });
    }
  }
}

/** A binding a route reads from the request: its header (lower-cased) or path parameter. */
export interface RouteBinding {
  kind: BindingKind;
  binding: Binding;
  /** The header's name, lower-cased, for a header binding; undefined for a path one. */
  header: string | undefined;
}

/**
 * The bindings a route takes from the request, in BINDING_KINDS order: read off the profile once
 * per route (routes and the profile are fixed for a mock's life), not on every request. Kept with
 * the profile they were read from: a route object shared by two profiles' worlds is read for each.
 */
const bindingsOfRoutes = new WeakMap<Route, { profile: Profile; bindings: RouteBinding[] }>();

export function bindingsOfRoute(world: MockWorld, route: Route): RouteBinding[] {
  const { profile } = world;
  const known = bindingsOfRoutes.get(route);
  if (known?.profile === profile) return known.bindings;
  const bindings: RouteBinding[] = [];
  for (const kind of BINDING_KINDS) {
    const b = profile.bindings?.[kind];
    if (!b || b.from === 'key') continue;
    if (b.from === 'header' && b.required === 'routes' && !route.bindings?.includes(kind)) continue;
    bindings.push({
      kind,
      binding: b,
      header: b.from === 'header' ? b.name!.toLowerCase() : undefined,
    });
  }
  bindingsOfRoutes.set(route, { profile, bindings });
  return bindings;
}

/** The value this request names for a binding the route reads: its header, or its path parameter. */
export function bindingValue(
  used: RouteBinding,
  req: MockRequest,
  params: Record<string, string>,
): string | undefined {
  return used.header !== undefined ? req.headers[used.header] : params[used.binding.name!];
}

/** Each binding the request names must be the caller's (or belong to it: a merchant of its tenant). */
export function checkBindings(
  world: MockWorld,
  route: Route,
  req: MockRequest,
  params: Record<string, string>,
  caller: Caller,
): void {
  const used = bindingsOfRoute(world, route);
  if (used.length === 0) return;
  const mine = callerBindings(world, caller);
  const credential = caller.keyCredential ?? caller.jwt?.credential;
  for (const one of used) {
    const { kind, binding } = one;
    const named = bindingValue(one, req, params);
    if (named === undefined || binding.onMismatch === 'ignore') continue;
    if (!bindingCovers(world, kind, mine, named)) {
      throw new Denial('binding_mismatch', {
        binding: kind,
        ...(credential ? { credential } : {}),
      });
    }
    // A token and a key sent together must agree with each other too (cart: key + customer JWT).
    const tokenBinding = caller.jwt?.bindings[kind];
    if (tokenBinding !== undefined && tokenBinding !== named) {
      throw new Denial('binding_mismatch', { binding: kind, credential: caller.jwt!.credential });
    }
  }
}

/** Whether a caller bound as `mine` may act for the `named` tenant/merchant/store/organization. */
export function bindingCovers(
  world: MockWorld,
  kind: BindingKind,
  mine: Partial<Record<BindingKind, string>>,
  named: string,
): boolean {
  if (mine[kind] !== undefined) return mine[kind] === named;
  // Not bound at this level: a tenant-wide key may name any merchant of its tenant.
  if (kind === 'merchant' && mine.tenant !== undefined) {
    return (
      world.fixtures.merchants?.some((m) => m.id === named && m.tenant === mine.tenant) ?? false
    );
  }
  return true;
}

export function checkScope(world: MockWorld, route: Route, caller: Caller): void {
  if (route.scope === undefined) return;
  const held = heldScopes(caller);
  if (held !== undefined && !scopeGrants(world.profile.scopes, held, route.scope)) {
    const credential = caller.session?.credential ?? caller.keyCredential ?? caller.jwt?.credential;
    throw new Denial('insufficient_scope', credential ? { credential } : {});
  }
}

/** undefined: unrestricted. */
export function heldScopes(caller: Caller): string[] | undefined {
  if (caller.session) return caller.session.token.scopes ?? [];
  if (caller.key) return caller.key.scopes;
  if (caller.jwt) {
    if (caller.jwt.scopes) return caller.jwt.scopes;
    const claim = caller.jwt.claims.scopes ?? caller.jwt.claims.scope;
    if (Array.isArray(claim)) return claim.map(String);
    if (typeof claim === 'string') return claim.split(' ');
    // A token naming no known user holds nothing; a known user without a scope list holds all.
    return caller.jwt.user ? caller.jwt.user.scopes : [];
  }
  return [];
}
