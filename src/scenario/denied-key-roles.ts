/**
 * The key roles of the credentials whose key type a route refuses: for each type the profile's
 * key formats define and the route's `keyTypes` leave out, the key the credentials hold of that
 * type (keys.byType.<type>, else the role named like the type: system, publishable). Read off
 * the data, so every (route, key type) pair a profile declares is tested, whatever its family.
 */
import type { Credentials } from '../model/credentials.ts';
import type { ResolvedRoute, ResolvedProfile } from '../model/resolved-profile.ts';

/** Key types of the profile that the route refuses (none where the route allows every type). */
export function refusedKeyTypes(profile: ResolvedProfile, route: ResolvedRoute): string[] {
  if (!route.keyTypes) return [];
  const types = new Set(Object.values(profile.keyFormats ?? {}).map((f) => f.type));
  return [...types].filter((t) => !route.keyTypes!.includes(t));
}

/** The roles (byType.<type>, system, publishable) of keys whose type the route refuses. */
export function deniedKeyRoles(
  profile: ResolvedProfile,
  creds: Credentials,
  route: ResolvedRoute,
): string[] {
  const keys = creds.keys ?? {};
  const roles: string[] = [];
  for (const type of refusedKeyTypes(profile, route)) {
    if (keys.byType?.[type]) roles.push(`byType.${type}`);
    else {
      const named = (keys as Record<string, { type?: string } | undefined>)[type];
      if (named && (named.type === undefined || named.type === type)) roles.push(type);
    }
  }
  return roles;
}
