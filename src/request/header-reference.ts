/**
 * Header references of the scenario format, resolved against a profile's route: `credential`
 * (the header carrying the route's API key, else its first credential: Authorization for a
 * bearer or scheme-word credential), `credential:jwt` (the header of the route's JWT, beside any
 * key), `binding:KIND` (the binding's header), or a literal header name.
 */
import type { Profile, Route } from '../model/profile.ts';
import { MissingRoleError } from './missing-role-error.ts';

/** credential | credential:jwt | binding:KIND | a literal header name (a signing scheme's parts are its signer's). */
export function headerName(profile: Profile, route: Route, ref: string): string {
  if (ref === 'credential') {
    const ids =
      route.auth === 'public' ? [] : route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
    const cred =
      ids
        .map((id) => profile.credentials[id]!)
        .find((c) => c.kind === 'api_key' || c.kind === 'basic') ?? profile.credentials[ids[0]!]!;
    return cred.in === 'bearer' || cred.in === 'authorization' ? 'Authorization' : cred.name!;
  }
  if (ref === 'credential:jwt') {
    // The route's bearer JWT, even where an API key travels beside it.
    const cred = profile.credentials[routeJwtCredential(profile, route)]!;
    return cred.in === 'bearer' || cred.in === 'authorization' ? 'Authorization' : cred.name!;
  }
  if (ref.startsWith('binding:')) return profile.bindings![ref.slice(8) as 'tenant']!.name!;
  return ref;
}

/** The id of the route's JWT credential. */
export function routeJwtCredential(profile: Profile, route: Route): string {
  const ids =
    route.auth === 'public' ? [] : route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
  const credId = ids.find((id) => profile.credentials[id]!.kind === 'jwt');
  if (!credId) throw new MissingRoleError(`a JWT credential on route ${route.id}`);
  return credId;
}
