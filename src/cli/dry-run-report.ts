/**
 * `run --dry-run`: what would run against what, read off the run's plan (src/engine/plan-run.ts),
 * before any request: per profile, the scenarios that would run with their cases, those that
 * would SKIP and those that do not apply, each with its reason, and the totals.
 */
import type { ScenarioPlan } from '../verdict/scenario-plan.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import type { ShardRecord } from '../report/run-record.ts';

export interface PlannedPair {
  profile: string;
  scenario: Scenario;
  plan: ScenarioPlan;
}

export function dryRunReport(
  planned: readonly PlannedPair[],
  run: { target: string; seed: number; seedGiven: boolean; runs: number; shard?: ShardRecord },
): string {
  const lines = [
    `dry run: nothing is sent to ${run.target}`,
    `seed ${run.seed}${run.seedGiven ? '' : ' (drawn for this dry run; pass --seed N to fix it)'}, ${run.runs} runs per property`,
  ];
  if (run.shard) {
    const { index, count, cases } = run.shard;
    const cost = (i: number) =>
      cases.filter((c) => c.shard === i).reduce((sum, c) => sum + c.cost, 0);
    const others = Array.from({ length: count }, (_, i) => i + 1).filter((i) => i !== index);
    lines.push(
      `shard ${index}/${count}: ${planned.length} of ${cases.length} profile x scenario case(s), estimated cost ${cost(index)} exchange(s)` +
        (others.length > 0 ? ` (${others.map((i) => `shard ${i}: ${cost(i)}`).join(', ')})` : ''),
    );
  }
  const profiles = [...new Set(planned.map((p) => p.profile))];
  const count = (ps: readonly PlannedPair[], kind: ScenarioPlan['kind']) =>
    ps.filter((p) => p.plan.kind === kind).length;
  for (const profile of profiles) {
    const mine = planned.filter((p) => p.profile === profile);
    const width = Math.max(...mine.map((p) => p.scenario.id.length));
    lines.push(
      '',
      `${profile}: ${count(mine, 'run')} would run, ${count(mine, 'skip')} would SKIP, ${count(mine, 'not-applicable')} not applicable (of ${mine.length} selected)`,
    );
    for (const kind of ['run', 'skip', 'not-applicable'] as const) {
      for (const { scenario, plan } of mine.filter((p) => p.plan.kind === kind)) {
        const what =
          plan.kind === 'run'
            ? `${plan.runs} case(s)${plan.routes.length > 0 ? ` over ${plan.routes.length} route(s)` : ' (a model: drawn command sequences)'}`
            : plan.reason;
        lines.push(
          `  ${LABEL[kind]} ${scenario.id.padEnd(width)}  ${scenario.severity.padEnd(6)} ${what}`,
        );
        if (plan.kind === 'run')
          for (const maybe of plan.maySkip ?? [])
            lines.push(`  ${' '.repeat(width + 7)}  may SKIP: ${maybe}`);
      }
    }
  }
  lines.push(
    '',
    `total: ${count(planned, 'run')} would run, ${count(planned, 'skip')} would SKIP, ${count(planned, 'not-applicable')} not applicable`,
  );
  return lines.join('\n') + '\n';
}

const LABEL: Record<ScenarioPlan['kind'], string> = {
  run: 'run ',
  skip: 'SKIP',
  'not-applicable': 'n/a ',
};
