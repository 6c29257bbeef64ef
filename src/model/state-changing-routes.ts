/**
 * Routes whose requests change the target's state beyond one case: lifecycle mutations and token
 * issuing (each exercised by its own stateful scenario) and routes that use up their record. The
 * generic scenarios and the stateful models read it from here, the one place that says which.
 */
import { routeConsumes, type Profile, type Route } from './profile.ts';

/** Lifecycle mutations and token issuing: exercised by their own model scenarios. */
export function ownedByStatefulScenarios(profile: Profile, route: Route): boolean {
  const lc = profile.lifecycle;
  const mutating = [lc?.create, lc?.revoke, lc?.rotate, lc?.delete].some(
    (op) => op?.route === route.id,
  );
  const issuing = Object.values(profile.tokens ?? {}).some(
    (t) => t.issue?.route === route.id || (t.kind === 'jwt' && t.refresh?.route === route.id),
  );
  return mutating || issuing;
}

/**
 * Routes the stateful models must not send as if repeatable: lifecycle mutations and logins
 * (exercised by their own scenarios) and routes that use up their record.
 */
export function changesState(profile: Profile, route: Route): boolean {
  return ownedByStatefulScenarios(profile, route) || routeConsumes(route);
}
