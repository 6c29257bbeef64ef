/** Which credential of a route plays a part a scenario asks about, read from the profile alone. */
import type { Credential } from './profile.ts';
import type { ResolvedCredential, ResolvedRoute } from './resolved-profile.ts';

/** The route's API-key credential that is also accepted in a place of kind `where`, and that place. */
export function alsoInCredential(
  route: ResolvedRoute,
  where: 'body' | 'header',
):
  { credential: ResolvedCredential; place: NonNullable<Credential['alsoIn']>[number] } | undefined {
  for (const credential of route.credentials) {
    if (credential.kind !== 'api_key') continue;
    if (credential.in !== 'header' && credential.in !== 'authorization') continue;
    const place = credential.alsoIn?.find((p) => p.in === where);
    if (place) return { credential, place };
  }
  return undefined;
}
