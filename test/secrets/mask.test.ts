import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/secrets/mask.ts';

describe('maskSecret', () => {
  it('shows the format prefix and the last four characters', () => {
    expect(maskSecret('lv_erp_8f2k1m9q0w3e4r5t6y7u8i9o0p1a', 'lv_erp_')).toBe('lv_erp_…0p1a');
  });
  it('guesses the prefix up to the last separator when the format is unknown', () => {
    expect(maskSecret('qp_test_sk_ABCDEFGHIJKLMNOPQRSTUVWXYZ123456')).toBe('qp_test_sk_…3456');
    expect(maskSecret('api-1234567890abcdef')).toBe('api-…cdef');
  });
  it('never shows more than prefix + 4 of a key without separators', () => {
    const masked = maskSecret('abcdefghijklmnopqrstuvwxyz');
    expect(masked).toBe('…wxyz');
  });
  it('hides short secrets entirely', () => {
    expect(maskSecret('hunter2')).toBe('*******');
    expect(maskSecret('abc')).toBe('****');
  });
  it('does not let a long prefix eat the secret', () => {
    const masked = maskSecret('sk_live_12345678', 'sk_live_');
    expect(masked.endsWith('5678')).toBe(true);
    expect(masked).not.toContain('1234');
  });
});

describe('maskKnownSecrets', () => {
  it('masks a signed JWT it was not told about: every token the harness mints or obtains is live', async () => {
    const { mintJwt } = await import('../../src/request/mint-jwt.ts');
    const { maskKnownSecrets } = await import('../../src/secrets/mask-known-secrets.ts');
    const jwt = await mintJwt(
      { secret: 'a-signing-secret-of-32-characters!!', alg: 'HS256' },
      { nowSeconds: 1_800_000_000, lifetimeSeconds: 3600, claims: { sub: 'user-1' } },
    );
    const text = `Authorization: Bearer ${jwt}\ncurl -H 'Authorization: Bearer ${jwt}'`;
    const masked = maskKnownSecrets(text, []);
    expect(masked).not.toContain(jwt);
    expect(masked).not.toContain(jwt.split('.')[2]!.slice(0, 12));
    expect(masked).toContain(`Bearer …${jwt.slice(-4)}`);
  });

  it('masks HTTP Basic credentials of no known secret: a faulty one decodes to most of a secret', async () => {
    const { maskKnownSecrets } = await import('../../src/secrets/mask-known-secrets.ts');
    const secret = 'lk_jjyh0vndkhcdqomoz20g91un';
    const wrongLast = secret.slice(0, -1) + 'v';
    for (const userPass of [`key_727dc28c0e93:${wrongLast}`, `key_727dc28c0e93${wrongLast}`]) {
      const b64 = Buffer.from(userPass).toString('base64');
      const text = `Authorization: Basic ${b64}\ncurl -H 'authorization: basic ${b64}'`;
      const masked = maskKnownSecrets(text, [secret]);
      expect(masked).not.toContain(b64.slice(-16, -4));
      expect(masked).toContain(`Basic …${b64.slice(-4)}`);
      expect(masked).toContain(`basic …${b64.slice(-4)}`);
    }
  });
});
