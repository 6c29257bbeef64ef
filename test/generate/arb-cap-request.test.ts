import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCapRequest, testableCaps } from '../../src/generate/arb-cap-request.ts';
import type { Route } from '../../src/model/profile.ts';

// A route that caps ttlMinutes at 15 (15 when not sent) and a cap the answer does not show.
const route = {
  id: 'magic-link',
  caps: [
    { field: 'ttlMinutes', max: 15, default: 15, at: '/data/ttlMinutes' },
    { field: 'pageSize', max: 100 },
  ],
} as unknown as Route;
const draws = (range: 'above' | 'atMost' | 'absent') =>
  fc.sample(arbCapRequest(route, range), { numRuns: 300, seed: 9 });

describe('testableCaps', () => {
  it('are the caps the answer shows; for a value not sent, only those with a default', () => {
    expect(testableCaps(route, 'above').map((c) => c.field)).toEqual(['ttlMinutes']);
    const noDefault = { caps: [{ field: 'n', max: 3, at: '/n' }] } as unknown as Route;
    expect(testableCaps(noDefault, 'atMost')).toHaveLength(1);
    expect(testableCaps(noDefault, 'absent')).toEqual([]);
  });
});

describe('arbCapRequest: a value for a capped field and the value the answer must hold', () => {
  it('above the cap: sends max+1 up to ten times max, max+1 among them, and the API holds max', () => {
    const values = draws('above');
    for (const v of values) {
      expect(v).toMatchObject({ field: 'ttlMinutes', held: 15, at: '/data/ttlMinutes' });
      expect(v.sent).toBeGreaterThanOrEqual(16);
      expect(v.sent).toBeLessThanOrEqual(150);
    }
    expect(values.map((v) => v.sent)).toContain(16);
  });

  it('at most the cap: sends 1 up to max, both ends among them, and the API holds what was sent', () => {
    const values = draws('atMost');
    for (const v of values) {
      expect(v.held).toBe(v.sent);
      expect(v.sent).toBeGreaterThanOrEqual(1);
      expect(v.sent).toBeLessThanOrEqual(15);
    }
    expect(values.map((v) => v.sent)).toEqual(expect.arrayContaining([1, 15]));
  });

  it('absent: sends nothing, and the API holds the default', () => {
    for (const v of draws('absent')) {
      expect(v.sent).toBeUndefined();
      expect(v.held).toBe(15);
    }
  });
});
