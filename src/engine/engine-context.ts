/**
 * What the engine runs with: a profile, the credentials provisioned for it and the target they
 * are sent to (a ProfileRun), and, for one scenario, the schemas the answers are checked against.
 * Its own module so that the run, the plan and the stateful models share it without importing
 * one another.
 */
import type { Credentials } from '../model/credentials.ts';
import type { Profile } from '../model/profile.ts';
import { resolveReferences, type ResolvedProfile } from '../model/resolved-profile.ts';
import type { SchemaRegistry } from '../spec/schema-registry.ts';
import type { Target } from '../targets/target.ts';
import type { RateLedger } from './rate-ledger.ts';
import type { WaitClock, WaitNotice } from './wait-clock.ts';

export interface ProfileRun {
  /** As loaded, or built or changed in code: resolved where the engine takes it (engineContext). */
  profile: Profile;
  creds: Credentials;
  target: Target;
}

export interface EngineContext {
  /** Resolved (src/model/resolved-profile.ts): its routes carry their credentials and signing. */
  profile: ResolvedProfile;
  creds: Credentials;
  target: Target;
  registry: SchemaRegistry;
  /** Longest real wait for time to pass where the target's clock cannot be moved (seconds). */
  maxWaitSeconds?: number;
  /**
   * A guest target's rate-limit accounting for the whole run (run-conformance.ts): a rate-limit
   * scenario waits for its keys' windows from it, and picks the key whose window is freshest.
   */
  guest?: GuestPacing;
}

/** What the run knows of a guest target's rate limits, and the time its waits are taken in. */
export interface GuestPacing {
  ledger: RateLedger;
  clock: WaitClock;
  /** Told of each wait long enough to notice (the progress output shows a countdown). */
  onWait?: (w: WaitNotice) => void;
}

/** What a caller gives the engine: a context whose profile may not be resolved yet. */
export type EngineInput = Omit<EngineContext, 'profile'> & { profile: Profile };

/**
 * The context with its profile resolved as it stands now: where the engine is entered
 * (runScenario, planRun), so that a profile built or changed in code since it was loaded (a test's
 * copy with a route made public) is read as it is. Resolving a profile takes well under a
 * millisecond.
 */
export function engineContext(input: EngineInput): EngineContext {
  return { ...input, profile: resolveReferences(input.profile) };
}

export interface PropertyOptions {
  runs: number;
  seed: number;
  /** Replays exactly one earlier counterexample (with its seed). */
  path?: string;
}
