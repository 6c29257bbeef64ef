/**
 * `--fail-on must|should|skip` and `--certify`, read from the run's flags.
 *
 * --fail-on skip fails the run on a MUST failure and on a MUST that applied but was not checked in
 * full (SKIP: a credentials role missing; PARTIAL: part of it could not be checked, e.g. a clock
 * that cannot be moved). --certify is the preset of a certification run, whose PASS a partner
 * hands over: --fail-on skip, over the whole suite at no fewer than the default runs per
 * property, with the reports written. So it refuses what would make its PASS say less than it
 * seems to: --scenario, --exclude and --path (part of the suite), --runs below the default,
 * --fail-on other than skip, and no report to hand over.
 */
import type { FailOn } from '../report/run-record.ts';
import { VerifyOptionError } from './verify-error.ts';

const FAIL_ON: readonly string[] = ['must', 'should', 'skip'];

export interface CertifyFlags {
  'fail-on'?: string | undefined;
  certify?: boolean | undefined;
  scenario?: string | undefined;
  exclude?: string[] | undefined;
  path?: string | undefined;
  /** Whether any report flag (--report, --json, --html, --junit, --markdown) was given. */
  reports: boolean;
  runs: number;
  defaultRuns: number;
  /** Whether --fail-on was given on the command line (not the default). */
  failOnGiven: boolean;
}

export function failOnAndCertify(flags: CertifyFlags): { failOn: FailOn; certify: boolean } {
  const failOn = flags['fail-on'] ?? 'must';
  if (!FAIL_ON.includes(failOn))
    throw new VerifyOptionError(`--fail-on must be "must", "should" or "skip", got "${failOn}"`);
  if (!flags.certify) return { failOn: failOn as FailOn, certify: false };
  const refuse = (what: string) => {
    throw new VerifyOptionError(
      `--certify runs the whole suite and fails on any MUST not checked: ${what}`,
    );
  };
  if (flags.failOnGiven && failOn !== 'skip')
    refuse(`it sets --fail-on skip; drop --fail-on ${failOn}`);
  if (flags.scenario !== undefined) refuse('drop --scenario (a certificate covers every scenario)');
  if ((flags.exclude ?? []).length > 0)
    refuse('drop --exclude (a certificate covers every scenario)');
  if (flags.path !== undefined) refuse('drop --path (it replays one case)');
  if (flags.runs < flags.defaultRuns)
    refuse(`--runs ${flags.runs} is below the ${flags.defaultRuns} a certification draws`);
  if (!flags.reports)
    refuse('give --report DIR for the reports to hand over (report.html, report.json, ...)');
  return { failOn: 'skip', certify: true };
}
