/**
 * Rate limits per the route's class: a window and, when the profile gives one, a shorter burst
 * window, counted per key (or merchant, tenant, IP). Over either: rate_limited with Retry-After.
 */
import type { Route } from '../../src/model/profile.ts';
import type { MockRequest } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';
import type { Caller } from './authenticate.ts';
import { callerBindings } from './check-access.ts';
import { Denial } from './deny.ts';

export async function checkRateLimit(
  world: MockWorld,
  route: Route,
  req: MockRequest,
  caller: Caller,
): Promise<void> {
  if (route.rateClass === undefined) return;
  const limit = world.profile.rateLimits?.[route.rateClass];
  if (!limit) return;
  const who = subjectOf(world, limit.per, req, caller);
  const windows = [
    { limit: limit.limit, windowSeconds: limit.windowSeconds },
    ...(limit.burst ? [limit.burst] : []),
  ];
  for (const w of windows) {
    const bucket = `${route.rateClass}:${w.windowSeconds}:${who}`;
    const d = await world.store.consumeRate(bucket, w.limit, w.windowSeconds * 1000);
    if (!d.allowed)
      throw new Denial('rate_limited', { retryAfterSeconds: Math.ceil(d.retryAfterMs / 1000) });
  }
}

function subjectOf(
  world: MockWorld,
  per: 'key' | 'merchant' | 'tenant' | 'ip',
  req: MockRequest,
  caller: Caller,
): string {
  if (per === 'ip') return `ip:${req.remoteAddress ?? 'unknown'}`;
  if (per === 'key') {
    const id =
      caller.key?.id ??
      caller.session?.token.subject ??
      (caller.jwt?.claims.sub as string | undefined);
    return `key:${id ?? 'anonymous'}`;
  }
  return `${per}:${callerBindings(world, caller)[per] ?? 'none'}`;
}
