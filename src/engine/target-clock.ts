/**
 * Exact edges of time windows against the target's clock. The harness knows the target's clock
 * only within a window (exactly for the bundled mock; from its Date header, to the second, for a
 * URL), so an edge is placed where it holds for every instant of that window: the oldest accepted
 * timestamp is accepted even if the target checks at the window's late end, the newest refused
 * one is refused even at its early end. A window wider than the edge is a margin, said in the
 * verdict's note, never a false alarm.
 */
import type { SignerParts } from '../sign/signer.ts';
import type { ClockWindow, Target } from '../targets/target.ts';

export type TimestampEdge = 'past-inside' | 'past-outside' | 'future-inside' | 'future-outside';

/** For a target that tells nothing of its clock: its whole second, give or take one. */
const UNKNOWN_MARGIN_MS = 1000;

/**
 * Where the target's clock will be when a request sent now is checked (ms): what the target says
 * (`clockWindow`), else its whole second give or take one.
 */
export function targetClockWindow(target: Target): ClockWindow {
  if (target.clockWindow) return target.clockWindow();
  const now = target.nowSeconds() * 1000;
  return { loMs: now - UNKNOWN_MARGIN_MS, hiMs: now + 999 + UNKNOWN_MARGIN_MS };
}

/**
 * Where the target's clock will be when a request sent now is checked, waited (less than a
 * second) so that the window does not straddle a second boundary where it need not: a target
 * that reads its clock in whole seconds then sees one known second.
 */
export async function pinnedClockWindow(target: Target): Promise<ClockWindow> {
  await target.calibrateClock?.();
  const read = () => targetClockWindow(target);
  const w = read();
  const boundary = Math.floor(w.hiMs / 1000) * 1000;
  if (w.hiMs - w.loMs >= 1000 || boundary <= w.loMs) return w;
  await new Promise((r) => setTimeout(r, boundary - w.loMs + 1));
  return read();
}

/**
 * The signing time (ms since the epoch, at the scheme's resolution) at the edge, for every
 * instant of the window. In seconds, a target may read its clock in whole seconds or with its
 * fraction (now / 1000 - ts): the edge holds for both, exactly where the window starts on a whole
 * second.
 */
export function edgeTimeMs(
  timestamp: NonNullable<SignerParts['timestamp']>,
  w: ClockWindow,
  edge: TimestampEdge,
): number {
  const { resolutionMs, skewSeconds, boundary } = timestamp;
  if (resolutionMs === 1000) return edgeSeconds(skewSeconds, boundary, w, edge) * 1000;
  return edgeMilliseconds(skewSeconds, boundary, w, edge);
}

function edgeSeconds(
  skew: number,
  boundary: 'inclusive' | 'exclusive',
  w: ClockWindow,
  edge: TimestampEdge,
): number {
  const inclusive = boundary === 'inclusive';
  {
    const lo = Math.floor(w.loMs / 1000);
    const hi = w.hiMs / 1000;
    switch (edge) {
      case 'past-inside':
        return inclusive ? Math.ceil(hi) - skew : Math.floor(hi) + 1 - skew;
      case 'past-outside':
        return inclusive ? lo - skew - 1 : lo - skew;
      case 'future-inside':
        return inclusive ? lo + skew : lo + skew - 1;
      case 'future-outside':
        return inclusive ? Math.floor(hi) + skew + 1 : Math.ceil(hi) + skew;
    }
  }
}

/** Milliseconds are compared as integers: the largest accepted skew, and one more. */
function edgeMilliseconds(
  skewSeconds: number,
  boundary: 'inclusive' | 'exclusive',
  w: ClockWindow,
  edge: TimestampEdge,
): number {
  const inclusive = boundary === 'inclusive';
  const max = inclusive ? skewSeconds * 1000 : skewSeconds * 1000 - 1;
  const lo = Math.floor(w.loMs);
  const hi = Math.ceil(w.hiMs);
  switch (edge) {
    case 'past-inside':
      return hi - max;
    case 'past-outside':
      return lo - (max + 1);
    case 'future-inside':
      return lo + max;
    case 'future-outside':
      return hi + max + 1;
  }
}

/**
 * A JWT exp at the leeway's edge, in seconds: 'past' is refused at the first second it must be
 * (RFC 7519 §4.1.4: not accepted on or after exp; with leeway L, refused once now >= exp + L, as
 * jose, jsonwebtoken and PyJWT do), 'within' is the last second still accepted.
 */
export function jwtExpiryEdge(w: ClockWindow, leewaySeconds: number, edge: 'past' | 'within') {
  const lo = Math.floor(w.loMs / 1000);
  const hi = Math.floor(w.hiMs / 1000);
  return edge === 'past' ? lo - leewaySeconds : hi - leewaySeconds + 1;
}

/**
 * A JWT nbf at the leeway's edge, in seconds: 'past' is the first nbf refused (RFC 7519 §4.1.5:
 * not accepted before nbf; with leeway L, refused while now + L < nbf, as jose, jsonwebtoken and
 * fast-jwt do), 'within' the last one still accepted, wherever in the window the clock is.
 */
export function jwtNotBeforeEdge(w: ClockWindow, leewaySeconds: number, edge: 'past' | 'within') {
  const lo = Math.floor(w.loMs / 1000);
  const hi = Math.floor(w.hiMs / 1000);
  return edge === 'past' ? hi + leewaySeconds + 1 : lo + leewaySeconds;
}

/** What the verdict says when the edge could not be placed exactly (null: it was exact). */
export function marginNote(w: ClockWindow, resolutionMs: number): string | null {
  const seconds = Math.floor(w.hiMs / 1000) - Math.floor(w.loMs / 1000);
  if (resolutionMs === 1000 ? seconds === 0 : w.hiMs - w.loMs < 1000) return null;
  return `the target's clock is known only to within ${Math.round(w.hiMs - w.loMs)} ms (its Date header has whole seconds): the edges were tested up to ${Math.max(1, seconds)} s wide of the exact edge, so a server off by less at the edge can pass`;
}
