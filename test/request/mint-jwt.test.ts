// The harness's JWTs: an HMAC secret is imported into WebCrypto once per secret and alg (jose
// imported raw bytes again at every sign and verify), and what jose must refuse stays refused.
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { hmacJwtKey, mintJwt } from '../../src/request/mint-jwt.ts';

const SECRET = 'a-test-hmac-secret-of-some-length-0123456789';

describe('hmacJwtKey', () => {
  it('imports a secret once per alg, and a token it signs verifies with the bytes', async () => {
    const a = await hmacJwtKey(SECRET, 'HS256');
    expect(a).toBeInstanceOf(CryptoKey);
    expect(await hmacJwtKey(SECRET, 'HS256')).toBe(a);
    expect(await hmacJwtKey(SECRET, 'HS384')).not.toBe(a);
    expect(await hmacJwtKey(`${SECRET}x`, 'HS256')).not.toBe(a);
    const token = await mintJwt(
      { alg: 'HS384', secret: SECRET },
      { nowSeconds: Math.floor(Date.now() / 1000), lifetimeSeconds: 60 },
    );
    expect(decodeProtectedHeader(token).alg).toBe('HS384');
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET));
    expect(typeof payload.exp).toBe('number');
  });

  it('leaves an empty secret, or an alg that is not HMAC, as bytes for jose to refuse', async () => {
    expect(await hmacJwtKey('', 'HS256')).toBeInstanceOf(Uint8Array);
    expect(await hmacJwtKey(SECRET, 'RS256')).toBeInstanceOf(Uint8Array);
    expect(await hmacJwtKey(SECRET, 'HS1024')).toBeInstanceOf(Uint8Array);
    await expect(
      mintJwt({ alg: 'HS256', secret: '' }, { nowSeconds: 0, lifetimeSeconds: 60 }),
    ).rejects.toThrow();
  });
});
