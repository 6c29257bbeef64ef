/**
 * The machine-readable report: the run record as JSON, described by
 * specs/schemas/report.schema.json (named in its `$schema`, so editors and tools can check it).
 * A tool reads the overall verdict and exit code, the spec hashes a certificate cites, and every
 * verdict with all the fields the engine gave it.
 */
import type { RunRecord } from './run-record.ts';

export const REPORT_SCHEMA_ID = 'https://authconform.dev/schemas/report.schema.json';

/** Bumped when a field changes meaning or goes away; new optional fields do not bump it. */
export const REPORT_FORMAT_VERSION = 1;

export function jsonReport(record: RunRecord): string {
  const report = { $schema: REPORT_SCHEMA_ID, formatVersion: REPORT_FORMAT_VERSION, ...record };
  return JSON.stringify(report, null, 2) + '\n';
}
