// Robustness: whatever arrives (odd methods, paths, header names and values, bodies that are not
// JSON, huge values, broken JWTs, credentials with control bytes), the mock answers a 4xx or 2xx
// with a JSON body, never a 5xx and never a thrown error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInProfileIds } from '../../src/spec/builtin-specs.ts';
import { mockSession, toMock } from '../support/mock-session.ts';

const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 9000, maxLength: 9000 }),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Bearer a.b',
    'Bearer a.b.c',
    'Basic Zm9vOmJhcg==',
    'Bearer eyJhbGciOiJub25lIn0.e30.',
    '\u0000',
    'é',
  ),
);

describe('the mock never answers 5xx', () => {
  for (const id of builtInProfileIds()) {
    it(`${id}: any mutation of a valid request gets a 2xx or 4xx JSON answer`, async () => {
      const s = await mockSession(id);
      const positives = await Promise.all(s.profile.routes.map((r) => s.positive(r.id)));
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: positives.length - 1 }),
          fc.record({
            method: fc.option(fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'PUT'), {
              nil: undefined,
            }),
            pathSuffix: fc.option(
              fc.constantFrom('/', '/x', '/%00', '/%E0%A4%A', '/..', '?a=1&a=2', '//'),
              { nil: undefined },
            ),
            header: fc.option(
              fc.tuple(
                fc.constantFrom(
                  'x-api-key',
                  'X-API-Key',
                  'authorization',
                  'x-tenant-id',
                  'x-merchant-id',
                  'x-nonce',
                  'x-timestamp',
                  'x-signature',
                  'x-signature-version',
                  'x-organization-id',
                  'content-type',
                ),
                headerValue,
              ),
              { nil: undefined },
            ),
            body: fc.option(
              fc.oneof(
                fc.string({ maxLength: 60 }),
                fc.constantFrom(
                  '{',
                  '[]',
                  'null',
                  '"x"',
                  '{"email":1,"password":[]}',
                  '{"scope":{}}',
                  '{"ttlMinutes":"x"}',
                ),
              ),
              { nil: undefined },
            ),
          }),
          async (i, m) => {
            const base = positives[i]!;
            const req = {
              method: m.method ?? base.method,
              pathWithQuery: base.pathWithQuery + (m.pathSuffix ?? ''),
              headers: { ...base.headers, ...(m.header ? { [m.header[0]]: m.header[1] } : {}) },
              ...(m.body !== undefined
                ? { body: m.body }
                : base.body !== undefined
                  ? { body: base.body }
                  : {}),
            };
            const res = await s.mock.handle(toMock(req));
            expect(res.status, JSON.stringify(req).slice(0, 300)).toBeLessThan(500);
            expect(res.status).toBeGreaterThanOrEqual(200);
            if (res.status !== 204) expect(typeof res.body).toBe('object');
          },
        ),
        { numRuns: 300, seed: 20261123 },
      );
    });
  }
});
