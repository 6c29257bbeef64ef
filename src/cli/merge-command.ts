/**
 * `authconform merge DIR... [--report DIR] [--junit|--json|--markdown|--html FILE]`: the reports
 * of the N shards of a `run --shard I/N` (each folder's report.json) joined into the reports of
 * the whole run (src/report/merge-shards.ts), printed as `run` prints a run, with the exit code
 * an unsharded run gives: 0 pass, 1 a requirement failed, 3 a case could not be asked; 2 for a
 * report that is missing or not one, or shards of different runs.
 */
import { mergeShardReports } from '../report/merge-shards.ts';
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
    },
    true,
  );
  if (positionals.length === 0)
    throw new UsageError(
      "give each shard's report folder (or its report.json): authconform merge DIR... [--report DIR]",
    );
  const record = mergeShardReports(positionals);
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
