/**
 * `authconform merge DIR... [--report DIR] [--junit|--json|--markdown|--html FILE]`: the reports
 * of the N shards of a `run --shard I/N` (each folder's report.json) joined into the reports of
 * the whole run (src/report/merge-shards.ts), printed as `run` prints a run, with the exit code
 * an unsharded run gives: 0 pass, 1 a requirement failed, 3 a case could not be asked; 2 for a
 * report that is missing or not one, or shards of different runs.
 */
import { waiversAndBaseline } from '../api/waivers-baseline.ts';
import { mergeShardReports } from '../report/merge-shards.ts';
import type { RunRecord } from '../report/run-record.ts';
import { loadScenarios } from '../scenario/load-scenarios.ts';
import { prepareReportFiles, reportFiles, writeReports } from '../report/write-reports.ts';
import { recordSummary } from './record-summary.ts';
import { parseCommandArgs, UsageError } from './usage-error.ts';

export function runMerge(argv: string[], out: NodeJS.WritableStream): number {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      report: { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      html: { type: 'string' },
      waivers: { type: 'string' },
      baseline: { type: 'string' },
      'fail-on': { type: 'string' },
    },
    true,
  );
  if (positionals.length === 0)
    throw new UsageError(
      "give each shard's report folder (or its report.json): authconform merge DIR... [--report DIR]",
    );
  const record = judgedMerge(positionals, values);
  const files = reportFiles(values.report, values);
  try {
    prepareReportFiles(files);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  out.write(
    `authconform merge: ${positionals.length} shard(s) of one run, ${record.verdicts.length} verdict(s)\n`,
  );
  out.write(recordSummary(record, writeReports(record, files)));
  return record.overall.exitCode;
}

/**
 * The shards' verdicts joined, then judged as `run` judges a whole run: --waivers, --baseline and
 * --fail-on new are the whole run's, so a shard refuses them and merge takes them.
 */
function judgedMerge(
  paths: string[],
  flags: { waivers?: string | undefined; baseline?: string | undefined; 'fail-on'?: string },
): RunRecord {
  if (flags['fail-on'] !== undefined && flags['fail-on'] !== 'new')
    throw new UsageError(
      `--fail-on ${flags['fail-on']}: a merged run fails on what its shards were run with; merge takes only --fail-on new (with --baseline)`,
    );
  if (flags.waivers === undefined && flags.baseline === undefined && !flags['fail-on'])
    return mergeShardReports(paths);
  let judged: ReturnType<typeof waiversAndBaseline> | undefined;
  const record = mergeShardReports(paths, (verdicts, scenarios) => {
    judged = waiversAndBaseline(flags, {
      profiles: [...new Set(verdicts.map((v) => v.profile))],
      scenarios,
      allScenarios: [...new Set([...loadScenarios().map((s) => s.id), ...scenarios])],
    });
    return judged.waive(verdicts);
  });
  if (judged!.failOnNew && record.failOn !== 'must')
    throw new UsageError(
      `--fail-on new: the shards were run with --fail-on ${record.failOn}; run them with the default (must)`,
    );
  return judged!.judge(record);
}
