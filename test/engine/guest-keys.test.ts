// Which key a case sends on a guest target (src/engine/guest-keys.ts): the run's traffic is
// spread over keys the route accepts alike, and a rate-limit scenario spends the key whose window
// is fresh first, so one wait serves two such scenarios. Pure: the ledger is filled by hand.
import { describe, expect, it } from 'vitest';
import { freshestKeyRole, leastSpentKeyRole } from '../../src/engine/guest-keys.ts';
import { rateLedger } from '../../src/engine/rate-ledger.ts';
import { resolveReferences, type ResolvedRoute } from '../../src/model/resolved-profile.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { schemaRegistry } from '../../src/spec/schema-registry.ts';
import type { Target } from '../../src/targets/target.ts';
import { fakeWaitClock } from '../support/fake-wait-clock.ts';

function luxcoreGuest() {
  const { profile: loaded } = resolveProfile('luxcore');
  const profile = resolveReferences(loaded);
  const creds = fixturesToCredentials(builtInFixtures(loaded), loaded);
  const clock = fakeWaitClock();
  const ledger = rateLedger(profile, creds, clock.now());
  const ctx = {
    profile,
    creds,
    target: {} as Target,
    registry: schemaRegistry(),
    guest: { ledger, clock },
  };
  // An API-key route of the per-key `standard` class that scopeLimited's scopes grant too.
  const route = profile.routes.find((r) => r.id === 'balance-get')!;
  /** `n` admitted answers on `route` for `role`'s key, at the clock's now. */
  const spend = (role: 'valid' | 'sameMerchant' | 'scopeLimited', n: number, status = 200) => {
    for (let i = 0; i < n; i++)
      ledger.record(
        {
          method: route.method,
          pathWithQuery: route.path,
          headers: { authorization: `Bearer ${creds.keys![role]!.value}` },
        },
        { status, headers: {}, body: undefined, rawBody: '' },
        clock.now(),
      );
  };
  return { ctx, route, spend, clock };
}

describe('the key a case sends on a guest target', () => {
  it('is the default key while its window is as unspent as any', () => {
    const { ctx, route } = luxcoreGuest();
    expect(leastSpentKeyRole(ctx, route)).toBe('valid');
  });

  it('is a key of the same party the route accepts alike, once the default spent more', () => {
    const { ctx, route, spend } = luxcoreGuest();
    spend('valid', 10);
    const role = leastSpentKeyRole(ctx, route);
    expect(['sameMerchant', 'scopeLimited']).toContain(role);
    // Never a key the target must refuse, nor another party's.
    spend('sameMerchant', 10);
    spend('scopeLimited', 10);
    expect(['valid', 'sameMerchant', 'scopeLimited']).toContain(leastSpentKeyRole(ctx, route));
  });

  it('is never a key whose scopes the route is outside of', () => {
    const { ctx, spend } = luxcoreGuest();
    // webhooks.read: outside scopeLimited's payments.view and balance.view.
    const outside = ctx.profile.routes.find((r: ResolvedRoute) => r.id === 'webhooks-list')!;
    spend('valid', 50);
    spend('sameMerchant', 50);
    expect(leastSpentKeyRole(ctx, outside)).not.toBe('scopeLimited');
  });

  it('is never a key the target only ever refused', () => {
    const { ctx, route, spend } = luxcoreGuest();
    spend('valid', 10);
    spend('sameMerchant', 10);
    spend('scopeLimited', 3, 403);
    expect(leastSpentKeyRole(ctx, route)).toBe('valid');
  });

  it('spends, for a rate-limit scenario, the key whose window is fresh first, with the routes it can call', () => {
    const { ctx, route, spend, clock } = luxcoreGuest();
    clock.advance(30_000);
    spend('valid', 1);
    spend('sameMerchant', 1);
    const chosen = freshestKeyRole(ctx, [route]);
    expect(chosen?.role).toBe('scopeLimited');
    expect(chosen?.routes).toEqual([route]);
    // On a tie, the default key.
    const { ctx: fresh, route: r2 } = luxcoreGuest();
    expect(freshestKeyRole(fresh, [r2])?.role).toBe('valid');
  });
});
