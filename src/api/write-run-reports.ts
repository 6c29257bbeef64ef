/**
 * Writes a run's reports where `ReportOptions` says (every format under `dir`, and/or one file
 * per format), making their folders; returns every path written. For a caller that rendered
 * nothing itself: `verify({ reports })` writes the same files when the run ends.
 */
import type { RunRecord } from '../report/run-record.ts';
import { prepareReportFiles, reportFiles, writeReports } from '../report/write-reports.ts';
import type { ReportOptions } from './verify.ts';

/**
 * Writes the record's reports: with `dir`, every format under it (junit.xml, report.json,
 * summary.md, report.html); with `junit`, `json`, `markdown` or `html`, that one file. Makes the
 * folders; returns the paths written. In GitHub Actions (GITHUB_STEP_SUMMARY set) the Markdown
 * summary is also appended to the job summary, and its path returned too. Throws an `Error` naming the path when a folder cannot be
 * made or a file cannot be written.
 *
 * @example
 * ```ts
 * import { verify, writeRunReports } from 'authconform';
 *
 * const record = await verify({ profile: 'vaulera', target: 'mock', seed: 1 });
 * writeRunReports(record, { dir: 'reports' }); // junit.xml, report.json, summary.md, report.html
 * ```
 */
export function writeRunReports(record: RunRecord, where: ReportOptions): string[] {
  const files = reportFiles(where.dir, where);
  prepareReportFiles(files);
  return writeReports(record, files);
}
