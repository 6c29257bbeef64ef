/**
 * Bearer JWTs verified with jose against the profile's token rules: the algorithm allow-list
 * (so `alg: none` and HS/RS confusion are refused), the signing keys of the fixtures (or the JWK
 * Set the token spec publishes them as), issuer, audience, and exp/nbf with the profile's leeway
 * on the mock's clock. The scopes a token holds are read from the claim the profile names.
 */
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  importSPKI,
  jwtVerify,
  errors,
  type JWTPayload,
} from 'jose';
import type { JwtToken } from '../../src/model/profile.ts';
import type { FixtureJwtKey } from '../../src/model/fixtures.ts';
import type { Clock } from './mock-types.ts';
import { Denial } from './deny.ts';
import { publishedJwks } from './publish-jwks.ts';
import { hmacJwtKey } from '../../src/request/mint-jwt.ts';

type VerifyKey = Uint8Array | CryptoKey;
type KeySet = ReturnType<typeof createLocalJWKSet>;

export class JwtVerifier {
  private readonly keys = new Map<string, Promise<VerifyKey>>();
  private readonly keySets = new Map<string, KeySet>();
  constructor(
    private readonly jwtKeys: readonly FixtureJwtKey[],
    private readonly clock: Clock,
  ) {}

  /** The payload of a valid token; a Denial (token_expired / token_invalid) otherwise. */
  async verify(
    tokenId: string,
    spec: JwtToken,
    token: string,
    credential: string,
  ): Promise<JWTPayload> {
    let kid: string | undefined;
    let alg: string | undefined;
    try {
      ({ kid, alg } = decodeProtectedHeader(token));
    } catch {
      throw new Denial('token_invalid', { credential });
    }
    if (spec.jwks !== undefined) return this.verifyWithKeySet(tokenId, spec, token, credential);
    const candidates = this.jwtKeys.filter(
      (k) => k.token === tokenId && (kid === undefined || k.kid === kid),
    );
    if (candidates.length === 0) throw new Denial('token_invalid', { credential });
    let expired = false;
    for (const candidate of candidates) {
      try {
        const { payload } = await jwtVerify(
          token,
          await this.keyOf(candidate, alg ?? ''),
          this.options(spec),
        );
        if (typeof payload.exp !== 'number') throw new Denial('token_invalid', { credential });
        return payload;
      } catch (e) {
        if (e instanceof Denial) throw e;
        if (e instanceof errors.JWTExpired) expired = true;
      }
    }
    throw new Denial(expired ? 'token_expired' : 'token_invalid', { credential });
  }

  /**
   * Verified as a client of the published JWK Set verifies: the key the token's kid names (jose
   * picks it by kid and algorithm); a kid the set does not hold is token_invalid.
   */
  private async verifyWithKeySet(
    tokenId: string,
    spec: JwtToken,
    token: string,
    credential: string,
  ): Promise<JWTPayload> {
    let keySet = this.keySets.get(tokenId);
    if (!keySet) {
      keySet = createLocalJWKSet(publishedJwks(this.jwtKeys, tokenId));
      this.keySets.set(tokenId, keySet);
    }
    try {
      const { payload } = await jwtVerify(token, keySet, this.options(spec));
      if (typeof payload.exp !== 'number') throw new Denial('token_invalid', { credential });
      return payload;
    } catch (e) {
      if (e instanceof Denial) throw e;
      throw new Denial(e instanceof errors.JWTExpired ? 'token_expired' : 'token_invalid', {
        credential,
      });
    }
  }

  private options(spec: JwtToken) {
    return {
      algorithms: spec.algorithms,
      clockTolerance: spec.leewaySeconds,
      currentDate: new Date(this.clock.now()),
      ...(spec.issuer !== undefined ? { issuer: spec.issuer } : {}),
      ...(spec.audience !== undefined ? { audience: spec.audience } : {}),
    };
  }

  /**
   * A key's verifying form. An HMAC secret is taken for the alg the token names, as its bytes
   * would be (jose then holds that alg to the profile's algorithms); imported once per alg.
   */
  private keyOf(k: FixtureJwtKey, tokenAlg: string): Promise<VerifyKey> {
    if (k.alg.startsWith('HS')) return hmacJwtKey(k.secret ?? '', tokenAlg);
    let key = this.keys.get(k.kid);
    if (!key) {
      key = importSPKI(k.publicKeyPem!, k.alg);
      this.keys.set(k.kid, key);
    }
    return key;
  }
}

/**
 * The scopes a verified token holds in its claim of meaning `scopes`, read in the profile's form
 * only: a space-separated string (the default) or an array. Any other value holds nothing.
 */
export function scopesOfClaim(value: unknown, format: 'string' | 'array' = 'string'): string[] {
  if (format === 'array')
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  return typeof value === 'string' ? value.split(' ').filter((s) => s !== '') : [];
}
