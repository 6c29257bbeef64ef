/**
 * Nonces of a length range relative to the profile's bounds ('min-1', 'max', {from: min, to: max}),
 * of allowed characters or with at least one character outside the profile's nonce pattern.
 */
import fc from 'fast-check';
import { anchored } from '../model/anchored-pattern.ts';
import type { SignerParts } from '../sign/signer.ts';

/** A scheme's nonce bounds. */
export type NonceParts = NonNullable<SignerParts['nonce']>;
import type { LengthBound } from '../scenario/scenario-model.ts';

const SAFE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const ODD = ['.', ':', ' ', '+', '/', '=', 'é', '~'];

export function arbNonce(
  nonce: NonceParts,
  length: LengthBound,
  chars: 'allowed' | 'disallowed' = 'allowed',
): fc.Arbitrary<string> {
  const resolve = (b: number | string) => resolveBound(nonce, b);
  const [lo, hi] =
    typeof length === 'object'
      ? [resolve(length.from), resolve(length.to)]
      : [resolve(length), resolve(length)];
  const allowed = allowedNonceChars(nonce);
  // The length is drawn over the whole range, its ends included, and the ends are drawn often:
  // fast-check's default size keeps strings short, so "8-128 characters" would never reach 128.
  const lengths = fc.oneof(fc.constantFrom(lo, hi), fc.integer({ min: lo, max: hi }));
  const safe = lengths.chain((n) =>
    fc.string({ unit: fc.constantFrom(...allowed), minLength: n, maxLength: n }),
  );
  if (chars === 'allowed') return safe;
  const bad = nonce.pattern
    ? ODD.filter((c) => !new RegExp(`^(?:${nonce.pattern})$`).test(c.repeat(lo)))
    : ODD;
  return fc
    .tuple(safe, fc.constantFrom(...(bad.length > 0 ? bad : ODD)), fc.nat())
    .map(([s, c, i]) => {
      if (s.length === 0) return c;
      // Inside the nonce where it can be: a space at either end would be trimmed off the header
      // by a correct server, leaving a valid nonce.
      const at = s.length <= 2 ? i % s.length : 1 + (i % (s.length - 2));
      return s.slice(0, at) + c + s.slice(at + 1);
    });
}

/** The letters and digits the profile's nonce pattern allows (all of them without a pattern). */
export function allowedNonceChars(nonce: Pick<NonceParts, 'pattern' | 'minLength'>): string[] {
  const pattern = nonce.pattern;
  if (!pattern) return SAFE;
  const re = anchored(pattern);
  return SAFE.filter((c) => re.test(c.repeat(Math.max(1, nonce.minLength))));
}

/** 'min', 'max', 'min-1', 'max+1', or a number. */
export function resolveBound(nonce: NonceParts, b: number | string): number {
  if (typeof b === 'number') return b;
  const m = /^(min|max)([+-]\d+)?$/.exec(b)!;
  const base = m[1] === 'min' ? nonce.minLength : nonce.maxLength;
  return Math.max(0, base + Number(m[2] ?? 0));
}
