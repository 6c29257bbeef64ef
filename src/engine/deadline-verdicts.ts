/**
 * What the run's deadline (`--max-time`) does to the loop over profile x scenario: the case in
 * flight is given up at once (its exchange or wait is aborted through the target), and it and
 * every case after it that applies are ERROR, saying the deadline passed. The run then returns
 * as usual, so every report is still written.
 */
import type { ResolvedProfile } from '../model/resolved-profile.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { citeFor } from '../scenario/profile-cites.ts';
import { deadlineReason, type RunDeadline } from '../targets/run-deadline.ts';
import type { Verdict } from '../verdict/verdict.ts';

/** The value of `work`, or 'deadline' as soon as the deadline passes, whichever is first. */
export async function untilDeadline<T>(
  work: Promise<T>,
  deadline: RunDeadline | undefined,
): Promise<T | 'deadline'> {
  if (!deadline) return work;
  const { signal } = deadline;
  if (signal.aborted) return 'deadline';
  let onAbort = () => {};
  const passed = new Promise<'deadline'>((resolve) => {
    onAbort = () => resolve('deadline');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // Given up work still settles (its target calls fail at once): nothing is left unhandled.
  work.catch(() => {});
  try {
    return await Promise.race([work, passed]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The ERROR verdict of a case the deadline cut short ('finished') or never let start ('ran'). */
export function deadlineVerdict(
  deadline: RunDeadline,
  when: 'ran' | 'finished',
  profile: ResolvedProfile,
  scenario: Scenario,
  run: { runs: number; seed: number; durationMs: number },
): Verdict {
  return stoppedVerdict(deadlineReason(deadline, when), profile, scenario, run);
}

/** The ERROR verdict of a case the run did not start, with why (a deadline, an unreachable target). */
export function stoppedVerdict(
  reason: string,
  profile: ResolvedProfile,
  scenario: Scenario,
  run: { runs: number; seed: number; durationMs: number },
): Verdict {
  return {
    profile: profile.id,
    scenario: scenario.id,
    title: scenario.title,
    family: scenario.family,
    severity: scenario.severity,
    cite: citeFor(profile, scenario),
    status: 'ERROR',
    reason,
    ...run,
  };
}
