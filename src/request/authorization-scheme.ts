/**
 * Credentials that travel as `Authorization: <scheme> <value>` (RFC 9110 §11.6.2): the scheme
 * word a credential is sent with, and HTTP Basic's value (RFC 7617 §2: base64 of `id:secret`).
 */
import type { Credential } from '../model/profile.ts';
import type { ResolvedCredential, ResolvedRoute } from '../model/resolved-profile.ts';
import { MissingRoleError } from './missing-role-error.ts';

/** The scheme word the credential is sent after, or undefined when it has its own header or field. */
export function schemeWord(cred: Credential): string | undefined {
  if (cred.in === 'bearer') return 'Bearer';
  if (cred.in === 'authorization') return cred.scheme ?? 'Basic';
  return undefined;
}

/** The route's credential that travels after an `Authorization` scheme word (not Bearer). */
export function authorizationCredential(route: ResolvedRoute): ResolvedCredential | undefined {
  return route.credentials.find((c) => c.in === 'authorization');
}

/** The route's HTTP Basic credential. */
export function basicCredential(route: ResolvedRoute): ResolvedCredential | undefined {
  return route.credentials.find((c) => c.kind === 'basic');
}

/** Basic credentials: base64 of the user id, a colon and the secret (RFC 7617 §2). */
export function basicValue(id: string, secret: string): string {
  return Buffer.from(`${id}:${secret}`, 'utf8').toString('base64');
}

/** The scheme word of the route's Authorization credential (ApiKey, Basic...). */
export function routeSchemeWord(route: ResolvedRoute): string {
  const cred = authorizationCredential(route);
  if (cred === undefined)
    throw new MissingRoleError(`a credential of route ${route.id} sent after a scheme word`);
  return schemeWord(cred)!;
}
