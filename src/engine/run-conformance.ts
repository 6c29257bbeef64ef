/**
 * A whole run: every applicable scenario on every profile against one target each, in a fixed
 * order, each property with its own seed derived from the run's seed, so a run is reproducible
 * and a single case can be replayed with --scenario, --seed and --path.
 */
import { createHash } from 'node:crypto';
import type { Credentials } from '../model/credentials.ts';
import type { Profile } from '../model/profile.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { schemaRegistry } from '../spec/schema-registry.ts';
import type { Target } from '../targets/target.ts';
import type { RunDeadline } from '../targets/run-deadline.ts';
import { runScenario, scenarioApplies } from './run-scenario.ts';
import type { ProfileRun } from './engine-context.ts';
import { resolveReferences } from '../model/resolved-profile.ts';
import { deadlineVerdict, stoppedVerdict, untilDeadline } from './deadline-verdicts.ts';
import { runReachability, stopWhenUnreachable } from './stop-when-unreachable.ts';
import { windowSpendersLast } from './fresh-rate-window.ts';
import { rateLedger } from './rate-ledger.ts';
import { pacedTarget } from './paced-target.ts';
import { realWaitClock, type WaitClock, type WaitNotice } from './wait-clock.ts';
import { planScenario } from './plan-run.ts';
import { engineContext, type GuestPacing } from './engine-context.ts';
import type { Verdict } from '../verdict/verdict.ts';

export interface RunOptions {
  runs: number;
  seed: number;
  path?: string;
  /** Longest real wait for one step where the target's clock cannot be moved (default 30 s). */
  maxWaitSeconds?: number;
  onVerdict?: (v: Verdict, done: number, total: number) => void;
  /** When it passes, the case in flight and every later one are ERROR (`--max-time`). */
  deadline?: RunDeadline;
  /** The time pacing and rate-window waits are taken in (default: real time). */
  clock?: WaitClock;
  /** Told of each wait long enough to notice: the progress output shows a countdown. */
  onWait?: (w: WaitNotice) => void;
  /** The cases to run (a `--shard`'s); default: every profile x scenario. */
  only?: (profileId: string, scenarioId: string) => boolean;
}

/** The seed of one property: stable for (run seed, profile, scenario). */
export function propertySeed(seed: number, profileId: string, scenarioId: string): number {
  return createHash('sha256').update(`${seed}:${profileId}:${scenarioId}`).digest().readInt32BE(0);
}

export async function runConformance(
  runs: ProfileRun[],
  scenarios: Scenario[],
  opts: RunOptions,
): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  const only = opts.only ?? (() => true);
  const total = runs.reduce(
    (n, r) => n + scenarios.filter((sc) => only(r.profile.id, sc.id)).length,
    0,
  );
  let done = 0;
  const order = new Map(scenarios.map((s, i) => [s, i]));
  for (const run of runs) {
    const { creds } = run;
    const profile = resolveReferences(run.profile);
    // A guest target (no reset, not started for this run) is paced below its rate limits.
    const clock = opts.clock ?? realWaitClock;
    const guest: GuestPacing | undefined =
      run.target.reset || run.target.startsFresh
        ? undefined
        : {
            ledger: rateLedger(profile, creds, clock.now()),
            clock,
            ...(opts.onWait ? { onWait: opts.onWait } : {}),
          };
    const reach = runReachability(
      guest ? pacedTarget(run.target, guest.ledger, clock, guest.onWait) : run.target,
    );
    const target = reach.target;
    const first = verdicts.length;
    for (const scenario of windowSpendersLast(scenarios, run.target)) {
      if (!only(profile.id, scenario.id)) continue;
      const seed = propertySeed(opts.seed, profile.id, scenario.id);
      const started = Date.now();
      const late = (when: 'ran' | 'finished') =>
        scenarioApplies(profile, scenario)
          ? deadlineVerdict(opts.deadline!, when, profile, scenario, {
              runs: Math.min(opts.runs, scenario.maxRuns ?? Infinity),
              seed,
              durationMs: Date.now() - started,
            })
          : null;
      const unreachable = reach.unreachable();
      let v: Verdict | null;
      if (opts.deadline?.signal.aborted) v = late('ran');
      else if (
        unreachable &&
        planScenario(engineContext({ ...run, registry: schemaRegistry() }), scenario, opts.runs)
          .kind === 'run'
      )
        v = stoppedVerdict(
          `not run: the target is unreachable (${unreachable.message})`,
          profile,
          scenario,
          {
            runs: Math.min(opts.runs, scenario.maxRuns ?? Infinity),
            seed,
            durationMs: 0,
          },
        );
      else {
        const ran = await untilDeadline(
          runScenario(
            {
              profile,
              creds,
              target: stopWhenUnreachable(target),
              registry: schemaRegistry(),
              ...(opts.maxWaitSeconds !== undefined ? { maxWaitSeconds: opts.maxWaitSeconds } : {}),
              ...(guest ? { guest } : {}),
            },
            scenario,
            { runs: opts.runs, seed, ...(opts.path ? { path: opts.path } : {}) },
          ),
          opts.deadline,
        );
        // An ERROR once the deadline passed is the deadline's doing (its exchange was aborted).
        v =
          ran === 'deadline' || (ran?.status === 'ERROR' && opts.deadline?.signal.aborted)
            ? late('finished')
            : ran;
      }
      done++;
      if (v) {
        verdicts.push(v);
        opts.onVerdict?.(v, done, total);
      }
    }
    // Reported in the scenarios' own order, whatever order they ran in.
    const ran = verdicts.splice(first);
    const index = new Map(scenarios.map((s) => [s.id, order.get(s)!]));
    verdicts.push(...ran.sort((a, b) => index.get(a.scenario)! - index.get(b.scenario)!));
  }
  return verdicts;
}
