/** What a run says of one requirement on one profile. ERROR is never PASS. */
export type VerdictStatus = 'PASS' | 'FAIL' | 'SKIP' | 'ERROR';

export interface ExchangeRecord {
  label: string;
  request: string;
  status: number;
  body: string;
}

export interface Verdict {
  profile: string;
  scenario: string;
  title: string;
  family: string;
  severity: 'MUST' | 'SHOULD';
  cite: string;
  status: VerdictStatus;
  /** Why it failed, was skipped or could not run. */
  reason?: string;
  /** What a pass does not show: e.g. a time edge tested with a margin (the target's clock uncertain). */
  note?: string;
  runs: number;
  seed: number;
  durationMs: number;
  counterexample?: {
    route: string;
    drawn: Record<string, unknown>;
    exchanges: ExchangeRecord[];
    curl: string;
    /** fast-check's path to replay exactly this case with the same seed. */
    path: string;
  };
}
