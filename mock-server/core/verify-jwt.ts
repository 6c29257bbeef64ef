/**
 * Bearer JWTs verified with jose against the profile's token rules: the algorithm allow-list
 * (so `alg: none` and HS/RS confusion are refused), the signing keys of the fixtures, issuer,
 * audience, and exp/nbf with the profile's leeway on the mock's clock.
 */
import { decodeProtectedHeader, importSPKI, jwtVerify, errors, type JWTPayload } from 'jose';
import type { JwtToken } from '../../src/model/profile.ts';
import type { FixtureJwtKey } from '../../src/model/fixtures.ts';
import type { Clock } from './mock-types.ts';
import { Denial } from './deny.ts';

type VerifyKey = Uint8Array | CryptoKey;

export class JwtVerifier {
  private readonly keys = new Map<string, Promise<VerifyKey>>();
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
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new Denial('token_invalid', { credential });
    }
    const candidates = this.jwtKeys.filter(
      (k) => k.token === tokenId && (kid === undefined || k.kid === kid),
    );
    if (candidates.length === 0) throw new Denial('token_invalid', { credential });
    let expired = false;
    for (const candidate of candidates) {
      try {
        const { payload } = await jwtVerify(token, await this.keyOf(candidate), {
          algorithms: spec.algorithms,
          clockTolerance: spec.leewaySeconds,
          currentDate: new Date(this.clock.now()),
          ...(spec.issuer !== undefined ? { issuer: spec.issuer } : {}),
          ...(spec.audience !== undefined ? { audience: spec.audience } : {}),
        });
        if (typeof payload.exp !== 'number') throw new Denial('token_invalid', { credential });
        return payload;
      } catch (e) {
        if (e instanceof Denial) throw e;
        if (e instanceof errors.JWTExpired) expired = true;
      }
    }
    throw new Denial(expired ? 'token_expired' : 'token_invalid', { credential });
  }

  private keyOf(k: FixtureJwtKey): Promise<VerifyKey> {
    let key = this.keys.get(k.kid);
    if (!key) {
      key = k.alg.startsWith('HS')
        ? Promise.resolve(new TextEncoder().encode(k.secret))
        : importSPKI(k.publicKeyPem!, k.alg);
      this.keys.set(k.kid, key);
    }
    return key;
  }
}
