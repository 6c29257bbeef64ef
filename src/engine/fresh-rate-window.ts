/**
 * Rate-limit scenarios count a key's window from their own first request. On the bundled mock
 * each case starts from a reset; a real target cannot be reset, and earlier scenarios of the same
 * run have already spent part of the window. There the harness runs one case, does not shrink
 * (each shrink step would need another fresh window), and waits before it until the keys the case
 * spends have a fresh window: as long as the run's rate ledger says they are still spent (a whole
 * window where no ledger is kept). Where the key of the case's first accepted request was only
 * ever refused, nothing is waited for: a fresh window would not make that request pass.
 */
import type { ResolvedProfile, ResolvedRateLimit } from '../model/resolved-profile.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import type { Target } from '../targets/target.ts';
import { waitBefore } from '../targets/run-deadline.ts';
import { faultHas } from './faults/registry.ts';
import type { GuestPacing } from './engine-context.ts';
import { noticedWait } from './wait-clock.ts';

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
  guest?: GuestPacing,
): {
  runs?: number;
  endOnFailure?: true;
  /** Waits until the keys the case spends (their values) can spend a budget of `limit`. */
  beforeCase?: (spends: readonly string[], limit?: ResolvedRateLimit) => Promise<void>;
} {
  if (!spendsRateWindow(scenario) || target.reset) return {};
  const seconds = longestRateWindow(profile) + 1;
  return {
    runs: 1,
    endOnFailure: true,
    // One case on a server started for this scenario finds its window unspent: no wait.
    ...(target.startsFresh
      ? {}
      : {
          beforeCase: async (spends, limit) => {
            if (!guest)
              return waitBefore(
                target.deadline,
                seconds * 1000,
                `the wait for a fresh rate window`,
              );
            const { ledger, clock, onWait } = guest;
            // The key of the case's first accepted request was only ever refused (a server that
            // refuses everything): the case fails on it, whatever the window.
            if (spends[0] !== undefined && ledger.neverAdmitted(spends[0])) return;
            const keys = spends.map((k) => ledger.roleOf(k)).join(', ');
            await noticedWait(
              clock,
              ledger.freshAt(spends, limit) - clock.now(),
              target.deadline,
              `a fresh rate window of key ${keys} (${scenario.id})`,
              onWait,
            );
          },
        }),
  };
}

/**
 * The order scenarios run in on a target: on a guest, those that spend a rate window go last, so
 * the rest of the run's traffic is not held back by a spent window, and the time the rest takes
 * counts toward the fresh window they wait for.
 */
export function windowSpendersLast(scenarios: readonly Scenario[], target: Target): Scenario[] {
  if (target.reset || target.startsFresh) return [...scenarios];
  return [
    ...scenarios.filter((s) => !spendsRateWindow(s)),
    ...scenarios.filter((s) => spendsRateWindow(s)),
  ];
}
