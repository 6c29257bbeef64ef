import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbOutsidePattern } from '../../src/generate/arb-outside-pattern.ts';

describe('arbOutsidePattern: a malformed id the binding pattern refuses', () => {
  it('draws only values the pattern does not match, never an empty one', () => {
    const pattern = '[a-z0-9_]{1,64}';
    const values = fc.sample(arbOutsidePattern(pattern), { numRuns: 200, seed: 3 });
    for (const v of values) {
      expect(v).not.toMatch(/^(?:[a-z0-9_]{1,64})$/);
      expect(v.length).toBeGreaterThan(0);
    }
    // Several realistic mistakes, not one.
    expect(new Set(values).size).toBeGreaterThan(3);
  });

  it('leaves out the candidates a permissive pattern accepts', () => {
    const values = new Set(fc.sample(arbOutsidePattern('[^ ]+'), { numRuns: 200, seed: 3 }));
    expect([...values].every((v) => v.includes(' '))).toBe(true);
  });

  it('refuses, naming the pattern, one that accepts every malformed candidate', () => {
    expect(() => arbOutsidePattern('.*')).toThrow('no malformed value drawn for pattern ".*"');
  });
});
