/**
 * What `run` and `merge` print once the record is made: each failure with its replay, the
 * coverage, the verdict table, waivers and baseline, the seed, the reports written and the
 * overall verdict. All of it comes from the record: secrets masked, the same verdicts, totals and
 * exit code as in every report.
 */
import { waiversAndBaselineText } from '../api/waivers-baseline.ts';
import { failureDetails, summaryTable } from '../report/console-report.ts';
import { coverageText } from '../report/coverage.ts';
import { escapeControls } from '../report/escape-controls.ts';
import type { RunRecord } from '../report/run-record.ts';

export function recordSummary(record: RunRecord, written: readonly string[]): string {
  let text = '';
  for (const v of record.verdicts.filter((x) => x.status === 'FAIL'))
    text += '\n' + failureDetails(v, v.rerun);
  text += '\n' + coverageText(record.coverage) + '\n' + summaryTable(record.verdicts);
  text += waiversAndBaselineText(record);
  text += `seed ${record.seed}, ${(record.durationMs / 1000).toFixed(1)} s\n`;
  for (const path of written) text += `report written: ${path}\n`;
  return text + escapeControls(`${record.overall.banner}: ${record.overall.reason}`) + '\n';
}
