// API keys in a query parameter and in a cookie (OpenAPI's apiKey `in: query | cookie`, issue 17
// item 1), proven on the corpus profile test/fixtures/query-cookie-keys/profile.yaml: the correct
// mock passes every scenario that applies over two seeds, a server that takes any value of the
// query key or never reads the cookie is caught, and a key in a URL is masked in a report.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { brokenTarget, caughtByVerdicts, type BrokenServer } from '../support/broken-targets.ts';

const PROFILE = 'test/fixtures/query-cookie-keys/profile.yaml';
const scenarios = loadScenarios();

/** A server on the corpus profile's generated world (no mistake: the correct mock). */
const server = (b: Partial<BrokenServer> = {}): BrokenServer => ({
  name: 'correct',
  profile: PROFILE,
  models: 'the bundled mock',
  caughtBy: [],
  fixtures: generateFixtures,
  ...b,
});

const BROKEN: BrokenServer[] = [
  server({
    name: 'query key taken whatever its value',
    models: 'a tile server that checks only that req.query.api_key is there, never looks it up',
    caughtBy: ['unknown-key', 'malformed-key', 'revoked-key-refused'],
    rewrite: (req, creds) => {
      if (!req.pathWithQuery.startsWith('/v1/tiles/')) return req;
      const valid = encodeURIComponent(creds.keys!.valid!.value);
      return {
        ...req,
        pathWithQuery: req.pathWithQuery.replace(/api_key=[^&]*/, `api_key=${valid}`),
      };
    },
  }),
  server({
    name: 'cookie never read',
    models: 'a dashboard route mounted before the cookie-auth middleware',
    caughtBy: ['missing-key', 'unknown-key'],
    mutateProfile: (p) => {
      p.routes.find((r) => r.id === 'getAccount')!.auth = 'public';
    },
  }),
];

describe('API keys in a query parameter and in a cookie', () => {
  it('the correct mock passes every scenario that applies, over two seeds; header-name-case is N/A', async () => {
    const { profile, creds, target } = await brokenTarget(server());
    for (const seed of [1, 2]) {
      const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
        runs: 8,
        seed,
      });
      expect(verdicts.map((v) => v.scenario)).toEqual(
        expect.arrayContaining([
          'missing-key',
          'unknown-key',
          'malformed-key',
          'revoked-key-refused',
          // The export route is signed with the key in its query string.
          'signature-query-tampered',
          'nonce-replayed',
        ]),
      );
      expect(verdicts.map((v) => v.scenario)).not.toContain('header-name-case');
      for (const v of verdicts)
        expect(v.status, `seed ${seed}, ${v.scenario}: ${v.reason}`).toBe('PASS');
    }
  });

  for (const b of BROKEN) {
    it(`catches: ${b.name} (${b.models}) with ${b.caughtBy.join(', ')}`, async () => {
      const run = await brokenTarget(b);
      const verdicts = await caughtByVerdicts(run, b, scenarios, 8);
      for (const id of b.caughtBy) {
        const v = verdicts.find((x) => x.scenario === id);
        expect(v?.status, `${id}: ${v?.reason}`).toBe('FAIL');
      }
    });
  }

  it('masks a key sent in the query string in the exchanges and the curl replay, altered or not', async () => {
    const run = await brokenTarget(BROKEN[0]!);
    const caughtBy = ['revoked-key-refused', 'unknown-key'];
    const verdicts = await caughtByVerdicts(run, { caughtBy }, scenarios, 8);
    expect(verdicts.map((v) => v.status)).toEqual(['FAIL', 'FAIL']);
    for (const v of verdicts) {
      const { curl, exchanges } = v.counterexample!;
      expect(curl).toMatch(/\/v1\/tiles\/7\/12\/34\?api_key=tg_…[a-z0-9]{4}'/);
      // unknown-key sends the valid key with its last character changed: all but the secret.
      for (const key of [run.creds.keys!.valid!, run.creds.keys!.revoked!])
        for (const text of [curl, ...exchanges.map((x) => x.request)])
          expect(text).not.toContain(key.value.slice(0, -1));
    }
  });
});
