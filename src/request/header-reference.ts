/**
 * Header references of the scenario format, resolved against a profile's route: `credential`
 * (the header carrying the route's API key, else its first credential: Authorization for a
 * bearer or scheme-word credential), `credential:jwt` (the header of the route's JWT, beside any
 * key), `binding:KIND` (the binding's header), or a literal header name.
 */
import type { BindingKind, Profile } from '../model/profile.ts';
import {
  bindingOf,
  type ResolvedCredential,
  type ResolvedRoute,
} from '../model/resolved-profile.ts';
import { MissingRoleError } from './missing-role-error.ts';

/** credential | credential:jwt | binding:KIND | a literal header name (a signing scheme's parts are its signer's). */
export function headerName(profile: Profile, route: ResolvedRoute, ref: string): string {
  if (ref === 'credential') return headerOf(routeKeyCredential(route));
  // The route's bearer JWT, even where an API key travels beside it.
  if (ref === 'credential:jwt') return headerOf(routeJwtCredential(route));
  if (ref.startsWith('binding:')) return bindingOf(profile, ref.slice(8) as BindingKind).name!;
  return ref;
}

/** The credential `credential` names: the route's API key (or Basic), else its first. */
export function routeKeyCredential(route: ResolvedRoute): ResolvedCredential {
  const { credentials } = route;
  const cred =
    credentials.find((c) => c.kind === 'api_key' || c.kind === 'basic') ?? credentials[0];
  if (cred === undefined) throw new MissingRoleError(`a credential on route ${route.id}`);
  return cred;
}

/** The route's JWT credential. */
export function routeJwtCredential(route: ResolvedRoute): ResolvedCredential {
  const cred = route.credentials.find((c) => c.kind === 'jwt');
  if (!cred) throw new MissingRoleError(`a JWT credential on route ${route.id}`);
  return cred;
}

function headerOf(cred: ResolvedCredential): string {
  return cred.in === 'bearer' || cred.in === 'authorization' ? 'Authorization' : cred.name!;
}
