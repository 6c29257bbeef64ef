/**
 * What a route asks of the authenticated key, declared in the route's definition: its type
 * (organization or system), its scope ("Scopes follow resource:action", `resource:*` granting
 * every action of that resource), and the per-key rate limit of 600 requests a minute.
 */
import type { MiddlewareHandler } from 'hono';
import { fail } from './errors.ts';
import type { GatewayEnv } from './key-auth.ts';
import type { ApiKey } from './world.ts';

/** A system key on an organization route, or the reverse, is WRONG_KEY_TYPE (before scopes). */
export function keyType(type: ApiKey['type']): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (c.var.key.type !== type) fail('WRONG_KEY_TYPE');
    await next();
  };
}

export function scope(needed: string): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (!grants(c.var.key.scopes ?? [], needed)) fail('INSUFFICIENT_SCOPE');
    await next();
  };
}

export function grants(held: string[], needed: string): boolean {
  const [resource] = needed.split(':');
  return held.some((h) => h === needed || h === `${resource}:*`);
}

export function perKeyRateLimit(
  limit: number,
  windowSeconds: number,
): MiddlewareHandler<GatewayEnv> {
  const windows = new Map<string, { startedMs: number; count: number }>();
  return async (c, next) => {
    const now = Date.now();
    const id = c.var.key.id;
    let w = windows.get(id);
    if (!w || now - w.startedMs >= windowSeconds * 1000) {
      w = { startedMs: now, count: 0 };
      windows.set(id, w);
    }
    if (w.count >= limit)
      fail(
        'RATE_LIMITED',
        Math.max(1, Math.ceil((w.startedMs + windowSeconds * 1000 - now) / 1000)),
      );
    w.count++;
    await next();
  };
}

/** The key's organization: an organization route is only ever reached by an organization key. */
export function orgOf(key: ApiKey): string {
  return key.organization!;
}
