/**
 * Which key a case sends on a guest target, where the credentials hold several keys the route
 * accepts alike (of the same party, a type and scopes it takes; never a revoked or expired role).
 * The run's traffic is spread over them, so that a per-key limit holds it back later, or not at
 * all; and a rate-limit scenario spends the key whose window the run left unspent longest, so two
 * such scenarios spend two keys and one wait serves both, instead of each waiting a whole window
 * for the key the other scenarios used.
 */
import type { CredentialKey } from '../model/credentials.ts';
import type { ResolvedRoute } from '../model/resolved-profile.ts';
import { scopeGrants } from '../model/scope-vocabulary.ts';
import { defaultKeyRole, keyForRole } from '../request/build-request.ts';
import type { EngineContext, GuestPacing } from './engine-context.ts';

/** Roles that name a key the target must refuse: never a stand-in for an accepted one. */
const REFUSED_ROLES = new Set(['revoked', 'expired']);
const PARTY = ['environment', 'tenant', 'merchant', 'store', 'organization'] as const;

/**
 * The key role and the routes (of `routes`) it can spend a window on: the pair whose key is
 * fresh first by the ledger, the default key where it is as fresh as any other.
 */
export function freshestKeyRole(
  ctx: EngineContext & { guest: GuestPacing },
  routes: readonly ResolvedRoute[],
): { role: string; routes: ResolvedRoute[] } | undefined {
  const { profile, creds, guest } = ctx;
  let best: { role: string; at: number; route: ResolvedRoute } | undefined;
  const pairs: { role: string; route: ResolvedRoute }[] = [];
  for (const route of routes) {
    const mine = defaultKeyRole(profile, creds, route);
    for (const role of [mine, ...standIns(ctx, route, mine)]) {
      pairs.push({ role, route });
      const at = guest.ledger.freshAt([keyForRole(creds, role).value], route.rateLimit);
      if (!best || at < best.at) best = { role, at, route };
    }
  }
  if (!best) return undefined;
  const { role, route: freshest } = best;
  // The chosen key's routes of the class whose window is fresh first.
  return {
    role,
    routes: pairs
      .filter((p) => p.role === role && p.route.rateLimit?.id === freshest.rateLimit?.id)
      .map((p) => p.route),
  };
}

/**
 * The role a case of a scenario that names no key sends with: of the default key and its
 * stand-ins on this route, the one whose rate window is least spent (the default on a tie).
 */
export function leastSpentKeyRole(
  ctx: EngineContext & { guest: GuestPacing },
  route: ResolvedRoute,
): string {
  const { profile, creds, guest } = ctx;
  const mine = defaultKeyRole(profile, creds, route);
  const limit = route.rateLimit;
  if (!limit) return mine;
  const now = guest.clock.now();
  let best = {
    role: mine,
    share: guest.ledger.spentShare(keyForRole(creds, mine).value, limit, now),
  };
  for (const role of standIns(ctx, route, mine)) {
    const share = guest.ledger.spentShare(keyForRole(creds, role).value, limit, now);
    if (share < best.share) best = { role, share };
  }
  return best.role;
}

/** Other keys of the default key's party that the route accepts, and the target has admitted. */
function standIns(ctx: EngineContext & { guest: GuestPacing }, route: ResolvedRoute, mine: string) {
  const { profile, creds, guest } = ctx;
  const own = keyForRole(creds, mine);
  const { byType: _byType, ...byRole } = creds.keys ?? {};
  return Object.entries(byRole as Record<string, CredentialKey | undefined>)
    .filter(
      ([role, key]) =>
        key !== undefined &&
        !REFUSED_ROLES.has(role) &&
        key.value !== own.value &&
        PARTY.every((f) => key[f] === own[f]) &&
        (route.keyTypes === undefined ||
          (key.type !== undefined && route.keyTypes.includes(key.type))) &&
        (route.scope === undefined ||
          !key.scopes ||
          scopeGrants(profile.scopes, key.scopes, route.scope)) &&
        // A signed call is signed with the credentials' merchant secret: only that merchant's keys.
        (route.signing === undefined ||
          key.merchant === undefined ||
          key.merchant === creds.hmac?.merchant) &&
        !guest.ledger.neverAdmitted(key.value),
    )
    .map(([role]) => role);
}
