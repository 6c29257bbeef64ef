import { describe, expect, it } from 'vitest';
import { httpDate, isoTime } from '../../../mock-server/core/http-date.ts';

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

describe('isoTime', () => {
  it('gives the ISO 8601 time of each millisecond, the same one twice and after a move back', () => {
    const t = Date.UTC(2026, 11, 5, 7, 0, 0, 500);
    expect(isoTime(t)).toBe('2026-12-05T07:00:00.500Z');
    expect(isoTime(t)).toBe('2026-12-05T07:00:00.500Z');
    expect(isoTime(t + 1)).toBe('2026-12-05T07:00:00.501Z');
    expect(isoTime(t - 86_400_000)).toBe('2026-12-04T07:00:00.500Z');
  });
});
