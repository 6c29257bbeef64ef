/**
 * "Authorization: Bearer sk_<id>.<secret>" with Hono's bearer-auth middleware: the library reads
 * and parses the header and answers the missing / malformed cases; verifyToken is ours and looks
 * the key up by id, compares the secret's hash in constant time, and tells a revoked key (or a
 * secret whose rotation grace is over) from an unknown one. The key is left in c.var.key.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { errorResponse, type ErrorCode } from './errors.ts';
import type { ApiKey, World } from './world.ts';

export interface GatewayEnv {
  Variables: { key: ApiKey; authFailure: ErrorCode };
}

const KEY_SHAPE = /^sk_([a-z0-9]{16})\.([A-Za-z0-9]{40})$/;

export function keyAuth(world: World): MiddlewareHandler<GatewayEnv> {
  return bearerAuth({
    verifyToken: (token, c: Context<GatewayEnv>) => {
      const outcome = checkKey(world, token);
      if (typeof outcome === 'string') {
        c.set('authFailure', outcome);
        return false;
      }
      c.set('key', outcome);
      return true;
    },
    // No Authorization header, or one with another scheme or an empty Bearer: no key was sent.
    noAuthenticationHeader: { message: () => errorResponse('MISSING_API_KEY') },
    invalidAuthenticationHeader: {
      message: (c: Context) =>
        errorResponse(
          /^bearer\s+\S/i.test(c.req.header('authorization') ?? '')
            ? 'INVALID_API_KEY'
            : 'MISSING_API_KEY',
        ),
    },
    invalidToken: {
      message: (c: Context<GatewayEnv>) => errorResponse(c.get('authFailure') ?? 'INVALID_API_KEY'),
    },
  });
}

/** The key a token authenticates, or why it does not. */
function checkKey(world: World, token: string): ApiKey | ErrorCode {
  const m = KEY_SHAPE.exec(token);
  if (!m) return 'INVALID_API_KEY';
  const key = world.keys.find((k) => k.id === m[1]);
  if (!key) return 'INVALID_API_KEY';
  const hash = sha256(m[2]!);
  if (sameHash(hash, key.secretSha256)) return key.status === 'revoked' ? 'API_KEY_REVOKED' : key;
  const old = key.previous?.find((p) => sameHash(hash, p.secretSha256));
  if (!old) return 'INVALID_API_KEY';
  // A rotated-out secret works through its grace period, then is retired like a revoked key.
  return key.status === 'active' && Date.now() < old.untilMs ? key : 'API_KEY_REVOKED';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
