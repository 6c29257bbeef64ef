/**
 * The verifying side's public keys as a JWK Set (RFC 7517 §5), served at the path a token spec
 * names (`tokens.ID.jwks: /.well-known/jwks.json`): each fixture key of that token with a public
 * key, named by its kid and algorithm. Secrets (HS keys) are never published.
 */
import { createPublicKey } from 'node:crypto';
import type { JSONWebKeySet, JWK } from 'jose';
import type { FixtureJwtKey } from '../../src/model/fixtures.ts';
import type { MockRequest, MockResponse } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';

export function publishedJwks(keys: readonly FixtureJwtKey[], tokenId: string): JSONWebKeySet {
  return {
    keys: keys
      .filter((k) => k.token === tokenId && k.publicKeyPem !== undefined)
      .map((k) => ({
        ...(createPublicKey(k.publicKeyPem!).export({ format: 'jwk' }) as JWK),
        kid: k.kid,
        alg: k.alg,
        use: 'sig',
      })),
  };
}

/** The JWK Set answer to a GET of a token's jwks path; undefined for any other request. */
export function jwksAnswer(world: MockWorld, req: MockRequest): MockResponse | undefined {
  if (req.method !== 'GET') return undefined;
  const tokenId = Object.entries(world.profile.tokens ?? {}).find(
    ([, t]) => t.kind === 'jwt' && t.jwks === req.path,
  )?.[0];
  if (tokenId === undefined) return undefined;
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: publishedJwks(world.fixtures.jwtKeys ?? [], tokenId),
  };
}
