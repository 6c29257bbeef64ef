import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbHeaderCase } from '../../src/generate/arb-header-case.ts';

describe('arbHeaderCase: the same header name in another mix of cases', () => {
  it('draws the name case-insensitively, never as the profile spells it', () => {
    const names = fc.sample(arbHeaderCase('X-API-Key'), { numRuns: 200, seed: 5 });
    for (const n of names) {
      expect(n.toLowerCase()).toBe('x-api-key');
      expect(n).not.toBe('X-API-Key');
    }
    expect(names).toContain('x-api-key');
    expect(new Set(names).size).toBeGreaterThan(20);
  });
});
