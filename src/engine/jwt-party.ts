/**
 * Bearer JWTs as identities bound to a party: the claims a profile's token gives a tenant,
 * merchant, store or organization meaning. Cross-party faults use them for logged-in users as
 * they use key bindings for API keys: a token naming another party, or a bound token sent to
 * another party's record.
 */
import { decodeJwt } from 'jose';
import type { BindingKind } from '../model/profile.ts';
import type { ResolvedCredential, ResolvedRoute } from '../model/resolved-profile.ts';
import type { OtherRecord } from '../scenario/scenario-model.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';
import { bindingClaims, otherPartyResource } from '../model/jwt-claims.ts';

export const BINDING_OF_OTHER: Record<Exclude<OtherRecord, 'otherEnvironment'>, BindingKind> = {
  otherTenant: 'tenant',
  otherMerchant: 'merchant',
  otherStore: 'store',
  otherOrganization: 'organization',
};

/**
 * On a route a JWT alone authenticates, a record of another party is refused only if the token
 * is bound to a party of that kind: a user of the whole tenant may read every merchant. The
 * token the run holds (obtained by logging in with the credentials' login) must name one, or the
 * requirement cannot be tested with these credentials (SKIP, naming what is missing).
 */
export function requireTokenBoundTo(
  route: ResolvedRoute,
  tokens: Record<string, string>,
  which: OtherRecord,
  bearer: string | undefined,
): void {
  const { credentials } = route;
  if (which === 'otherEnvironment' || credentials.length === 0) return;
  if (credentials.some((c) => c.kind !== 'jwt')) return;
  const kind = BINDING_OF_OTHER[which];
  for (const cred of credentials) {
    const token = tokens[cred.id] ?? (cred.in === 'bearer' ? bearer : undefined);
    const claims = bindingClaims(cred, kind);
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
  cred: ResolvedCredential,
  claims: Record<string, unknown>,
  kind: BindingKind,
  resources: Record<string, string> | undefined,
): Record<string, unknown> {
  const names = bindingClaims(cred, kind);
  if (names.length === 0)
    throw new MissingRoleError(`a ${kind} claim in the token of "${cred.id}"`);
  const resource = otherPartyResource(kind);
  const other = resources?.[resource];
  if (other === undefined) throw new MissingRoleError(`resources.${resource}`);
  return { ...claims, ...Object.fromEntries(names.map((n) => [n, other])) };
}
