/**
 * `jwt`: replace the route's bearer JWT by one with this fault, re-minted from the token the
 * target accepted (the claims kept, only the fault differs) with the credentials' signing
 * material. The accepted twin then carries a token signed the same way (twinTokens), or a wrong
 * key in the credentials file would pass every JWT check.
 */
import { decodeJwt } from 'jose';
import type { Credentials } from '../../model/credentials.ts';
import type { BindingKind } from '../../model/profile.ts';
import type { ResolvedRoute } from '../../model/resolved-profile.ts';
import { otherAlgorithmSize } from '../../model/jwt-claims.ts';
import type { BuildOptions } from '../../request/build-request.ts';
import { routeJwtCredential } from '../../request/header-reference.ts';
import {
  hs256WithSecret,
  mintJwt,
  resignedAs,
  tamperedSignature,
  unsignedJwt,
} from '../../request/mint-jwt.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { claimsOfOtherParty } from '../jwt-party.ts';
import { scopeClaimFor } from '../jwt-scope-claims.ts';
import { jwtExpiryEdge, jwtNotBeforeEdge } from '../target-clock.ts';
import { clockOf, faultStep, jwtIn, type FaultContext } from './fault-step.ts';

export const jwt = faultStep({
  name: 'jwt',
  pinsClock: (step) => step.jwt.includes('leeway'),
  rebuild: (ctx, opts, step) => replaceJwt(ctx, opts, step.jwt),
  twinTokens: (ctx, route, held) =>
    harnessSignedTokens(ctx.creds, route, held, ctx.target.nowSeconds()),
});

async function replaceJwt(ctx: FaultContext, opts: BuildOptions, fault: string): Promise<void> {
  const { profile, creds } = ctx;
  const cred = routeJwtCredential(ctx.route);
  const credId = cred.id;
  const material = creds.jwt;
  if (!material) throw new MissingRoleError('jwt');
  // Start from a token the target accepts: the one obtained from it, or one minted like it.
  const current = ctx.buildOptions.tokens?.[credId] ?? jwtIn(ctx.positive);
  if (!current) throw new MissingRoleError(`a JWT for "${credId}"`);
  const claims = decodeJwt(current);
  const now = ctx.buildOptions.nowSeconds;
  const spec = cred.tokenSpec;
  const leeway = spec?.kind === 'jwt' ? spec.leewaySeconds : 0;
  const base = { ...claims };
  delete base.iat;
  delete base.exp;
  delete base.nbf;
  const remint = (
    extra: Record<string, unknown>,
    o: { iat?: number; lifetime?: number; nbf?: number } = {},
  ) =>
    mintJwt(material, {
      nowSeconds: o.iat ?? now,
      lifetimeSeconds: o.lifetime ?? 600,
      claims: { ...base, ...extra },
      ...(o.nbf !== undefined ? { notBeforeOffsetSeconds: o.nbf } : {}),
    });
  let token: string;
  switch (fault) {
    case 'expired':
      token = await remint({}, { iat: now - 7200, lifetime: 7200 - (leeway + 60) });
      break;
    case 'not-yet-valid':
      token = await remint({}, { nbf: leeway + 600 });
      break;
    case 'expired-past-leeway':
    case 'expired-within-leeway': {
      const edge = fault === 'expired-past-leeway' ? 'past' : 'within';
      const exp = jwtExpiryEdge(clockOf(ctx), leeway ?? 0, edge);
      token = await remint({}, { iat: exp - 600, lifetime: 600 });
      break;
    }
    case 'bad-signature':
      token = tamperedSignature(await remint({}));
      break;
    case 'alg-none':
      token = unsignedJwt(await remint({}));
      break;
    case 'hs256-with-public-key':
      if (!material.publicKeyPem) throw new MissingRoleError('jwt.publicKeyPem');
      token = hs256WithSecret(await remint({}), material.publicKeyPem, material.kid);
      break;
    case 'other-tenant':
    case 'other-merchant':
    case 'other-store':
    case 'other-organization':
      // Signed like the accepted twin's token, naming another party: the claim alone differs.
      token = await remint(
        claimsOfOtherParty(cred, {}, fault.slice(6) as BindingKind, creds.resources),
      );
      break;
    case 'wrong-issuer':
      token = await mintJwt(
        { ...material, issuer: 'https://attacker.example' },
        { nowSeconds: now, lifetimeSeconds: 600, claims: base },
      );
      break;
    case 'other-algorithm-size': {
      const alg = material.alg ?? 'HS256';
      const other = otherAlgorithmSize(alg, spec?.kind === 'jwt' ? spec.algorithms : [alg]);
      if (other === undefined)
        throw new MissingRoleError(`jwt.alg of a family the allow-list lacks a size of (${alg})`);
      token = resignedAs(await remint({}), other, material);
      break;
    }
    case 'nbf-past-leeway':
    case 'nbf-within-leeway': {
      const edge = fault === 'nbf-past-leeway' ? 'past' : 'within';
      const nbf = jwtNotBeforeEdge(clockOf(ctx), leeway, edge);
      token = await remint({}, { nbf: nbf - now });
      break;
    }
    case 'without-route-scope':
    case 'with-route-scope':
      token = await remint(
        scopeClaimFor(
          profile,
          ctx.route,
          spec?.kind === 'jwt' ? spec : undefined,
          fault as 'with-route-scope',
        ),
      );
      break;
    case 'unknown-kid':
      // The genuine key under a kid the published key set does not hold: only the kid is wrong.
      if (material.kid === undefined) throw new MissingRoleError('jwt.kid');
      token = await mintJwt(
        { ...material, kid: `${material.kid}-unknown` },
        { nowSeconds: now, lifetimeSeconds: 600, claims: base },
      );
      break;
    default:
      token = await mintJwt(
        { ...material, audience: 'someone-else' },
        { nowSeconds: now, lifetimeSeconds: 600, claims: base },
      );
  }
  opts.tokens = { ...(opts.tokens ?? {}), [credId]: token };
}

/**
 * For each JWT credential of the route: a valid token with the claims of the one held, signed
 * with the credentials' material (as the faulty tokens are).
 */
async function harnessSignedTokens(
  creds: Credentials,
  route: ResolvedRoute,
  held: Record<string, string>,
  nowSeconds: number,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!creds.jwt) return out;
  for (const { id, kind } of route.credentials) {
    const token = held[id];
    if (kind !== 'jwt' || token === undefined) continue;
    const { iat: _iat, exp: _exp, nbf: _nbf, ...claims } = decodeJwt(token);
    out[id] = await mintJwt(creds.jwt, { nowSeconds, lifetimeSeconds: 600, claims });
  }
  return out;
}
