/**
 * Which routes create records and which use them up: read off the profile alone, for the engine
 * (fresh records per request), the loader's checks and the mock.
 */
import { routeConsumes, type Profile, type Route } from './profile.ts';
import { placeholderNames } from './resource-placeholders.ts';

/** The resources a consuming route uses up (its path ids and body references) that a route creates. */
export function consumedResources(profile: Profile, route: Route): string[] {
  if (!routeConsumes(route)) return [];
  const named = [
    ...Object.entries(route.params ?? {}).map(([, ref]) =>
      typeof ref === 'string' ? ref : ref.resource,
    ),
    ...[...route.path.matchAll(/\{([^}]+)\}/g)]
      .map((m) => m[1]!)
      .filter((name) => route.params?.[name] === undefined),
    ...placeholderNames(route.requestBody),
  ];
  return [...new Set(named)].filter((r) => creatorOf(profile, r) !== undefined);
}

/** The route that creates records of `resource`, if the profile has one (resolved if it is). */
export function creatorOf<R extends Route>(
  profile: Omit<Profile, 'routes'> & { routes: R[] },
  resource: string,
): R | undefined {
  return profile.routes.find((r) => r.creates?.resource === resource);
}
