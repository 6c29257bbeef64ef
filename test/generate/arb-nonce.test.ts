import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedNonceChars,
  arbNonce,
  resolveBound,
  type NonceParts,
} from '../../src/generate/arb-nonce.ts';

// LuxCore's nonce: 8-128 URL-safe characters.
const NONCE: NonceParts = {
  minLength: 8,
  maxLength: 128,
  pattern: '[A-Za-z0-9_-]+',
  replayWindowSeconds: 300,
  scope: 'signer',
};
const draws = <T>(arb: fc.Arbitrary<T>, n = 300): T[] => fc.sample(arb, { numRuns: n, seed: 1 });

describe('resolveBound: a length relative to the profile bounds', () => {
  it("reads 'min', 'max', 'min-1', 'max+1' and numbers, never below 0", () => {
    expect(resolveBound(NONCE, 'min')).toBe(8);
    expect(resolveBound(NONCE, 'max')).toBe(128);
    expect(resolveBound(NONCE, 'min-1')).toBe(7);
    expect(resolveBound(NONCE, 'max+1')).toBe(129);
    expect(resolveBound(NONCE, 5)).toBe(5);
    expect(resolveBound({ ...NONCE, minLength: 0 }, 'min-1')).toBe(0);
  });
});

describe('arbNonce', () => {
  it('draws lengths over the whole range, both ends included and reached', () => {
    const lengths = draws(arbNonce(NONCE, { from: 'min', to: 'max' })).map((s) => s.length);
    expect(Math.min(...lengths)).toBe(8);
    expect(Math.max(...lengths)).toBe(128);
  });

  it('draws exactly the one length asked for (the too-short and too-long nonces)', () => {
    expect(new Set(draws(arbNonce(NONCE, 'min-1'), 50).map((s) => s.length))).toEqual(new Set([7]));
    expect(new Set(draws(arbNonce(NONCE, 'max+1'), 50).map((s) => s.length))).toEqual(
      new Set([129]),
    );
  });

  it('draws only characters the pattern allows by default', () => {
    for (const s of draws(arbNonce(NONCE, { from: 'min', to: 'max' })))
      expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('draws, when asked, a nonce of allowed length with a character the pattern refuses inside it', () => {
    for (const s of draws(arbNonce(NONCE, 'min', 'disallowed'))) {
      expect(s).toHaveLength(8);
      expect(s).not.toMatch(/^[A-Za-z0-9_-]+$/);
      // Not at either end, where a correct server's header trimming could remove a space.
      expect(s.slice(1, -1)).not.toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });
});

describe('allowedNonceChars', () => {
  it("is every letter and digit without a pattern, and only the pattern's with one", () => {
    expect(allowedNonceChars({ minLength: 8 })).toHaveLength(62);
    expect(new Set(allowedNonceChars({ minLength: 4, pattern: '[0-9a-f]+' }))).toEqual(
      new Set('0123456789abcdef'),
    );
  });
});
