// The memo behind pattern answers: short values are asked once, long ones every time, an answer of
// undefined is kept like any other, and a full memo starts over rather than grow.
import { describe, expect, it } from 'vitest';
import { shortValueMemo } from '../../src/model/short-value-memo.ts';

describe('shortValueMemo', () => {
  it('computes a short value once, undefined included, and a long value each time', () => {
    const asked: string[] = [];
    const f = shortValueMemo((v) => {
      asked.push(v);
      return v.startsWith('k') ? v.length : undefined;
    });
    const long = 'x'.repeat(257);
    for (let i = 0; i < 2; i++) {
      expect(f('key')).toBe(3);
      expect(f('none')).toBeUndefined();
      f(long);
    }
    expect(asked).toEqual(['key', 'none', long, long]);
  });

  it('starts over when 1,024 values are kept', () => {
    let calls = 0;
    const f = shortValueMemo((v) => (calls++, v));
    for (let i = 0; i <= 1024; i++) f(`v${i}`);
    calls = 0;
    f('v1024');
    f('v0');
    expect(calls).toBe(1);
  });
});
