/**
 * `--waivers FILE`, `--baseline report.json` and `--fail-on new`, read from the run's flags.
 * Both files are read and checked before a request is sent (a bad one is exit 2, at its file,
 * line and column); then `waive` applies the waivers to the engine's verdicts, and `judge` adds
 * the comparison and the waivers' outcome to the record (src/report/waivers-baseline-gate.ts).
 */
import { resolve } from 'node:path';
import type { Verdict } from '../verdict/verdict.ts';
import { baselineConsole, compareWithBaseline, loadBaseline } from '../report/baseline.ts';
import type { RunRecord } from '../report/run-record.ts';
import {
  applyWaivers,
  loadWaivers,
  utcDay,
  waiversConsole,
  type Waiver,
  type WaiversRecord,
} from '../report/waivers.ts';
import { withWaiversAndBaseline } from '../report/waivers-baseline-gate.ts';
import { builtInProfileIds } from '../spec/builtin-specs.ts';
import { SpecError } from '../spec/spec-error.ts';
import { escapeControls } from '../report/escape-controls.ts';
import { VerifyOptionError } from './verify-error.ts';

export interface WaiverBaselineFlags {
  waivers?: string | undefined;
  baseline?: string | undefined;
  'fail-on'?: string | undefined;
  certify?: boolean | undefined;
}

export interface WaiversAndBaseline {
  /** --fail-on new given: what --fail-on is judged as before the baseline is applied (must). */
  failOnNew: boolean;
  waive(verdicts: readonly Verdict[]): Verdict[];
  judge(record: RunRecord): RunRecord;
}

/**
 * Whether --fail-on new was given (checked first: the rest of --fail-on is read as `must`, the
 * gate the baseline then relaxes). It needs --baseline, and is no certification.
 */
export function isFailOnNew(flags: WaiverBaselineFlags): boolean {
  if (flags['fail-on'] !== 'new') return false;
  if (flags.baseline === undefined)
    throw new VerifyOptionError(
      '--fail-on new fails only on failures an earlier run did not have: give that run as --baseline report.json',
    );
  if (flags.certify)
    throw new VerifyOptionError(
      '--certify fails on every MUST not checked, --fail-on new tolerates known failures: drop one',
    );
  return true;
}

export function waiversAndBaseline(
  flags: WaiverBaselineFlags,
  run: {
    profiles: readonly string[];
    scenarios: readonly string[];
    allScenarios: readonly string[];
  },
  today: () => string = () => utcDay(),
): WaiversAndBaseline {
  const failOnNew = isFailOnNew(flags);
  const waivers: Waiver[] | undefined =
    flags.waivers !== undefined
      ? loadWaivers(resolve(flags.waivers), {
          profiles: [...new Set([...builtInProfileIds(), ...run.profiles])],
          scenarios: run.allScenarios,
        })
      : undefined;
  const baseline = flags.baseline !== undefined ? loadBaseline(resolve(flags.baseline)) : undefined;
  if (baseline && !baseline.profiles.some((p) => run.profiles.includes(p)))
    throw new SpecError([
      {
        file: baseline.file,
        line: 1,
        column: 1,
        message: `the baseline is a run of ${baseline.profiles.join(', ')}; this run is of ${run.profiles.join(', ')}: nothing to compare`,
      },
    ]);
  let waived: WaiversRecord | undefined;
  return {
    failOnNew,
    waive(verdicts) {
      if (!waivers) return [...verdicts];
      const applied = applyWaivers(verdicts, waivers, {
        file: flags.waivers!,
        profiles: run.profiles,
        scenarios: run.scenarios,
        today: today(),
      });
      waived = applied.record;
      return applied.verdicts;
    },
    judge(record) {
      return withWaiversAndBaseline(record, {
        failOnNew,
        ...(waived ? { waivers: waived } : {}),
        ...(baseline ? { baseline: compareWithBaseline(record.verdicts, baseline) } : {}),
      });
    },
  };
}

/** What the console prints of the waivers and the baseline, after the table. */
export function waiversAndBaselineText(record: RunRecord): string {
  // A waiver's reason is the user's text, written out like a target's: controls escaped.
  return escapeControls(waiversConsole(record.waivers) + baselineConsole(record.baseline));
}
