/**
 * The customer JWT of cart calls ("Cart operations require both an API key AND a JWT token"),
 * verified with jsonwebtoken: RS256 only (so `alg: none` and HS256 signed with the public key are
 * refused by the library), issuer and audience checked, 30 s of clock leeway on exp and nbf. The
 * auth service's public key is picked by the token's `kid`.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { ApiError } from './errors.ts';
import type { CustomerTokenKeys } from './world.ts';

export interface CustomerClaims {
  /** The customer's id (sub). */
  id: string;
  /** The store the customer signed up with (storeId). */
  store: string;
}

const LEEWAY_SECONDS = 30;

export function customerJwt(config: CustomerTokenKeys): RequestHandler {
  const keys = new Map<string, KeyObject>(
    config.keys.map((k) => [k.kid, createPublicKey(k.publicKeyPem)]),
  );
  const keyFor: jwt.GetPublicKeyOrSecret = (header, done) => {
    const key = header.kid !== undefined ? keys.get(header.kid) : undefined;
    if (key) done(null, key);
    else done(new Error('unknown kid'));
  };
  return (req, res, next) => {
    const token = /^Bearer ([^\s]+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (token === undefined) return next(new ApiError('INVALID_TOKEN'));
    jwt.verify(
      token,
      keyFor,
      {
        algorithms: ['RS256'],
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: LEEWAY_SECONDS,
      },
      (err, payload) => {
        if (err)
          return next(
            new ApiError(err.name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN'),
          );
        const claims = payload as jwt.JwtPayload | undefined;
        if (typeof claims?.sub !== 'string' || typeof claims.storeId !== 'string')
          return next(new ApiError('INVALID_TOKEN'));
        // A customer belongs to one store: a token of another store is that store's business.
        if (req.params.storeId !== claims.storeId) return next(new ApiError('NO_STORE_ACCESS'));
        res.locals.customer = { id: claims.sub, store: claims.storeId } satisfies CustomerClaims;
        next();
      },
    );
  };
}

export function customerOf(res: Response): CustomerClaims {
  return res.locals.customer as CustomerClaims;
}
