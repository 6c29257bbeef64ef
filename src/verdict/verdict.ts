/**
 * What a run says of one requirement on one profile. ERROR is never PASS. PARTIAL: every check
 * that ran held, but part of the requirement could not be checked against this target (the reason
 * says which part and why): it is not a PASS. WAIVED is never given by the engine: a FAIL or ERROR
 * that a --waivers entry covers becomes WAIVED in the report (src/report/waivers.ts).
 */
export type VerdictStatus = 'PASS' | 'PARTIAL' | 'FAIL' | 'SKIP' | 'ERROR' | 'WAIVED';

/** What a WAIVED verdict carries: the waiver, and the status it had before. */
export interface VerdictWaiver {
  reason: string;
  issue: string;
  expires: string;
  at: string;
  status: 'FAIL' | 'ERROR';
}

export interface ExchangeRecord {
  label: string;
  request: string;
  status: number;
  body: string;
}

/** What a run found for one scenario on one profile, and how to replay it when it failed. */
export interface Verdict {
  profile: string;
  scenario: string;
  title: string;
  family: string;
  severity: 'MUST' | 'SHOULD';
  cite: string;
  status: VerdictStatus;
  /** Why it failed, was skipped, could not run, or what a PARTIAL left unchecked. */
  reason?: string;
  /** What a pass does not show: e.g. a time edge tested with a margin (the target's clock uncertain). */
  note?: string;
  runs: number;
  seed: number;
  durationMs: number;
  /** The waiver that made this FAIL or ERROR WAIVED (its status is kept in it). */
  waiver?: VerdictWaiver;
  counterexample?: {
    route: string;
    drawn: Record<string, unknown>;
    exchanges: ExchangeRecord[];
    curl: string;
    /** fast-check's path to replay exactly this case with the same seed. */
    path: string;
  };
}
