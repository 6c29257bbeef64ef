/**
 * Rate-limit scenarios count a key's window from their own first request. On the bundled mock
 * each case starts from a reset; a real target cannot be reset, and earlier scenarios of the same
 * run have already spent part of the window. There the harness waits the window out before each
 * case (a guest waits its turn), runs one case, and does not shrink (each shrink step would need
 * another fresh window).
 */
import type { ResolvedProfile } from '../model/resolved-profile.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import type { Target } from '../targets/target.ts';
import { waitBefore } from '../targets/run-deadline.ts';
import { faultHas } from './faults/registry.ts';

export function spendsRateWindow(scenario: Scenario): boolean {
  return scenario.model === 'rate-window' || faultHas(scenario.fault, 'spendsRateWindow');
}

/** Longest window (or burst window) of the profile's limits, in seconds. */
export function longestRateWindow(profile: ResolvedProfile): number {
  return Math.max(
    0,
    ...Object.values(profile.rateLimits ?? {}).flatMap((l) => [
      l.windowSeconds,
      l.burst?.windowSeconds ?? 0,
    ]),
  );
}

/** fast-check settings and a before-case hook for a scenario on a target. */
export function rateWindowPolicy(
  profile: ResolvedProfile,
  scenario: Scenario,
  target: Target,
): { runs?: number; endOnFailure?: true; beforeCase?: () => Promise<void> } {
  if (!spendsRateWindow(scenario) || target.reset) return {};
  const seconds = longestRateWindow(profile) + 1;
  return {
    runs: 1,
    endOnFailure: true,
    // One case on a server started for this scenario finds its window unspent: no wait.
    ...(target.startsFresh
      ? {}
      : {
          beforeCase: () =>
            waitBefore(target.deadline, seconds * 1000, `the wait for a fresh rate window`),
        }),
  };
}
