import { describe, expect, it } from 'vitest';
import { httpDate } from '../../../mock-server/core/http-date.ts';

describe('httpDate', () => {
  it('gives the IMF-fixdate of the second the time falls in, across second boundaries', () => {
    const start = Date.UTC(2026, 11, 5, 6, 59, 58, 0);
    for (let ms = start; ms < start + 3000; ms += 250)
      expect(httpDate(ms)).toBe(new Date(ms).toUTCString());
  });

  it('follows a clock moved back and forward (a reset, an advance), not only forward by a second', () => {
    const t = Date.UTC(2026, 11, 5, 7, 0, 0, 500);
    expect(httpDate(t + 86_400_000)).toBe('Sun, 06 Dec 2026 07:00:00 GMT');
    expect(httpDate(t)).toBe('Sat, 05 Dec 2026 07:00:00 GMT');
  });
});
