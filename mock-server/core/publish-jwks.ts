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

/**
 * Answers a GET of a token's jwks path with that token's JWK Set, and nothing else (undefined):
 * the paths are read off the profile once, as the profile is fixed for the mock's life. The set
 * is built at each such GET, so no answer shares objects with another.
 */
export function jwksAnswers(world: MockWorld): (req: MockRequest) => MockResponse | undefined {
  const tokenAt = new Map<string, string>();
  for (const [id, t] of Object.entries(world.profile.tokens ?? {}))
    if (t.kind === 'jwt' && t.jwks !== undefined && !tokenAt.has(t.jwks)) tokenAt.set(t.jwks, id);
  return (req) => {
    const tokenId = req.method === 'GET' ? tokenAt.get(req.path) : undefined;
    if (tokenId === undefined) return undefined;
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: publishedJwks(world.fixtures.jwtKeys ?? [], tokenId),
    };
  };
}
