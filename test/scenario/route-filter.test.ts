// Which routes a scenario draws from: the profile alone decides whether it applies (N/A), the
// credentials whether it can be run (SKIP). Read off the built-in profiles and their fixtures.
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/model/credentials.ts';
import {
  missingSigningParts,
  routesFor,
  routesOfProfile,
  signingPartsReason,
} from '../../src/scenario/route-filter.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';

function builtIn(id: string) {
  const { profile } = resolveProfile(id);
  return { profile, creds: fixturesToCredentials(builtInFixtures(profile), profile) };
}
const ids = (routes: { id: string }[]) => routes.map((r) => r.id);

describe('routesOfProfile: what the profile alone allows', () => {
  it('never draws a public route, unless the scenario is about a signature that route carries', () => {
    const { profile } = builtIn('auxvault');
    const publicIds = profile.routes.filter((r) => r.auth === 'public').map((r) => r.id);
    expect(publicIds.length).toBeGreaterThan(0);
    expect(ids(routesOfProfile(profile)).filter((id) => publicIds.includes(id))).toEqual([]);
    const signedPublic = structuredClone(profile);
    signedPublic.routes.find((r) => r.id === publicIds[0])!.signing = 'v1';
    expect(ids(routesOfProfile(signedPublic, { signed: true }))).toEqual([publicIds[0]]);
  });

  it('keeps the routes that have what the filter names: signing, scope, rate class, body', () => {
    const { profile } = builtIn('luxcore');
    expect(ids(routesOfProfile(profile, { signed: true }))).toEqual(['payments-create-v2']);
    expect(routesOfProfile(profile, { signed: false })).toHaveLength(profile.routes.length - 1);
    for (const r of routesOfProfile(profile, { withBody: true }))
      expect(r.requestBody).toBeDefined();
    for (const r of routesOfProfile(profile, { withBody: false }))
      expect(r.requestBody).toBeUndefined();
    for (const r of routesOfProfile(profile, { rateLimited: true }))
      expect(r.rateClass).toBeDefined();
  });

  it("keeps, for a binding, the routes that check it: always, the route's own list, or its path", () => {
    // AuxVault's tenant header is required always; its merchant header on the routes that list it.
    const { profile } = builtIn('auxvault');
    expect(routesOfProfile(profile, { binding: 'tenant' })).toHaveLength(
      routesOfProfile(profile).length,
    );
    const merchant = routesOfProfile(profile, { binding: 'merchant' });
    expect(merchant.length).toBeGreaterThan(0);
    for (const r of merchant) expect(r.bindings).toContain('merchant');
    // A binding the profile does not have: no route.
    expect(routesOfProfile(builtIn('luxcore').profile, { binding: 'tenant' })).toEqual([]);
  });
});

describe('routesFor: what the credentials can run', () => {
  it("draws a scope denial only where the role's key lacks the route's scope", () => {
    const { profile, creds } = builtIn('luxcore');
    // scopeLimited holds payments.view and balance.view, aliases of payments.read and balance.read.
    const denied = routesFor(profile, creds, { outsideScopesOf: 'scopeLimited' });
    expect(denied.length).toBeGreaterThan(0);
    for (const r of denied) expect(['payments.read', 'balance.read']).not.toContain(r.scope);
  });

  it('draws a grant through an alias only where the key holds the alias, not the scope itself', () => {
    const { profile, creds } = builtIn('luxcore');
    const granted = routesFor(profile, creds, {
      insideScopesOf: 'scopeLimited',
      viaAliasOrWildcard: true,
    });
    expect(new Set(granted.map((r) => r.scope))).toEqual(
      new Set(['payments.read', 'balance.read']),
    );
  });

  it('draws nothing (the scenario SKIPs) when the role is missing from the credentials', () => {
    const { profile, creds } = builtIn('luxcore');
    const without: Credentials = { ...creds, keys: { ...creds.keys } };
    delete without.keys!.scopeLimited;
    expect(routesFor(profile, without, { outsideScopesOf: 'scopeLimited' })).toEqual([]);
  });
});

describe('missingSigningParts and signingPartsReason', () => {
  it("names the parts a route's scheme lacks: all of them on an unsigned route", () => {
    const { profile } = builtIn('luxcore');
    const signed = profile.routes.find((r) => r.id === 'payments-create-v2')!;
    const unsigned = profile.routes.find((r) => r.signing === undefined)!;
    expect(missingSigningParts(profile, signed, ['nonce', 'timestamp', 'expires'])).toEqual([
      'expires',
    ]);
    expect(missingSigningParts(profile, unsigned, ['nonce', 'body'])).toEqual(['nonce', 'body']);
  });

  it('says which scheme lacks what when no signed route can take a fault', () => {
    const { profile } = builtIn('luxcore');
    expect(signingPartsReason(profile, { signingHas: ['expires'] })).toBe(
      'the hmac signing scheme has no expiry beside its timestamp: the fault has nothing to act on',
    );
    expect(signingPartsReason(profile, { signingHas: ['nonce'] })).toBeUndefined();
    expect(signingPartsReason(profile, {})).toBeUndefined();
  });
});
