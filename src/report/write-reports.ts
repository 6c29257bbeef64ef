/**
 * Where the reports of a run go: `--report DIR` writes all four formats under their usual names,
 * `--junit/--json/--markdown/--html FILE` one each (both may be given). In GitHub Actions
 * (GITHUB_STEP_SUMMARY set) the Markdown summary is also appended to the job summary.
 */
import { appendFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunRecord } from './run-record.ts';
import { junitReport } from './junit-report.ts';
import { jsonReport } from './json-report.ts';
import { markdownReport } from './markdown-report.ts';
import { htmlReport } from './html-report.ts';

export const REPORT_FORMATS = {
  junit: { file: 'junit.xml', render: junitReport },
  json: { file: 'report.json', render: jsonReport },
  markdown: { file: 'summary.md', render: markdownReport },
  html: { file: 'report.html', render: htmlReport },
} as const;

export type ReportFormat = keyof typeof REPORT_FORMATS;

export interface ReportFile {
  format: ReportFormat;
  path: string;
}

/** The files asked for: every format under `dir`, plus any single-format paths. */
export function reportFiles(
  dir: string | undefined,
  single: Partial<Record<ReportFormat, string>>,
): ReportFile[] {
  const formats = Object.keys(REPORT_FORMATS) as ReportFormat[];
  const files: ReportFile[] = dir
    ? formats.map((format) => ({ format, path: join(dir, REPORT_FORMATS[format].file) }))
    : [];
  for (const format of formats) {
    const path = single[format];
    if (path !== undefined) files.push({ format, path });
  }
  return files;
}

/**
 * Creates the folders the files go in, before the run: a path that cannot be written is found
 * in a second, not after a long run. Throws an Error naming the file and the reason.
 */
export function prepareReportFiles(files: readonly ReportFile[]): void {
  for (const { format, path } of files) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw new Error(
        `cannot create the folder for the ${format} report ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    if (isDirectory(path))
      throw new Error(`the ${format} report ${path} is a folder; give a file name`);
  }
}

/** Writes each file; returns every path written, the job summary included. */
export function writeReports(
  record: RunRecord,
  files: readonly ReportFile[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const written: string[] = [];
  for (const { format, path } of files) {
    writeFileSync(path, REPORT_FORMATS[format].render(record));
    written.push(path);
  }
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary) {
    appendFileSync(summary, markdownReport(record) + '\n');
    written.push(summary);
  }
  return written;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
