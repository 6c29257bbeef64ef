/**
 * Rate limits per the route's class: a window and, when the profile gives one, a shorter burst
 * window, counted per key (or merchant, tenant, IP). Over either: rate_limited with Retry-After.
 *
 * Only admitted requests are counted (no profile field says otherwise): every window is checked
 * and counted in one store step, a request refused by one window is counted in none, and a
 * request refused after this check (its record used up, a lifecycle or token error) gives its
 * count back through the returned `refund`.
 */
import type { ResolvedRoute } from '../../src/model/resolved-profile.ts';
import type { MockRequest } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';
import type { Caller } from './authenticate.ts';
import { callerBindings } from './check-access.ts';
import { Denial } from './deny.ts';
import type { RateWindow } from '../state/state-store.ts';

export interface RateAdmission {
  /** Gives the request's count back: it was refused after all. */
  refund(): Promise<void>;
}

const NOTHING_COUNTED: RateAdmission = { refund: async () => {} };

export async function checkRateLimit(
  world: MockWorld,
  route: ResolvedRoute,
  req: MockRequest,
  caller: Caller,
): Promise<RateAdmission> {
  const limit = route.rateLimit;
  if (!limit) return NOTHING_COUNTED;
  const who = subjectOf(world, limit.per, req, caller);
  const windows: RateWindow[] = [];
  for (const w of windowsOf(route, limit)) {
    const window: RateWindow = {
      bucket: w.bucketPrefix + who,
      limit: w.limit,
      windowMs: w.windowMs,
    };
    if (w.aligned) window.aligned = true;
    windows.push(window);
  }
  const d = await world.store.consumeRate(windows);
  if (!d.allowed)
    throw new Denial('rate_limited', { retryAfterSeconds: Math.ceil(d.retryAfterMs / 1000) });
  return { refund: () => world.store.refundRate(d.grant) };
}

interface WindowOfClass {
  /** The bucket's name but for the subject counted. */
  bucketPrefix: string;
  limit: number;
  windowMs: number;
  /** `windowStart: clock`: windows start at whole multiples of their length. */
  aligned: boolean;
}

/** A route's windows (its class's, then the burst), read off the route once: routes are fixed. */
const windowsOfRoute = new WeakMap<ResolvedRoute, WindowOfClass[]>();

function windowsOf(route: ResolvedRoute, limit: RateLimitOf): WindowOfClass[] {
  let known = windowsOfRoute.get(route);
  if (known === undefined) {
    known = [
      { limit: limit.limit, windowSeconds: limit.windowSeconds },
      ...(limit.burst ? [limit.burst] : []),
    ].map((w) => ({
      bucketPrefix: `${limit.id}:${w.windowSeconds}:`,
      limit: w.limit,
      windowMs: w.windowSeconds * 1000,
      aligned: limit.windowStart === 'clock',
    }));
    windowsOfRoute.set(route, known);
  }
  return known;
}

type RateLimitOf = NonNullable<ResolvedRoute['rateLimit']>;

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
