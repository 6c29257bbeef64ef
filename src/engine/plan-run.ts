/**
 * What a run would do, decided before a request is sent: for each profile and scenario, whether
 * it runs (and how many cases), is SKIPPED (a credentials role or resource is missing) or does not
 * apply (the profile lacks a capability, or has no route to draw). runScenario takes the same
 * decisions from here, so `run --dry-run` cannot promise what the run does not do.
 */
import { routeConsumes } from '../model/profile.ts';
import type { ResolvedRoute, ResolvedProfile } from '../model/resolved-profile.ts';
import type { Credentials } from '../model/credentials.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { missingRoleFor, profileCapabilities } from '../scenario/capabilities.ts';
import { routesFor, routesOfProfile, signingPartsReason } from '../scenario/route-filter.ts';
import { freshRecordsCallable, freshRecordsPossible } from './fresh-records.ts';
import { rateWindowPolicy } from './fresh-rate-window.ts';
import { modelApplies } from './stateful/run-model-scenario.ts';
import { engineContext, type EngineContext, type ProfileRun } from './engine-context.ts';
import { ownedByStatefulScenarios } from '../model/state-changing-routes.ts';
import type { Target } from '../targets/target.ts';
import { schemaRegistry } from '../spec/schema-registry.ts';
import type { ScenarioPlan } from '../verdict/scenario-plan.ts';
import { faultHas } from './faults/registry.ts';

/** The decision runScenario takes before its first request, with its reason. */
export function planScenario(ctx: EngineContext, scenario: Scenario, runs: number): ScenarioPlan {
  const { profile, creds } = ctx;
  const caps = profileCapabilities(profile);
  const lacking = scenario.requires.filter((c) => !caps.has(c));
  if (lacking.length > 0)
    return { kind: 'not-applicable', reason: `the profile has no ${lacking.join(', ')}` };
  // What the profile alone rules out is not applicable, whatever the credentials hold.
  const candidates = scenario.model
    ? []
    : routesOfProfile(profile, scenario.routes).filter((r) => drawable(profile, scenario, r));
  if (!scenario.model && candidates.length === 0)
    return {
      kind: 'not-applicable',
      reason:
        signingPartsReason(profile, scenario.routes) ??
        'no route of the profile fits its route filter',
    };
  for (const cap of scenario.requires) {
    const role = missingRoleFor(cap, creds);
    if (role) return { kind: 'skip', reason: `the credentials have no ${role}` };
  }
  const cases = scenarioRuns(ctx.target, profile, scenario, runs);
  if (scenario.model) {
    return modelApplies(ctx, scenario.model)
      ? { kind: 'run', runs: cases, routes: [] }
      : {
          kind: 'not-applicable',
          reason: `the profile offers nothing the ${scenario.model} model can drive`,
        };
  }
  const routes = routesFor(profile, creds, scenario.routes).filter(
    (r) =>
      drawable(profile, scenario, r) &&
      (!routeConsumes(r) || freshRecordsCallable(profile, creds, r)),
  );
  if (routes.length === 0)
    return {
      kind: 'skip',
      reason: `none of ${candidates.map((r) => r.id).join(', ')} can be called for it with the credentials given (a key role or resource it needs is missing)`,
    };
  const unbuildable = new Map<string, string[]>();
  for (const r of routes) {
    const role = roleMissingForRoute(creds, r);
    if (role) unbuildable.set(role, [...(unbuildable.get(role) ?? []), r.id]);
  }
  return {
    kind: 'run',
    runs: cases,
    routes,
    ...(unbuildable.size > 0
      ? {
          maySkip: [...unbuildable].map(
            ([role, ids]) => `${ids.join(', ')} need(s) ${role}, which the credentials lack`,
          ),
        }
      : {}),
  };
}

/** What a route's positive request needs that the credentials lack, found without building it. */
function roleMissingForRoute(creds: Credentials, route: ResolvedRoute): string | undefined {
  if (route.signing !== undefined && !creds.hmac) return 'hmac';
  for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
    const ref = route.params?.[name!];
    const resource = ref === undefined ? name! : typeof ref === 'string' ? ref : ref.resource;
    if (creds.resources?.[resource] === undefined) return `resources.${resource}`;
  }
  return undefined;
}

/** Cases of one property: --runs, capped by the scenario and by what the target allows. */
export function scenarioRuns(
  target: Target,
  profile: ResolvedProfile,
  scenario: Scenario,
  runs: number,
): number {
  const policy = rateWindowPolicy(profile, scenario, target);
  const realWaits = !target.advanceClock && faultHas(scenario.fault, 'movesClock');
  return Math.min(
    runs,
    scenario.maxRuns ?? Infinity,
    policy.runs ?? Infinity,
    // A clock step on a target whose clock cannot be moved is waited out in real time: one case.
    realWaits ? 1 : Infinity,
  );
}

/** Every (profile, scenario) pair of a run, planned; nothing is sent. */
export function planRun(
  runs: readonly ProfileRun[],
  scenarios: readonly Scenario[],
  opts: { runs: number; maxWaitSeconds?: number },
): { profile: string; scenario: Scenario; plan: ScenarioPlan }[] {
  return runs.flatMap((r) => {
    const ctx = engineContext({
      ...r,
      registry: schemaRegistry(),
      ...(opts.maxWaitSeconds !== undefined ? { maxWaitSeconds: opts.maxWaitSeconds } : {}),
    });
    return scenarios.map((scenario) => ({
      profile: r.profile.id,
      scenario,
      plan: planScenario(ctx, scenario, opts.runs),
    }));
  });
}

/**
 * Whether a generic scenario draws the route. A route that uses up its record is drawn when each
 * request can be given a fresh one, except to spend a rate window (the creations would count).
 */
export function drawable(
  profile: ResolvedProfile,
  scenario: Scenario,
  route: ResolvedRoute,
): boolean {
  // A client-credentials grant issues no refresh token and spends nothing: its own scenarios ask it.
  if (scenario.routes?.tokenEndpoint !== undefined) return true;
  if (ownedByStatefulScenarios(profile, route)) return false;
  if (!routeConsumes(route)) return true;
  return freshRecordsPossible(profile, route) && !faultHas(scenario.fault, 'spendsRateWindow');
}
