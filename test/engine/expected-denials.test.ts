// A record of another party is answered as the profile's binding says (otherRecords), so a profile
// that states `denied` is not failed for answering binding_mismatch, nor one that hides it for 404.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { expectedDenial } from '../../src/engine/expected-denials.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import type { Profile } from '../../src/model/profile.ts';
import { resolveReferences } from '../../src/model/resolved-profile.ts';
import { brokenTarget } from '../support/broken-targets.ts';

const scenarios = loadScenarios();
const byId = (id: string) => scenarios.find((s) => s.id === id)!;

function withOtherRecords(id: string, kind: 'merchant' | 'store', value: 'hidden' | 'denied') {
  const profile = structuredClone(resolveProfile(id).profile) as Profile;
  profile.bindings![kind]!.otherRecords = value;
  return resolveReferences(profile);
}

describe("the denial for another party's record follows bindings.KIND.otherRecords", () => {
  it('expects not_found where the records are hidden and binding_mismatch where denied', () => {
    expect(
      expectedDenial(
        withOtherRecords('auxvault', 'merchant', 'hidden'),
        byId('other-merchant-record'),
      ),
    ).toEqual({ denial: 'not_found' });
    expect(
      expectedDenial(
        withOtherRecords('auxvault', 'merchant', 'denied'),
        byId('other-merchant-record'),
      ),
    ).toEqual({ denial: 'binding_mismatch', binding: 'merchant' });
    expect(
      expectedDenial(withOtherRecords('vesuviopay', 'store', 'hidden'), byId('other-store-record')),
    ).toEqual({ denial: 'not_found' });
    // Scenarios without another party's record keep their own expectation.
    expect(expectedDenial(resolveProfile('auxvault').profile, byId('revoked-key-refused'))).toEqual(
      { denial: 'revoked_credential' },
    );
  });

  it("passes a server that denies (403) another merchant's record where its profile says denied", async () => {
    const mutate = (p: Profile) => (p.bindings!.merchant!.otherRecords = 'denied');
    const { target, creds } = await brokenTarget({
      name: 'denied',
      profile: 'auxvault',
      models: '',
      caughtBy: [],
      mutateProfile: mutate,
    });
    const profile = withOtherRecords('auxvault', 'merchant', 'denied');
    const verdicts = await runConformance(
      [{ profile, creds, target }],
      [byId('other-merchant-record-jwt')],
      { runs: 15, seed: 4 },
    );
    expect(verdicts.map((v) => `${v.scenario}: ${v.status} ${v.reason ?? ''}`)).toEqual([
      'other-merchant-record-jwt: PASS ',
    ]);
  });

  it('fails that server against the profile that says the records are hidden (404)', async () => {
    const mutate = (p: Profile) => (p.bindings!.merchant!.otherRecords = 'denied');
    const { target, profile, creds } = await brokenTarget({
      name: 'denied',
      profile: 'auxvault',
      models: '',
      caughtBy: [],
      mutateProfile: mutate,
    });
    const verdicts = await runConformance(
      [{ profile, creds, target }],
      [byId('other-merchant-record-jwt')],
      { runs: 15, seed: 4 },
    );
    expect(verdicts[0]!.status).toBe('FAIL');
    expect(verdicts[0]!.reason).toMatch(/expected status 404, got 403/);
  });
});
