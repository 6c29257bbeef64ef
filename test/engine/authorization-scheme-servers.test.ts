// Credentials after an Authorization scheme word, HTTP Basic, and routes with two credentials
// (issue 14 items 6, 7), proven on the example API examples/apikey-scheme-api/profile.yaml: the
// correct mock passes every scenario that applies over two seeds, and each server with one
// realistic mistake is caught by the scenario of its family.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { caughtByVerdicts } from '../support/broken-targets.ts';
import { AUTHORIZATION_FAULTS as BROKEN, ledgerly } from '../support/broken-authorization.ts';

const scenarios = loadScenarios();

const SCHEME_FAMILIES = ['authorization-scheme', 'basic-auth'];

describe('credentials after an Authorization scheme word, HTTP Basic, two credentials on a route', () => {
  it('the correct mock passes every scenario that applies to the example API, over two seeds', async () => {
    const { profile, creds, target } = await ledgerly();
    // Two seeds at eight draws: the many-seed search for a false alarm on this API is
    // `npm run teeth -- --seeds N`'s, on its Express example (Ledgerly).
    for (const seed of [1, 2]) {
      const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
        runs: 8,
        seed,
      });
      const applied = verdicts;
      expect(applied.map((v) => v.scenario)).toEqual(
        expect.arrayContaining([
          'authorization-scheme-case',
          'authorization-scheme-other',
          'authorization-scheme-omitted',
          'basic-wrong-secret',
          'basic-unknown-id',
          'basic-malformed-base64',
          'basic-missing-colon',
          'basic-revoked',
          'missing-key',
          'unknown-key',
          'header-name-case',
          'revoked-key-refused',
          'api-key-accepted-in-body',
        ]),
      );
      for (const v of applied)
        expect(v.status, `seed ${seed}, ${v.scenario}: ${v.reason}`).toBe('PASS');
    }
  });

  it('has a broken server for each scenario of the scheme-word and Basic families', () => {
    const ids = scenarios.filter((s) => SCHEME_FAMILIES.includes(s.family)).map((s) => s.id);
    const caught = new Set(BROKEN.flatMap((b) => b.caughtBy));
    expect(
      ids.filter((id) => !caught.has(id) && id !== 'basic-missing' && id !== 'basic-revoked'),
    ).toEqual([]);
  });

  for (const b of BROKEN) {
    it(`catches: ${b.name} (${b.models}) with ${b.caughtBy.join(', ')}`, async () => {
      const { profile, creds, target } = await ledgerly(b);
      const verdicts = await caughtByVerdicts({ profile, creds, target }, b, scenarios);
      for (const id of b.caughtBy) {
        const v = verdicts.find((x) => x.scenario === id);
        expect(v?.status, `${id}: ${v?.reason}`).toBe('FAIL');
      }
    });
  }
});
