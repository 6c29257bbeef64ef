/**
 * Nonces the harness calls fresh are unique in the run, shrinking included: a server that
 * remembers nonces (as a correct one does) must never see one twice unless a scenario replays it
 * on purpose. A drawn nonce keeps its length and its alphabet; its last characters (at most 16)
 * are overwritten by a tag unique in the run, and a tag already sent is perturbed until unseen.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ResolvedRoute, ResolvedProfile } from '../model/resolved-profile.ts';
import { signingOf } from '../sign/signers.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import type { Target } from '../targets/target.ts';
import { allowedNonceChars, type NonceParts } from '../generate/arb-nonce.ts';

/** Tag characters: 16 of a 62-letter alphabet are 95 bits, of hex 64. */
const TAG_LENGTH = 16;
/** A short nonce has few values; past this many tries the run has used them all. */
const MAX_TRIES = 100_000;

export class FreshNonces {
  private readonly seen = new Set<string>();
  private counter = 0;
  // Random per run, not drawn from the seed: a run replayed with --seed inside the target's
  // replay window must not resend the last run's nonces to a server that still remembers them.
  private readonly runId = randomBytes(12);

  /**
   * `drawn` with a tag unique in this run written over its last allowed characters (those of the
   * profile's nonce pattern); characters outside the pattern stay where they are, so a nonce drawn
   * to be invalid stays invalid.
   */
  fresh(drawn: string, nonce: NonceParts): string {
    const alphabet = allowedNonceChars(nonce);
    const chars = [...drawn];
    const at = [...chars.keys()].filter((i) => alphabet.includes(chars[i]!)).slice(-TAG_LENGTH);
    if (at.length === 0) return drawn;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const digest = createHash('sha256')
        .update(this.runId)
        .update(String(this.counter++))
        .digest();
      at.forEach((pos, i) => (chars[pos] = alphabet[digest[i]! % alphabet.length]!));
      const nonce = chars.join('');
      if (!this.seen.has(nonce)) {
        this.seen.add(nonce);
        return nonce;
      }
    }
    throw new Error(
      `no unused nonce of ${drawn.length} characters is left in this run: the profile's nonces are too short to stay unique`,
    );
  }

  /** A fresh nonce of the profile's alphabet, 32 characters long or as near as its bounds allow. */
  next(nonce: NonceParts): string {
    const { minLength, maxLength } = nonce;
    const length = Math.min(Math.max(32, minLength), maxLength);
    return this.fresh(allowedNonceChars(nonce)[0]!.repeat(length), nonce);
  }
}

const perTarget = new WeakMap<Target, FreshNonces>();

/** The run's nonces against one target: every scenario of the run draws from the same set. */
export function freshNoncesFor(target: Target): FreshNonces {
  let nonces = perTarget.get(target);
  if (!nonces) perTarget.set(target, (nonces = new FreshNonces()));
  return nonces;
}

/** A fresh nonce for a request on the route; none for an unsigned route (it sends none). */
export function freshNonce(
  target: Target,
  profile: ResolvedProfile,
  route: ResolvedRoute,
): string | undefined {
  const nonce = signingOf(route)?.parts.nonce;
  return nonce && freshNoncesFor(target).next(nonce);
}

/** The case's drawn values, each drawn nonce made fresh (same length, same alphabet). */
export function withFreshNonces(
  target: Target,
  profile: ResolvedProfile,
  route: ResolvedRoute,
  scenario: Scenario,
  drawn: Record<string, unknown>,
): Record<string, unknown> {
  const nonce = signingOf(route)?.parts.nonce;
  if (!nonce) return drawn;
  return Object.fromEntries(
    Object.entries(drawn).map(([name, v]) =>
      scenario.draw?.[name]?.arb === 'nonce' && typeof v === 'string'
        ? [name, freshNoncesFor(target).fresh(v, nonce)]
        : [name, v],
    ),
  );
}

/** The nonce build option, where there is one (a signed route). */
export function nonceOption(nonce: string | undefined): { nonce?: string } {
  return nonce === undefined ? {} : { nonce };
}
