// rate-window-per-key checks two things: the request past a key's budget is 429, and a second
// key is not charged for the first one's requests. Without a second key in the credentials the
// second part cannot be checked: the verdict is PARTIAL with that reason, never PASS with a note.
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';

async function perKeyVerdict(withSecondKey: boolean): Promise<Verdict> {
  const { profile } = resolveProfile('vaulera');
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);
  if (!withSecondKey) delete creds.keys!.second;
  const target = await inProcessMockTarget(profile);
  try {
    const scenarios = loadScenarios().filter((s) => s.id === 'rate-window-per-key');
    const [v] = await runConformance([{ profile, creds, target }], scenarios, {
      runs: 2,
      seed: 11,
    });
    return v!;
  } finally {
    await target.close();
  }
}

describe('rate-window-per-key', { timeout: 30_000 }, () => {
  it('is PARTIAL, naming per-key accounting, when the credentials have no second key', async () => {
    const v = await perKeyVerdict(false);
    expect(v.status).toBe('PARTIAL');
    expect(v.reason).toBe(
      'per-key accounting not checked: the credentials have no second key for these routes',
    );
    expect(v.note).toBeUndefined();
  });

  it('is PASS against the correct mock when a second key lets per-key accounting be checked', async () => {
    const v = await perKeyVerdict(true);
    expect(v.status, v.reason).toBe('PASS');
  });
});
