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
import { deadlineVerdict, untilDeadline } from './deadline-verdicts.ts';
import { stopWhenUnreachable } from './stop-when-unreachable.ts';
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
  for (const run of runs) {
    const { creds, target } = run;
    const profile = resolveReferences(run.profile);
    for (const scenario of scenarios) {
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
      let v: Verdict | null;
      if (opts.deadline?.signal.aborted) v = late('ran');
      else {
        const ran = await untilDeadline(
          runScenario(
            {
              profile,
              creds,
              target: stopWhenUnreachable(target),
              registry: schemaRegistry(),
              ...(opts.maxWaitSeconds !== undefined ? { maxWaitSeconds: opts.maxWaitSeconds } : {}),
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
  }
  return verdicts;
}
