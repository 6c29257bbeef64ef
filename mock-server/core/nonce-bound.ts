/**
 * How many nonces one signing identity may hold at once: what it can legitimately get admitted
 * while a nonce is remembered, by the rate limits of the routes signed with that scheme. A flood
 * past it is refused (fail closed) instead of making the store forget anyone's nonces.
 *
 * For one rate class, a window of `windowSeconds` admits `limit`; a fixed window starts at a
 * request, so the time a nonce lives (nonceMemorySeconds) can overlap ceil(life / window) + 1 of
 * them. A class with a burst admits the smaller of the two counts. The classes of the signed
 * routes add up. LuxCore's v1 (payments 5000/min with a burst of 500/10 s, nonces kept 601 s:
 * twice the 300 s skew and a second): min(5000 x 12, 500 x 62) = 31 000 per key.
 *
 * Nonces of a merchant scope are shared by that merchant's keys while a per-key limit counts
 * each key: the bound is then per key times the merchant's keys in the fixtures. A global nonce
 * scope is everyone's: only the store's overall bound applies to it.
 */
import type { RateLimit } from '../../src/model/profile.ts';
import type { ResolvedProfile } from '../../src/model/resolved-profile.ts';
import type { MockWorld } from './mock-world.ts';
import { signingById } from '../../src/sign/signers.ts';
import type { SignerParts } from '../../src/sign/signer.ts';

/** A signed route without a rate limit: its identity may hold this many (README documents it). */
export const UNLIMITED_ROUTE_NONCES = 10_000;
/** No identity is held to fewer, however tight its rate limits. */
export const MIN_NONCES_PER_IDENTITY = 1_000;

const cache = new WeakMap<MockWorld, Map<string, number>>();

/** The bound for the identity signing with `signingId` as `merchant` (cached per world). */
export function nonceBound(world: MockWorld, signingId: string, merchant: string): number {
  // Looked up before anything is derived: this runs on every signed request.
  let known = cache.get(world);
  if (known === undefined) cache.set(world, (known = new Map()));
  const id = `${signingId}\u0000${merchant}`;
  let bound = known.get(id);
  if (bound === undefined) {
    const parts = signingById(world.profile, signingId)?.parts;
    const nonce = parts?.nonce;
    if (parts === undefined || nonce === undefined || nonce.scope === 'global') bound = Infinity;
    else {
      const keysOfMerchant = world.fixtures.keys.filter((k) => k.merchant === merchant).length;
      bound = perIdentity(world.profile, signingId, parts, keysOfMerchant);
    }
    known.set(id, bound);
  }
  return bound;
}

/**
 * How long a nonce is remembered: its replay window, or as long as a request carrying it can
 * still pass the time check, where that is longer. A request may be signed up to the skew ahead
 * of the clock and stays on time until its timestamp is the skew behind: twice the skew (and the
 * second a clock read in whole seconds adds). One length per scheme, so a scope's nonces expire
 * in the order they came.
 */
export function nonceMemorySeconds(parts: SignerParts): number {
  const window = parts.nonce?.replayWindowSeconds ?? 0;
  const skew = parts.timestamp?.skewSeconds;
  return skew === undefined ? window : Math.max(window, 2 * skew + 1);
}

function perIdentity(
  profile: ResolvedProfile,
  signingId: string,
  parts: SignerParts,
  keysOfMerchant: number,
): number {
  const nonce = parts.nonce!;
  const window = nonceMemorySeconds(parts);
  const classes = new Set(
    profile.routes.filter((r) => r.signedWith?.id === signingId).map((r) => r.rateLimit),
  );
  let sum = 0;
  for (const limit of classes) {
    if (limit === undefined || limit.per === 'ip') {
      // Not bounded per identity (no limit, or one per client address): the documented default.
      sum += UNLIMITED_ROUTE_NONCES;
      continue;
    }
    const sharedBy =
      nonce.scope === 'signer' && limit.per === 'key' ? Math.max(1, keysOfMerchant) : 1;
    sum += admissible(limit, window) * sharedBy;
  }
  return Math.max(MIN_NONCES_PER_IDENTITY, sum);
}

/** Most requests a rate class admits inside `seconds`. */
function admissible(limit: RateLimit, seconds: number): number {
  const within = (l: { limit: number; windowSeconds: number }) =>
    l.limit * (Math.ceil(seconds / l.windowSeconds) + 1);
  return Math.min(within(limit), ...(limit.burst ? [within(limit.burst)] : []));
}
