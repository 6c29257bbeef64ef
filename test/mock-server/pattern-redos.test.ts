// A profile pattern with catastrophic backtracking (nested quantifiers) must not let one crafted
// header block the mock: profile patterns are matched in linear time (src/model/anchored-pattern.ts).
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';

describe('a key pattern with nested quantifiers', () => {
  it('answers a crafted key at once with the unknown-key denial (a backtracking match took seconds)', async () => {
    const profile = structuredClone(resolveProfile('luxcore').profile);
    const test = Object.values(profile.keyFormats!).find((f) => f.prefix === 'qp_test_sk_')!;
    test.pattern = 'qp_test_sk_([A-Za-z0-9]+)+$';
    const mock = await createAuthMock({ profile });
    // 26 letters and a '!': ~2^26 backtracking steps (seconds); 8000: the event loop for good.
    for (const n of [26, 8000]) {
      const started = performance.now();
      const res = await mock.handle({
        method: 'GET',
        path: '/api/v1/balance',
        pathWithQuery: '/api/v1/balance',
        headers: { 'x-api-key': `qp_test_sk_${'a'.repeat(n)}!` },
        body: new Uint8Array(0),
      });
      expect(res.status).toBe(401);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
