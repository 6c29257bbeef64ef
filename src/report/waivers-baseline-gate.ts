/**
 * The overall verdict once waivers and a baseline are known. Waived verdicts were applied before
 * the record was built (they never count as failures there); this adds what only the whole run
 * shows: a waiver that no longer holds fails the gate (exit 1; a run already ERROR stays 3), and
 * `--fail-on new` tolerates every failure the baseline already had.
 */
import { exitCodeOf } from '../verdict/exit-code.ts';
import type { BaselineRecord } from './baseline.ts';
import { toleratedByBaseline } from './baseline.ts';
import type { RunRecord } from './run-record.ts';
import { bannerOf } from './coverage.ts';
import { waivedPrefix, type WaiversRecord } from './waivers.ts';

export function withWaiversAndBaseline(
  record: RunRecord,
  judged: { failOnNew: boolean; waivers?: WaiversRecord; baseline?: BaselineRecord },
): RunRecord {
  const { waivers, baseline } = judged;
  let { exitCode, reason } = record.overall;
  if (judged.failOnNew && baseline) {
    exitCode = exitCodeOf(toleratedByBaseline(record.verdicts, baseline), 'must');
    const fresh = baseline.changes.filter(
      (c) => c.change === 'new-failure' && (c.severity === 'MUST' || c.now === 'ERROR'),
    ).length;
    const still = baseline.counts['still-failing'];
    if (exitCode === 0)
      reason = `no new failure against the baseline (${still} still failing, tolerated by --fail-on new; ${baseline.counts.fixed} fixed)`;
    else if (exitCode === 1 && fresh > 0)
      reason = `${fresh} new MUST failure(s) against the baseline (--fail-on new; ${still} still failing, tolerated)`;
  }
  reason = waivedPrefix(waivers) + reason;
  const stale = waivers?.problems ?? [];
  if (stale.length > 0) {
    if (exitCode === 0) exitCode = 1;
    reason = `${stale.length} waiver(s) no longer hold: ${stale[0]!.message}${stale.length > 1 ? ' (and more: see the waivers)' : ''}; ${reason}`;
  }
  const verdict = exitCode === 0 ? 'PASS' : exitCode === 3 ? 'ERROR' : 'FAIL';
  // A PASS the baseline tolerated still says when a MUST was not checked in full.
  const overall: RunRecord['overall'] = {
    ...record.overall,
    verdict,
    reason,
    exitCode,
    banner: bannerOf(verdict, record.verdicts),
  };
  return {
    ...record,
    ...(judged.failOnNew ? { failOn: 'new' as const } : {}),
    ...(waivers ? { waivers } : {}),
    ...(baseline ? { baseline } : {}),
    overall,
  };
}
