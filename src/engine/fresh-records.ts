/**
 * Routes that use up their record (DELETE, cancel, void, a full refund) cannot be sent twice on
 * one record: a correct server answers the second call 404 or 409. Each request of such a route
 * gets a record of its own, created first through the route the profile says `creates` it, as the
 * key-lifecycle model creates the keys it revokes.
 */
import type { Credentials } from '../model/credentials.ts';
import { routeConsumes } from '../model/profile.ts';
import type { ResolvedRoute, ResolvedProfile } from '../model/resolved-profile.ts';
import { consumedResources, creatorOf } from '../model/record-routes.ts';
import { buildRequest, defaultKeyRole, keyForRole } from '../request/build-request.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';
import { scopeGrants } from '../model/scope-vocabulary.ts';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { targetHost, type Target } from '../targets/target.ts';
import { CheckFailure } from '../check/check-failure.ts';
import { jsonPointer } from '../model/json-pointer.ts';
import { obtainTokens } from './obtain-tokens.ts';

/**
 * Whether generic scenarios can draw a consuming route: each of its requests can be given a fresh
 * record. One that consumes what no route creates is left to stateful scenarios.
 */
export function freshRecordsPossible(profile: ResolvedProfile, route: ResolvedRoute): boolean {
  return routeConsumes(route) && consumedResources(profile, route).length > 0;
}

/**
 * Whether the credentials can create the route's fresh records: the key each creating route uses
 * exists and holds its scope. A least-privilege key that may cancel but not create makes the
 * route undrawable (its scenarios SKIP when no other route is left), never a false FAIL.
 */
export function freshRecordsCallable(
  profile: ResolvedProfile,
  creds: Credentials,
  route: ResolvedRoute,
): boolean {
  return consumedResources(profile, route).every((resource) => {
    const creator = creatorOf(profile, resource)!;
    if (creator.auth === 'public' || creator.scope === undefined) return true;
    try {
      const held = keyForRole(creds, defaultKeyRole(profile, creds, creator)).scopes;
      return held === undefined || scopeGrants(profile.scopes, held, creator.scope);
    } catch (e) {
      if (e instanceof MissingRoleError) return false;
      throw e;
    }
  });
}

export interface FreshRecordContext {
  profile: ResolvedProfile;
  creds: Credentials;
  target: Target;
  /** Tokens obtained to create records: secrets for masking, like every token of the run. */
  obtained?: Set<string>;
}

/**
 * Creates one record of each resource the route uses up and answers resource -> new id, for the
 * next request's path and body. `send` records the exchange (it is part of the case's story).
 */
export async function createFreshRecords(
  ctx: FreshRecordContext,
  route: ResolvedRoute,
  nonce: (creator: ResolvedRoute) => string | undefined,
  send: (label: string, req: OutgoingRequest) => Promise<ReceivedResponse>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const resource of consumedResources(ctx.profile, route)) {
    const creator = creatorOf(ctx.profile, resource)!;
    const tokens = await obtainTokens(ctx.profile, ctx.creds, ctx.target, creator);
    for (const t of Object.values(tokens)) ctx.obtained?.add(t);
    const n = nonce(creator);
    const req = await buildRequest(ctx.profile, ctx.creds, creator, {
      nowSeconds: ctx.target.nowSeconds(),
      host: targetHost(ctx.target),
      ...(n !== undefined ? { nonce: n } : {}),
      tokens,
      resources: out,
    });
    const res = await send(`create a fresh ${resource} (${creator.id})`, req);
    const id = jsonPointer(res.body, creator.creates!.idAt);
    if (res.status !== creator.success.status || (typeof id !== 'string' && typeof id !== 'number'))
      throw new CheckFailure(
        'freshRecord',
        `could not create a fresh ${resource} for ${route.method} ${route.path} (which uses up its record) through ${creator.method} ${creator.path}: ${res.status === creator.success.status ? `answered ${res.status} with no id at ${creator.creates!.idAt}` : `expected status ${creator.success.status}, got ${res.status}`}`,
      );
    out[resource] = String(id);
  }
  return out;
}
