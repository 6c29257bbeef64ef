// What a profile can be tested for, read off its data; and the credentials role each capability
// needs, whose absence SKIPs the scenario with that role named.
import { describe, expect, it } from 'vitest';
import { missingRoleFor, profileCapabilities } from '../../src/scenario/capabilities.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';

const profileOf = (id: string) => structuredClone(resolveProfile(id).profile);

describe('profileCapabilities', () => {
  it('reads LuxCore: API keys, HMAC signing with a nonce pattern, aliases, rate limits, no JWT', () => {
    const caps = profileCapabilities(profileOf('luxcore'));
    for (const c of [
      'api-key',
      'signing',
      'nonce-pattern',
      'nonce-shared-across-keys',
      'scope-aliases',
      'rate-limits',
      'merchant-header',
    ] as const)
      expect(caps, c).toContain(c);
    for (const c of ['bearer-jwt', 'tenant-header', 'key-lifecycle', 'scope-wildcards'] as const)
      expect(caps, c).not.toContain(c);
  });

  it('follows the data: a capability appears and disappears with what the profile says', () => {
    const p = profileOf('luxcore');
    for (const r of p.routes) delete r.signing;
    expect(profileCapabilities(p)).not.toContain('signing');
    for (const r of p.routes) delete r.rateClass;
    expect(profileCapabilities(p)).not.toContain('rate-limits');
    delete p.denials.revoked_credential;
    expect(profileCapabilities(p)).not.toContain('revoked-key');
  });

  it('tells an asymmetric-only JWT profile from one that accepts HS algorithms', () => {
    expect(profileCapabilities(profileOf('vesuviopay'))).toContain('asymmetric-jwt');
    expect(profileCapabilities(profileOf('auxvault'))).not.toContain('asymmetric-jwt');
    expect(profileCapabilities(profileOf('auxvault'))).toContain('bearer-jwt');
  });
});

describe('missingRoleFor', () => {
  const { profile } = resolveProfile('luxcore');
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);

  it('is undefined when the credentials hold the role, or the capability needs none', () => {
    expect(missingRoleFor('revoked-key', creds)).toBeUndefined();
    expect(missingRoleFor('signing', creds)).toBeUndefined();
    expect(missingRoleFor('scopes', { profile: 'luxcore' })).toBeUndefined();
  });

  it('names the role to add when it is missing', () => {
    const keys = { ...creds.keys };
    delete keys.revoked;
    expect(missingRoleFor('revoked-key', { ...creds, keys })).toBe('keys.revoked');
    expect(missingRoleFor('signing', { profile: 'luxcore' })).toBe('hmac');
    expect(missingRoleFor('bearer-jwt', { profile: 'luxcore' })).toBe(
      'jwt (signing material), or login or client (to obtain a token)',
    );
  });

  it('accepts a login or an OAuth client in place of JWT signing material for bearer tokens', () => {
    const login = { email: 'a@example.com', password: 'x' };
    expect(missingRoleFor('bearer-jwt', { profile: 'p', login } as never)).toBeUndefined();
    expect(missingRoleFor('jwt-minting', { profile: 'p', login } as never)).toMatch(
      /^jwt\.secret or jwt\.privateKeyPem/,
    );
  });
});
