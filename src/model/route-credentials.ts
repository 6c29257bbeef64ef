/** Which credential of a route plays a part a scenario asks about, read from the profile alone. */
import type { Profile, Route } from './profile.ts';

/** The route's API-key credential id that is also accepted in a place of kind `where`. */
export function alsoInCredential(
  profile: Profile,
  route: Route,
  where: 'body' | 'header',
): string | undefined {
  if (route.auth === 'public') return undefined;
  return route.auth
    .flatMap((a) => (Array.isArray(a) ? a : [a]))
    .find((id) => {
      const c = profile.credentials[id]!;
      return (
        c.kind === 'api_key' &&
        (c.in === 'header' || c.in === 'authorization') &&
        c.alsoIn?.some((p) => p.in === where)
      );
    });
}
