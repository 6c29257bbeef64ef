import fc from 'fast-check';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { arbMalformedJwt } from '../../src/generate/arb-malformed-jwt.ts';

const parses = (token: string): boolean => {
  try {
    decodeProtectedHeader(token);
    decodeJwt(token);
    return true;
  } catch {
    return false;
  }
};

describe('arbMalformedJwt', () => {
  it('draws only tokens that no JWT library can parse', () => {
    fc.assert(
      fc.property(arbMalformedJwt(), (token) => !parses(token)),
      { numRuns: 500 },
    );
  });

  it('draws tokens that fit in an Authorization header (visible ASCII, no spaces)', () => {
    fc.assert(
      fc.property(arbMalformedJwt(), (token) => /^[\x21-\x7e]+$/.test(token)),
      {
        numRuns: 500,
      },
    );
  });

  it('draws every kind: a word, no dots, two segments, four, and a bad header or claims segment', () => {
    const seen = fc.sample(arbMalformedJwt(), { numRuns: 400, seed: 1 });
    const segments = new Set(seen.map((t) => t.split('.').length));
    expect([...segments].sort()).toEqual([1, 2, 3, 4]);
    expect(seen.some((t) => /[%!*~$(@]/.test(t))).toBe(true);
  });
});
