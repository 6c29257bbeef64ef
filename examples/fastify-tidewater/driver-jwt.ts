/**
 * The driver app's bearer token, verified by @fastify/jwt (fast-jwt underneath) with the
 * identity service's public key: ES256 only (so `alg: none` and HS256 signed with the public key
 * are refused by the library), issuer and audience checked, 30 s of clock tolerance. The token's
 * `account` must be the one Tidewater-Account names.
 */
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { Problem } from './problem.ts';
import { requireAccount } from './server-key.ts';
import type { World } from './world.ts';
import type { Clock } from './server.ts';

export interface DriverClaims {
  sub: string;
  account: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    user: DriverClaims;
  }
}

export async function registerDriverTokens(app: FastifyInstance, world: World): Promise<void> {
  await app.register(fastifyJwt, {
    secret: { public: world.driverTokens.publicKeyPem },
    verify: {
      algorithms: ['ES256'],
      allowedIss: world.driverTokens.issuer,
      allowedAud: world.driverTokens.audience,
      clockTolerance: 30_000, // fast-jwt counts milliseconds
    },
  });
}

/** The hook, checking `exp` and `nbf` against the app's clock (moved by the state hooks in tests). */
export const driverToken =
  (clock: Clock): onRequestAsyncHookHandler =>
  async (req) => {
    if (!/^Bearer \S+$/i.test(req.headers.authorization ?? '')) throw new Problem('token_invalid');
    let claims: DriverClaims;
    try {
      claims = await req.jwtVerify<DriverClaims>({ clockTimestamp: clock.now() });
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new Problem(
        code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED' ? 'token_expired' : 'token_invalid',
      );
    }
    if (typeof claims.sub !== 'string' || typeof claims.account !== 'string')
      throw new Problem('token_invalid');
    requireAccount(req, claims.account);
  };
