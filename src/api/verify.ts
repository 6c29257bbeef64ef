/**
 * `verify()`: one conformance run, the one path every caller takes. The CLI turns argv into these
 * options and prints what comes back; `authconform/vitest`, the suites, the benchmarks and the
 * project's tests call it directly. It loads the profiles, credentials and scenarios, builds the
 * target, reads its clock, runs every applicable scenario and returns the run's record, from
 * which every report is rendered (secrets masked, the same totals and exit code in each).
 */
import { planRun } from '../engine/plan-run.ts';
import { runConformance } from '../engine/run-conformance.ts';
import { shardOfRun } from '../engine/shard-cases.ts';
import type { Verdict } from '../verdict/verdict.ts';
import { secretsOf } from '../secrets/mask-known-secrets.ts';
import {
  buildRunRecord,
  verdictMasker,
  type RunRecord,
  type ShardRecord,
} from '../report/run-record.ts';
import { writeReports } from '../report/write-reports.ts';
import { isInProcessApp } from '../targets/app-target.ts';
import { rerunCommand } from './rerun-command.ts';
import type { VerifyOptions, RunPlan } from './verify-options.ts';
import { prepareRun, type PreparedRun } from './prepare-run.ts';

export {
  DEFAULT_RUNS,
  type ReportOptions,
  type RunPlan,
  type RunStart,
  type VerifyOptions,
  type VerifyTarget,
} from './verify-options.ts';
export { scenariosOfRun } from './prepare-run.ts';

/**
 * Runs the conformance scenarios and returns the run's record. Reporters take the record:
 * `junitReport(record)`, `jsonReport(record)`, `markdownReport(record)`, `htmlReport(record)`.
 *
 * Throws `VerifyOptionError` for options that cannot be honoured and `SpecError` (with file, line
 * and column) for a profile, credentials or scenario file that does not validate; a target that
 * cannot be reached is not thrown but recorded (verdicts ERROR, `record.overall.exitCode` 3).
 *
 * @example
 * ```ts
 * import { verify, markdownReport } from 'authconform';
 *
 * const record = await verify({ profile: 'luxcore', target: 'mock', seed: 1 });
 * console.log(record.overall.banner, record.totals);
 * console.log(markdownReport(record));
 * ```
 */
export async function verify(options: VerifyOptions): Promise<RunRecord> {
  const run = await prepareRun(options, { dryRun: false });
  try {
    const all = planRun(run.profileRuns, run.scenarios, run.planOptions);
    // A shard runs its own cases; its record keeps the whole deal, for `authconform merge`.
    const shard = options.shard
      ? shardOfRun(run.profileRuns, all, options.shard, run.planOptions.maxWaitSeconds)
      : undefined;
    const planned = shard?.planned ?? all;
    options.onPlan?.(planned);
    const rerun = options.rerun ?? ((v: Verdict) => defaultRerun(v, options, run));
    const recorded = verdictMasker(
      run.profileRuns.flatMap((r) => secretsOf(r.creds)),
      run.targetRecord.url,
    );
    const onVerdict = options.onVerdict;
    options.onStart?.({
      profiles: run.loaded,
      target: run.targetRecord,
      scenarios: run.scenarios,
      runs: run.runs,
      seed: run.seed,
    });
    const started = new Date();
    const verdicts = await runConformance(run.profileRuns, run.scenarios, {
      runs: run.runs,
      seed: run.seed,
      ...(options.path !== undefined ? { path: options.path } : {}),
      maxWaitSeconds: run.planOptions.maxWaitSeconds,
      ...(onVerdict
        ? {
            onVerdict: (v: Verdict, done: number, total: number) =>
              onVerdict(recorded(v, rerun(v)), done, total),
          }
        : {}),
      ...(run.deadline ? { deadline: run.deadline } : {}),
      ...(shard ? { only: shard.only } : {}),
      ...(options.onWait ? { onWait: options.onWait } : {}),
    });
    const record = run.judged.judge(
      buildRunRecord({
        profiles: run.loaded,
        target: run.targetRecord,
        seed: run.seed,
        runs: run.runs,
        failOn: run.failOn,
        ...(run.certify ? { certify: run.certify } : {}),
        planned,
        ...(run.scenarioFilter !== undefined ? { scenarioFilter: run.scenarioFilter } : {}),
        verdicts: run.judged.waive(verdicts),
        rerun,
        secrets: run.profileRuns.flatMap((r) => secretsOf(r.creds)),
        startedAt: started,
        durationMs: Date.now() - started.getTime(),
        ...(options.scenarioDirs ? { scenarioDirs: options.scenarioDirs } : {}),
        ...(shard && options.shard ? { shard: { ...options.shard, cases: shard.cases } } : {}),
      }),
    );
    written.set(record, writeReports(record, run.reports));
    return record;
  } finally {
    await run.close();
  }
}

/**
 * What a run would do, sent nothing: per profile and scenario, how many cases would run, or why
 * it would SKIP or does not apply. Takes the same options as `verify()`, and throws as it does
 * (`VerifyOptionError`, `SpecError`); the target is built but never asked.
 *
 * @example
 * ```ts
 * import { planVerify } from 'authconform';
 *
 * const plan = await planVerify({ profile: 'gateway', target: 'mock' });
 * for (const p of plan.cases) console.log(p.profile, p.scenario.id, p.plan.kind);
 * ```
 */
export async function planVerify(options: VerifyOptions): Promise<{
  cases: RunPlan;
  seed: number;
  runs: number;
  target: string;
  /** With `shard`: every case of the whole run and the shard it is dealt to (`cases` are this shard's). */
  shard?: ShardRecord;
}> {
  const run = await prepareRun(options, { dryRun: true });
  try {
    const all = planRun(run.profileRuns, run.scenarios, run.planOptions);
    const shard = options.shard
      ? shardOfRun(run.profileRuns, all, options.shard, run.planOptions.maxWaitSeconds)
      : undefined;
    return {
      cases: shard?.planned ?? all,
      ...(shard && options.shard ? { shard: { ...options.shard, cases: shard.cases } } : {}),
      seed: run.seed,
      runs: run.runs,
      target: run.targetRecord.description,
    };
  } finally {
    await run.close();
  }
}

/**
 * The paths `verify()` wrote its reports to (the `reports` option), for a caller that prints
 * them; empty for a record made without `reports`, or by another call. Throws nothing.
 *
 * @example
 * ```ts
 * import { reportsWritten, verify } from 'authconform';
 *
 * const record = await verify({ profile: 'luxcore', reports: { dir: 'reports' } });
 * for (const file of reportsWritten(record)) console.log(`wrote ${file}`);
 * ```
 */
export function reportsWritten(record: RunRecord): readonly string[] {
  return written.get(record) ?? [];
}
const written = new WeakMap<RunRecord, readonly string[]>();

/** `npx authconform run ...` narrowed to one case, from the options of an API call. */
function defaultRerun(v: Verdict, o: VerifyOptions, run: PreparedRun): string {
  const target = o.target ?? 'mock';
  // An in-process app has no URL of its own: the rerun names the place of the app's.
  const argv = [
    '--target',
    typeof target === 'string'
      ? target
      : isInProcessApp(target)
        ? 'URL-OF-YOUR-APP'
        : run.targetRecord.url,
  ];
  if (typeof o.credentials === 'string') argv.push('--credentials', o.credentials);
  // Credentials given as an object have no file: the command names the place of one, or it
  // would be refused for lacking --credentials.
  else if (o.credentials !== undefined) argv.push('--credentials', 'YOUR-CREDENTIALS-FILE');
  if (o.fixtures !== undefined) argv.push('--fixtures', o.fixtures);
  if (o.resettable) argv.push('--resettable');
  if (o.timeoutMs !== undefined) argv.push('--timeout', String(o.timeoutMs));
  if (o.rate !== undefined) argv.push('--rate', String(o.rate));
  if (o.maxBodyBytes !== undefined) argv.push('--max-body', String(o.maxBodyBytes));
  if (o.maxWaitSeconds !== undefined) argv.push('--max-wait', String(o.maxWaitSeconds));
  if (o.maxTimeMs !== undefined) argv.push('--max-time', `${o.maxTimeMs / 1000}s`);
  // The state hooks' token stays out of the command: the CLI reads it from its variable.
  if (o.state !== undefined) argv.push('--state-url', o.state.url);
  for (const dir of o.scenarioDirs ?? []) argv.push('--scenarios', dir);
  return rerunCommand(v, {
    argv,
    values: { profile: run.profileArgs.get(v.profile) ?? v.profile, resettable: true },
    runs: run.runs,
    seed: run.seed,
  });
}
