/**
 * The access token of every call, verified with jsonwebtoken against the identity service's JWK
 * Set: the key the token's kid names (an unknown kid is refused), only the allowed algorithms
 * (so alg none, HS256 signed with the public key and ES384 are refused by the library), issuer
 * and audience checked, exp and nbf with 30 s of leeway. The scopes are read from the claim and
 * in the form the rules name: RFC 9068's space-separated `scope`, or an array.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

export interface TokenRules {
  algorithms: jwt.Algorithm[];
  issuer: string;
  audience: string;
  leewaySeconds: number;
  scopeClaim: string;
  scopeFormat: 'string' | 'array';
  /** The identity service's published keys (RFC 7517 JWK Set). */
  jwks: { keys: (JsonWebKey & { kid: string })[] };
}

export class BearerError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: 'token_missing' | 'invalid_token' | 'token_expired' | 'insufficient_scope',
  ) {
    super(code);
  }
}

export interface Caller {
  sub: string;
  scopes: string[];
}

/** Express middleware: the caller's verified claims in res.locals.caller, or a BearerError. */
export function accessToken(rules: TokenRules) {
  const keys = new Map<string, KeyObject>(
    rules.jwks.keys.map((k) => [k.kid, createPublicKey({ key: k, format: 'jwk' })]),
  );
  const keyFor: jwt.GetPublicKeyOrSecret = (header, done) => {
    const key = header.kid !== undefined ? keys.get(header.kid) : undefined;
    if (key) done(null, key);
    else done(new Error('no key of the JWK Set has this kid'));
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const token = /^Bearer ([^\s]+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (token === undefined) return next(new BearerError(401, 'token_missing'));
    jwt.verify(
      token,
      keyFor,
      {
        algorithms: rules.algorithms,
        issuer: rules.issuer,
        audience: rules.audience,
        clockTolerance: rules.leewaySeconds,
      },
      (err, payload) => {
        if (err)
          return next(
            new BearerError(
              401,
              err.name === 'TokenExpiredError' ? 'token_expired' : 'invalid_token',
            ),
          );
        const claims = payload as jwt.JwtPayload;
        if (typeof claims.sub !== 'string') return next(new BearerError(401, 'invalid_token'));
        res.locals.caller = {
          sub: claims.sub,
          scopes: scopesOf(claims[rules.scopeClaim], rules.scopeFormat),
        } satisfies Caller;
        next();
      },
    );
  };
}

/** Express middleware after accessToken: the caller must hold `scope`. */
export function requireScope(scope: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const caller = res.locals.caller as Caller;
    next(caller.scopes.includes(scope) ? undefined : new BearerError(403, 'insufficient_scope'));
  };
}

function scopesOf(value: unknown, format: 'string' | 'array'): string[] {
  if (format === 'array')
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  return typeof value === 'string' ? value.split(' ').filter((s) => s !== '') : [];
}
