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

/**
 * JSON.stringify writes C0 controls and lone surrogates as \u escapes but DEL, C1 controls and
 * format characters (bidi overrides, zero-width characters) raw, and `cat report.json` would hand
 * those to the terminal. They can only stand inside strings, where \uXXXX is the same data.
 */
const RAW_IN_JSON = /[\x7f-\x9f\p{Cf}\u2028\u2029]/gu;

/**
 * The record as JSON (report.json), with `$schema` and `formatVersion` first: secrets masked as
 * in every report, characters a terminal would act on written as \u escapes. Pure; throws nothing.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { jsonReport, verify } from 'authconform';
 *
 * const record = await verify({ profile: 'vaulera', target: 'mock' });
 * writeFileSync('report.json', jsonReport(record));
 * ```
 */
export function jsonReport(record: RunRecord): string {
  const report = { $schema: REPORT_SCHEMA_ID, formatVersion: REPORT_FORMAT_VERSION, ...record };
  return (
    JSON.stringify(report, null, 2).replace(RAW_IN_JSON, (c) =>
      c
        .split('')
        .map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join(''),
    ) + '\n'
  );
}
