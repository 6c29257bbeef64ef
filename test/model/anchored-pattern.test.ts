import { describe, expect, it } from 'vitest';
import { anchored, patternProblem } from '../../src/model/anchored-pattern.ts';
import { RE2JS } from 're2js';

// Nested quantifiers: a backtracking engine takes ~2^n steps on `qp_test_sk_` + n letters + '!'.
const CATASTROPHIC = 'qp_test_sk_([A-Za-z0-9]+)+$';

describe('profile patterns', () => {
  it('match a whole value only', () => {
    expect(anchored('mk_[a-z0-9]{4}').test('mk_ab12')).toBe(true);
    expect(anchored('mk_[a-z0-9]{4}').test('xmk_ab12')).toBe(false);
    expect(anchored('mk_[a-z0-9]{4}').test('mk_ab123')).toBe(false);
    expect(anchored('a|b').test('ab')).toBe(false);
  });

  it('read named groups and where they end', () => {
    const m = anchored('sk_(?<id>[a-z0-9]{4})\\.(?<secret>[A-Z]{3})').match('sk_ab12.XYZ');
    expect(m?.groups).toEqual({ id: 'ab12', secret: 'XYZ' });
    expect(m?.end('id')).toBe(7);
    expect(anchored('sk_(?<id>[a-z]+)').match('sk_1')).toBeUndefined();
  });

  it('match an 8 KB crafted value against a catastrophic pattern in linear time', () => {
    const started = performance.now();
    expect(anchored(CATASTROPHIC).test(`qp_test_sk_${'a'.repeat(8000)}!`)).toBe(false);
    expect(anchored(CATASTROPHIC).test(`qp_test_sk_${'a'.repeat(8000)}`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('answer as RE2 does for a prefix and one repeated class (matched without re2js)', () => {
    const sent = ['abcDEF12', 'abc_-', 'ab', 'abc\n', 'abc!', 'ábc12345', 'pk_test_x', '', '-'];
    const values = [...sent, ...sent.map((v) => `pk_test_${v}`)];
    for (const pattern of ['^[A-Za-z0-9_-]+$', 'pk_test_[A-Za-z0-9]{1,3}', '[a-c]*', '[a-]{2,}'])
      for (const v of values) {
        const re2 = RE2JS.compile(`^(?:${pattern})$`).matches(v);
        expect(anchored(pattern).test(v), `${pattern} on ${JSON.stringify(v)}`).toBe(re2);
      }
  });

  it('refuse backreferences and lookaround, which have no linear-time match', () => {
    expect(patternProblem('(a)\\1')).toMatch(/cannot be matched in linear time/);
    expect(patternProblem('mk_(?=x)x')).toMatch(/no lookaround/);
    expect(patternProblem('(?<!x)a')).toMatch(/cannot be matched in linear time/);
    expect(patternProblem('mk_[a-z')).toMatch(/invalid regular expression/);
  });

  it('accept every pattern of the built-in profiles', () => {
    for (const p of [
      '^sk_(?<id>[a-z0-9]{16})\\.(?<secret>[A-Za-z0-9]{40})$',
      '[a-z0-9]+(?:-[a-z0-9]+)*|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
      'pk_test_[A-Za-z0-9]{24,128}',
      '^[A-Za-z0-9_-]+$',
      CATASTROPHIC,
    ])
      expect(patternProblem(p)).toBeUndefined();
  });
});
