// Exact edges of time windows hold for every instant the target might check at: a correct server
// accepts the inside edge and refuses the outside one wherever its clock is in the known window.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  edgeTimeMs,
  jwtExpiryEdge,
  marginNote,
  pinnedClockWindow,
  type TimestampEdge,
} from '../../src/engine/target-clock.ts';
import type { HmacSigning } from '../../src/model/profile.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { httpTarget } from '../../src/targets/http-target.ts';
import { summaryTable } from '../../src/report/console-report.ts';

const luxcore = resolveProfile('luxcore').profile.signing!['v1']! as HmacSigning;

/** The edge's timestamp in the profile's unit, as the signer writes it on the wire. */
function edgeTimestamp(s: HmacSigning, w: { loMs: number; hiMs: number }, edge: TimestampEdge) {
  const { unit, skewSeconds, boundary } = s.timestamp;
  const resolutionMs = unit === 'milliseconds' ? 1 : 1000;
  return edgeTimeMs({ resolutionMs, skewSeconds, boundary }, w, edge) / resolutionMs;
}
const signing = (
  unit: 'seconds' | 'milliseconds',
  boundary: 'inclusive' | 'exclusive',
): HmacSigning => ({ ...luxcore, timestamp: { unit, skewSeconds: 300, boundary } });

/** A correct server's decision at clock `nowMs`, reading its clock as given. */
function accepts(s: HmacSigning, ts: number, nowMs: number, read: 'floor' | 'fraction'): boolean {
  const now =
    s.timestamp.unit === 'milliseconds'
      ? nowMs
      : read === 'floor'
        ? Math.floor(nowMs / 1000)
        : nowMs / 1000;
  const limit = s.timestamp.unit === 'seconds' ? 300 : 300_000;
  const skew = Math.abs(now - ts);
  return s.timestamp.boundary === 'inclusive' ? skew <= limit : skew < limit;
}

const windows = fc
  .tuple(fc.integer({ min: 1.7e12, max: 1.8e12 }), fc.integer({ min: 0, max: 1500 }))
  .map(([lo, width]) => ({ loMs: lo, hiMs: lo + width }));

describe('time-window edges against a clock known within a window', () => {
  for (const unit of ['seconds', 'milliseconds'] as const)
    for (const boundary of ['inclusive', 'exclusive'] as const)
      it(`are accepted inside and refused outside at every instant of the window (${unit}, ${boundary})`, () => {
        const s = signing(unit, boundary);
        fc.assert(
          fc.property(
            windows,
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.constantFrom('floor' as const, 'fraction' as const),
            fc.constantFrom<TimestampEdge>(
              'past-inside',
              'past-outside',
              'future-inside',
              'future-outside',
            ),
            (w, at, read, edge) => {
              const nowMs = w.loMs + at * (w.hiMs - w.loMs);
              const ts = edgeTimestamp(s, w, edge);
              expect(accepts(s, ts, nowMs, read)).toBe(edge.endsWith('-inside'));
            },
          ),
        );
      });

  it('are exact where the clock is known to the instant: 300 s off at the edge, 301 s outside', () => {
    const s = signing('seconds', 'inclusive');
    const w = { loMs: 1_750_000_000_200, hiMs: 1_750_000_000_400 };
    expect(edgeTimestamp(s, w, 'future-inside') - 1_750_000_000).toBe(300);
    expect(edgeTimestamp(s, w, 'future-outside') - 1_750_000_000).toBe(301);
    expect(1_750_000_000 - edgeTimestamp(s, w, 'past-outside')).toBe(301);
    expect(marginNote(w, 1000)).toBeNull();
    expect(marginNote({ loMs: w.loMs, hiMs: w.loMs + 1200 }, 1000)).toMatch(
      /known only to within 1200 ms/,
    );
  });

  it('put a JWT expiry at the leeway edge: refused from exp + leeway on, accepted a second before', () => {
    fc.assert(
      fc.property(windows, fc.double({ min: 0, max: 1, noNaN: true }), (w, at) => {
        const now = Math.floor((w.loMs + at * (w.hiMs - w.loMs)) / 1000);
        // jose, jsonwebtoken, PyJWT: expired once now >= exp + leeway.
        const expired = (exp: number) => now >= exp + 30;
        expect(expired(jwtExpiryEdge(w, 30, 'past'))).toBe(true);
        expect(expired(jwtExpiryEdge(w, 30, 'within'))).toBe(false);
      }),
    );
  });
});

describe("a URL target's clock, read from its Date header", () => {
  it('without a Date header is a margin, said beside the PASS in the verdict table', async () => {
    const server = createServer((_req, res) => {
      res.sendDate = false;
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const target = httpTarget(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const note = marginNote(await pinnedClockWindow(target), 1000);
      expect(note).toMatch(/edges were tested up to \d s wide of the exact edge/);
      const table = summaryTable([
        {
          profile: 'luxcore',
          scenario: 'timestamp-at-window-edge',
          title: 't',
          family: 'timestamp-skew',
          severity: 'MUST',
          cite: 'c',
          status: 'PASS',
          note: note!,
          runs: 1,
          seed: 1,
          durationMs: 1,
        },
      ]);
      expect(table).toMatch(
        /timestamp-at-window-edge\s+MUST\s+PASS\s+the target's clock is known only/,
      );
    } finally {
      server.close();
    }
  });

  it('is narrowed to well under a second and holds the server clock, however far off it is', async () => {
    const offsetMs = 123_456_789;
    const server = createServer((_req, res) => {
      res.setHeader('Date', new Date(Date.now() + offsetMs).toUTCString());
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const target = httpTarget(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const w = await pinnedClockWindow(target);
      const serverNow = Date.now() + offsetMs;
      expect(w.hiMs - w.loMs).toBeLessThan(500);
      expect(w.loMs).toBeLessThanOrEqual(serverNow);
      expect(w.hiMs).toBeGreaterThanOrEqual(serverNow - 50);
    } finally {
      server.close();
    }
  });
});
