/**
 * What the engine runs with: a profile, the credentials provisioned for it and the target they
 * are sent to (a ProfileRun), and, for one scenario, the schemas the answers are checked against.
 * Its own module so that the run, the plan and the stateful models share it without importing
 * one another.
 */
import type { Credentials } from '../model/credentials.ts';
import type { Profile } from '../model/profile.ts';
import type { SchemaRegistry } from '../spec/schema-registry.ts';
import type { Target } from '../targets/target.ts';

export interface ProfileRun {
  profile: Profile;
  creds: Credentials;
  target: Target;
}

export interface EngineContext {
  profile: Profile;
  creds: Credentials;
  target: Target;
  registry: SchemaRegistry;
  /** Longest real wait for time to pass where the target's clock cannot be moved (seconds). */
  maxWaitSeconds?: number;
}

export interface PropertyOptions {
  runs: number;
  seed: number;
  /** Replays exactly one earlier counterexample (with its seed). */
  path?: string;
}
