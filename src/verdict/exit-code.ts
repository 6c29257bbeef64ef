/** The exit code a run's verdicts give: the one rule the CLI, the API and the reports share. */
import type { Verdict } from './verdict.ts';

/**
 * 0 every MUST passed (with failOn 'must', SHOULD failures are reported but do not fail the run);
 * 1 a MUST failed, a SHOULD failed under failOn 'should', a MUST was SKIPped or only PARTIAL under
 * failOn 'skip' (a certification: every applicable MUST checked in full), or nothing passed at
 * all (a run of only skips certifies nothing); 3 the target could not be reached.
 */
export function exitCodeOf(
  verdicts: Verdict[],
  failOn: 'must' | 'should' | 'skip' = 'must',
  /** A shard's verdicts: one holding only SKIPs (or none) is left to the merged run to judge. */
  partOfRun = false,
): number {
  if (verdicts.some((v) => v.status === 'ERROR')) return 3;
  const failing = (v: Verdict) =>
    v.severity === 'MUST'
      ? v.status === 'FAIL' ||
        (failOn === 'skip' && (v.status === 'SKIP' || v.status === 'PARTIAL'))
      : v.status === 'FAIL' && failOn === 'should';
  if (verdicts.some(failing)) return 1;
  if (!partOfRun && !verdicts.some((v) => v.status === 'PASS' || v.status === 'PARTIAL')) return 1;
  return 0;
}
