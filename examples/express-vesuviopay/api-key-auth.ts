/**
 * X-API-Key authentication and the checks that follow from the key alone: its type (publishable
 * keys are "Limited to read-only and cart operations") and its store ("each API key pair is tied
 * to a specific store"). The authenticated key is left in res.locals.key for the handlers.
 */
import type { RequestHandler, Response } from 'express';
import { ApiError } from './errors.ts';
import type { RateWindow } from './rate-window.ts';
import { keyByValue, type ApiKey, type World } from './world.ts';

/** "pk_test_...", "sk_live_...": a key of no such shape is refused before any lookup. */
const KEY_SHAPE = /^(?:pk|sk)_(?:test|live)_[A-Za-z0-9]{24,128}$/;

export function apiKeyAuth(world: World, rate: RateWindow): RequestHandler {
  return (req, res, next) => {
    const value = req.get('x-api-key');
    if (value === undefined || !KEY_SHAPE.test(value)) throw new ApiError('INVALID_API_KEY');
    const key = keyByValue(world, value);
    if (!key) throw new ApiError('INVALID_API_KEY');
    if (key.status === 'revoked') throw new ApiError('API_KEY_INACTIVE');
    if (key.expiresAt !== undefined && Date.parse(key.expiresAt) <= Date.now())
      throw new ApiError('API_KEY_EXPIRED');
    // Rate limits are per key, counted once the key is known to be good.
    const wait = rate.take(key.id);
    if (wait !== undefined) throw new ApiError('RATE_LIMITED', wait);
    res.locals.key = key;
    next();
  };
}

/** Secret-only calls refuse publishable keys with ACCESS_DENIED. */
export function keyTypes(...allowed: ApiKey['type'][]): RequestHandler {
  return (_req, res, next) => {
    if (!allowed.includes(keyOf(res).type)) throw new ApiError('ACCESS_DENIED');
    next();
  };
}

/** Routes naming a store in the path: only that store's keys may call them. */
export const storeInPath: RequestHandler = (req, res, next) => {
  if (req.params.storeId !== keyOf(res).store) throw new ApiError('NO_STORE_ACCESS');
  next();
};

export function keyOf(res: Response): ApiKey {
  return res.locals.key as ApiKey;
}
