/** The nonce bound of a signing identity: what it can legitimately get admitted in its window. */
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { nonceBound } from '../../mock-server/core/nonce-bound.ts';
import { hmacSigning } from '../support/hmac-signing.ts';
import type { Profile } from '../../src/model/profile.ts';
import { resolveReferences } from '../../src/model/resolved-profile.ts';

describe('nonceBound', () => {
  it("derives each identity's bound from the rate limits of the signed routes", async () => {
    const { world } = await createAuthMock({ profile: 'luxcore' });
    // payments 5000/min with a burst of 500/10 s; a nonce lives 601 s (twice the 300 s skew and a
    // second): min(5000 x 12, 500 x 62)
    // per key, times the merchant's keys in the fixtures (the limit is per key).
    const keys = world.fixtures.keys.filter((k) => k.merchant === '100234').length;
    expect(keys).toBeGreaterThan(0);
    expect(nonceBound(world, 'v1', '100234')).toBe(31_000 * keys);
    // A changed profile is resolved again, as the mock does with a profile it is given.
    const unlimited: Profile = structuredClone(world.profile);
    for (const r of unlimited.routes) delete r.rateClass;
    const unlimitedWorld = { ...world, profile: resolveReferences(unlimited) };
    expect(nonceBound(unlimitedWorld, 'v1', '100234')).toBe(10_000);
  });

  it('holds no identity to fewer than 1 000, and leaves a global scope to the store bound', async () => {
    const { world } = await createAuthMock({ profile: 'luxcore' });
    const tight: Profile = structuredClone(world.profile);
    tight.rateLimits!.payment = { per: 'merchant', limit: 1, windowSeconds: 60 };
    expect(nonceBound({ ...world, profile: resolveReferences(tight) }, 'v1', '100234')).toBe(1_000);
    const global: Profile = structuredClone(world.profile);
    hmacSigning(global).nonce.scope = 'global';
    expect(nonceBound({ ...world, profile: resolveReferences(global) }, 'v1', '100234')).toBe(
      Infinity,
    );
  });
});
