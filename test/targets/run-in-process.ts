/**
 * Runs the conformance scenarios against an example app asked in-process (no socket), the way a
 * team runs them in its own unit test. Where the HTTP example tests start a fresh server per
 * scenario (test/examples/run-example.ts: a real server cannot be reset, and the rate-limit
 * scenarios spend the valid key's window), the in-process equivalent is the target's `reset`
 * hook: the test builds a fresh app from the seeded data before every case.
 */
import type { Credentials } from '../../src/model/credentials.ts';
import { verify } from '../../src/api/verify.ts';
import type { LoadedProfile } from '../../src/spec/load-profile.ts';
import type { Target } from '../../src/targets/target.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';

export interface InProcessRun {
  profile: LoadedProfile;
  creds: Credentials;
  target: Target;
  runs: number;
  seed: number;
  /** Only these scenario ids (default: every scenario). */
  only?: string[];
}

/** One verdict per scenario that applies to the profile, in catalogue order: one verify(). */
export async function runInProcess(run: InProcessRun): Promise<Verdict[]> {
  const record = await verify({
    profile: run.profile,
    target: run.target,
    credentials: run.creds,
    runs: run.runs,
    seed: run.seed,
    ...(run.only ? { scenarios: run.only } : {}),
  });
  return record.verdicts;
}

/** "scenario STATUS" per verdict, sorted: what two runs are compared by. */
export function statusLines(verdicts: Verdict[]): string[] {
  return verdicts.map((v) => `${v.scenario} ${v.status}`).sort();
}

/** An edit of an example's world that makes the credentials' revoked key active again. */
export function unrevoke(creds: Credentials) {
  return (world: { keys: { id: string; status: string }[] }): void => {
    world.keys.find((k) => k.id === creds.keys!.revoked!.id)!.status = 'active';
  };
}

/**
 * missing-key and revoked-key-refused on a target, as status lines: the run each in-process kind
 * is proven with against an app whose data un-revokes the revoked key.
 */
export async function revocationLines(
  profile: LoadedProfile,
  creds: Credentials,
  target: Target,
): Promise<string[]> {
  return statusLines(
    await runInProcess({
      profile,
      creds,
      target,
      runs: 3,
      seed: 2026,
      only: ['missing-key', 'revoked-key-refused'],
    }),
  );
}
