// The harness has teeth: each deliberately broken server is caught by the scenario of its family,
// and the correct mock passes everything. Reject-everything and accept-everything both fail.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { brokenTarget, caughtByVerdicts, json } from '../support/broken-targets.ts';
import { BROKEN_CORPUS } from '../support/broken-corpus.ts';
import { STATE_FAULTS } from '../support/state-faults.ts';
import { AUTHORIZATION_FAULTS } from '../support/broken-authorization.ts';
import { OAUTH_CLIENT_FAULTS } from '../support/broken-oauth-client.ts';
import { errorIdFor } from '../../src/model/error-for-denial.ts';

const scenarios = loadScenarios();
const RUNS = 15;

const BROKEN = BROKEN_CORPUS;
const PROFILES = ['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay'];

describe('the corpus of broken servers', () => {
  it('holds at least 32 single-fault implementations, on each of the five profiles', () => {
    expect(BROKEN.length).toBeGreaterThanOrEqual(32);
    expect([...new Set(BROKEN.map((b) => b.profile))].sort()).toEqual(PROFILES);
  });

  it('names each one once, says which real-world mistake it models and which scenarios catch it', () => {
    const names = BROKEN.map((b) => `${b.profile}: ${b.name}`);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const b of BROKEN) {
      expect(b.models.length, b.name).toBeGreaterThan(20);
      expect(b.caughtBy.length, b.name).toBeGreaterThan(0);
      for (const id of b.caughtBy)
        expect(
          scenarios.map((s) => s.id),
          `${b.name}: ${id}`,
        ).toContain(id);
    }
  });
});

describe('the harness catches each broken server with the scenario of its family', () => {
  it('has a broken server for each family of the brief', () => {
    const families = new Set(
      BROKEN.flatMap((b) => b.caughtBy).map((id) => scenarios.find((s) => s.id === id)!.family),
    );
    for (const f of [
      'missing-tenant',
      'revoked-key',
      'scope-denial',
      'expired-jwt',
      'nonce-replay',
      'timestamp-skew',
    ])
      expect(families).toContain(f);
  });

  // The stateful families (lifecycle, rate windows, token refresh, session tokens, wildcards) have
  // their broken servers in test/support/state-faults.ts, with their model-based tests; the
  // Authorization scheme-word and Basic families theirs in test/support/broken-authorization.ts
  // (on the example API that has such credentials), with test/engine/authorization-scheme-servers;
  // the OAuth client family's in test/support/broken-oauth-client.ts, with the Kestrel example.
  it('has a broken server that a scenario of every built-in family catches', () => {
    const caughtBy = [
      ...BROKEN.flatMap((b) => b.caughtBy),
      ...STATE_FAULTS.map((f) => f.caughtBy),
      ...AUTHORIZATION_FAULTS.flatMap((b) => b.caughtBy),
      ...OAUTH_CLIENT_FAULTS.flatMap((b) => b.caughtBy),
    ];
    const caught = new Set(caughtBy.map((id) => scenarios.find((s) => s.id === id)!.family));
    const uncovered = [...new Set(scenarios.map((s) => s.family))].filter((f) => !caught.has(f));
    expect(uncovered).toEqual([]);
  });

  for (const b of BROKEN) {
    it(`${b.profile}: ${b.name} (${b.models}) is caught by ${b.caughtBy.join(', ')}`, async () => {
      const { target, profile, creds } = await brokenTarget(b);
      const verdicts = await caughtByVerdicts({ profile, creds, target }, b, scenarios, RUNS);
      for (const id of b.caughtBy) {
        const v = verdicts.find((x) => x.scenario === id);
        expect(v?.status, `${id}: ${v?.reason}`).toBe('FAIL');
        expect(v!.counterexample?.curl).toContain('curl -i -X');
      }
    });
  }

  it('a server that refuses everything fails every scenario that has an accepted twin', async () => {
    const { target, profile, creds } = await brokenTarget({
      name: 'reject everything',
      profile: 'luxcore',
      models: 'a misconfigured key store that knows no key',
      caughtBy: [],
      rewrite: () => json(401, { error: { code: 'invalid_api_key', message: 'Invalid API key.' } }),
    });
    const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
      runs: RUNS,
      seed: 1,
    });
    expect(verdicts.length).toBeGreaterThan(5);
    for (const v of verdicts) expect(v.status, v.scenario).toBe('FAIL');
    // Each failure is a request the profile says must be accepted, refused with the 401.
    for (const v of verdicts)
      expect(v.reason, v.scenario).toMatch(/expected status 2\d\d, got 401/);
  });

  it('a server that accepts everything fails every negative scenario', async () => {
    const { target, profile, creds } = await brokenTarget({
      name: 'accept everything',
      profile: 'luxcore',
      models: 'auth middleware left out of the chain: every route public',
      caughtBy: [],
      mutateProfile: (p) => {
        for (const r of p.routes) {
          r.auth = 'public';
          delete r.scope;
          delete r.signing;
          delete r.bindings;
        }
      },
    });
    const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
      runs: RUNS,
      seed: 1,
    });
    const negatives = verdicts.filter(
      (v) => scenarios.find((s) => s.id === v.scenario)!.expect.denial !== undefined,
    );
    expect(negatives.length).toBeGreaterThan(5);
    for (const v of negatives) expect(v.status, v.scenario).toBe('FAIL');
  });
});

describe("the error the harness expects is the profile's, by binding and credential", () => {
  it('reads per-binding overrides (AuxVault: wrong tenant 401, wrong merchant 403)', async () => {
    const { profile } = await brokenTarget({
      name: 'x',
      profile: 'auxvault',
      models: '',
      caughtBy: [],
    });
    expect(
      errorIdFor(profile, 'binding_mismatch', { binding: 'tenant', credential: 'apiKey' }),
    ).toBe('invalidApiKey');
    expect(
      errorIdFor(profile, 'binding_mismatch', { binding: 'merchant', credential: 'apiKey' }),
    ).toBe('merchantForbidden');
  });
});
