/**
 * `--shard i/n`: which profile x scenario cases of a run each of n machines runs. A case is the
 * unit (a stateful model or a rate window is never split); each gets a cost estimated from its
 * plan, and the cases are dealt out longest first to the least loaded shard (LPT), ties broken by
 * the case's place in the run. The deal reads nothing but the plan, so every machine given the
 * same profiles, scenarios, credentials and target deals the same cases to the same shard.
 */
import type { Scenario } from '../scenario/scenario-model.ts';
import type { ScenarioPlan } from '../verdict/scenario-plan.ts';
import type { ProfileRun } from './engine-context.ts';
import { longestRateWindow, spendsRateWindow } from './fresh-rate-window.ts';
import { faultHas } from './faults/registry.ts';
import { resolveReferences } from '../model/resolved-profile.ts';
import type { ShardedCase } from '../verdict/sharded-case.ts';

/** Exchanges a model sends per run (a drawn command sequence), against one of a property. */
const MODEL_EXCHANGES = 8;
/** A real second of waiting, in exchanges (a guest target answers in tens of milliseconds). */
const EXCHANGES_PER_SECOND = 20;

/**
 * What a case costs, in exchanges: its runs, a model's command sequences, a rate window spent
 * (its limit in requests on a target that can be reset, the window waited out on one that
 * cannot), a clock step waited out in real time. A case that SKIPs or does not apply costs 0.
 */
export function caseCost(
  run: ProfileRun,
  scenario: Scenario,
  plan: ScenarioPlan,
  maxWaitSeconds: number,
): number {
  if (plan.kind !== 'run') return 0;
  const profile = resolveReferences(run.profile);
  let perRun = scenario.model ? MODEL_EXCHANGES : 2;
  if (spendsRateWindow(scenario)) {
    // The window a case fills is the tightest one (a burst, or the smallest class): limit + 1.
    const limit = Math.min(
      ...Object.values(profile.rateLimits ?? {}).map((l) =>
        Math.min(l.limit, l.burst?.limit ?? l.limit),
      ),
    );
    perRun +=
      (Number.isFinite(limit) ? limit + 1 : 0) +
      (run.target.reset ? 0 : (longestRateWindow(profile) + 1) * EXCHANGES_PER_SECOND);
  }
  if (!run.target.advanceClock && faultHas(scenario.fault, 'movesClock'))
    perRun += maxWaitSeconds * EXCHANGES_PER_SECOND;
  return plan.runs * perRun;
}

/**
 * The cases of a planned run dealt to `count` shards: every case in exactly one, in the run's
 * order, each with its shard (1-based) and cost.
 */
export function shardCases(
  runs: readonly ProfileRun[],
  planned: readonly { profile: string; scenario: Scenario; plan: ScenarioPlan }[],
  count: number,
  maxWaitSeconds: number,
): ShardedCase[] {
  const runOf = new Map(runs.map((r) => [r.profile.id, r]));
  const cases = planned.map((p) => ({
    profile: p.profile,
    scenario: p.scenario.id,
    shard: 0,
    cost: caseCost(runOf.get(p.profile)!, p.scenario, p.plan, maxWaitSeconds),
  }));
  const load = new Array<number>(count).fill(0);
  const dealt = new Array<number>(count).fill(0);
  // Longest first; equal costs in the run's order (a stable sort keeps it). Among shards of equal
  // load the one with fewer cases: the cases that cost nothing (SKIP, not applicable) spread too.
  const order = cases.map((_, i) => i).sort((a, b) => cases[b]!.cost - cases[a]!.cost);
  for (const i of order) {
    let least = 0;
    for (let s = 1; s < count; s++)
      if (load[s]! < load[least]! || (load[s] === load[least] && dealt[s]! < dealt[least]!))
        least = s;
    cases[i]!.shard = least + 1;
    load[least]! += cases[i]!.cost;
    dealt[least]!++;
  }
  return cases;
}

/**
 * The planned cases of shard `index` of `count`, the deal of the whole run, and whether a case is
 * the shard's (for runConformance's `only`).
 */
export function shardOfRun<P extends { profile: string; scenario: Scenario; plan: ScenarioPlan }>(
  runs: readonly ProfileRun[],
  planned: readonly P[],
  shard: { index: number; count: number },
  maxWaitSeconds: number,
): { planned: P[]; cases: ShardedCase[]; only: (profile: string, scenario: string) => boolean } {
  const cases = shardCases(runs, planned, shard.count, maxWaitSeconds);
  const key = (profile: string, scenario: string) => `${profile}\0${scenario}`;
  const mine = new Set(
    cases.filter((c) => c.shard === shard.index).map((c) => key(c.profile, c.scenario)),
  );
  const only = (profile: string, scenario: string) => mine.has(key(profile, scenario));
  return { planned: planned.filter((p) => only(p.profile, p.scenario.id)), cases, only };
}
