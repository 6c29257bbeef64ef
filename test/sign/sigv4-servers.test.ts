// The bundled mock serving the Skyhold example (AWS SigV4): green on every signing scenario that
// applies over several seeds, and caught when its SigV4 verifier has one mistake (the harness
// keeps the correct signer; only the mock's verify is changed).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { propertySeed } from '../../src/engine/run-conformance.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { Profile } from '../../src/model/profile.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { sigv4Signer, type Sigv4Config } from '../../src/sign/schemes/sigv4.ts';
import { attachModuleSigner } from '../../src/sign/signers.ts';
import type { Signer } from '../../src/sign/signer.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';

const DIR = join(import.meta.dirname, '../../examples/sigv4-api');
const registry = new SchemaRegistry([SCHEMAS_DIR, join(DIR, 'schemas')]);
const { profile } = loadProfile(join(DIR, 'profile.yaml'), registry);
const fixtures = generateFixtures(profile);
const creds = fixturesToCredentials(fixtures, profile);
const signingScenarios = loadScenarios().filter((s) =>
  ['signature-tamper', 'timestamp-skew', 'nonce-replay'].includes(s.family),
);

async function run(mockProfile: Profile, seed = 2026): Promise<Verdict[]> {
  const mock = await createAuthMock({ profile: mockProfile, fixtures });
  const target = await inProcessMockTarget(mockProfile, mock);
  try {
    const out: Verdict[] = [];
    for (const scenario of signingScenarios) {
      const v = await runScenario({ profile, creds, target, registry }, scenario, {
        runs: 15,
        seed: propertySeed(seed, profile.id, scenario.id),
      });
      if (v) out.push(v);
    }
    return out;
  } finally {
    await target.close();
  }
}

/** The profile with the mock's SigV4 verify replaced by a broken one (the harness keeps its own). */
function withVerifier(broken: Signer<Sigv4Config>['verify']): Profile {
  const copy = structuredClone(profile);
  attachModuleSigner(copy.signing!['aws']!, { ...sigv4Signer, verify: broken } as Signer<never>);
  return copy;
}

const status = (vs: Verdict[], id: string) => vs.find((v) => v.scenario === id)?.status;
const notPassed = (vs: Verdict[]) =>
  vs.filter((v) => v.status !== 'PASS').map((v) => `${v.scenario}: ${v.status} ${v.reason ?? ''}`);

describe('the mock serving a SigV4 profile', () => {
  // Two seeds here; `npm run teeth -- --seeds N` runs the Skyhold example (SigV4) over many.
  for (const seed of [2026, 1]) {
    it(`passes every signing scenario that applies (seed ${seed}); no nonce or version scenario runs`, async () => {
      const verdicts = await run(profile, seed);
      expect(notPassed(verdicts)).toEqual([]);
      const ran = verdicts.map((v) => v.scenario);
      expect(ran).toEqual(
        expect.arrayContaining([
          'signature-body-tampered',
          'signature-query-tampered',
          'signature-method-tampered',
          'signature-path-tampered',
          'signature-signed-header-tampered',
          'signature-empty',
          'signature-wrong-key-id',
          'timestamp-at-window-edge',
          'timestamp-just-outside-window',
        ]),
      );
      expect(ran.filter((id) => id.startsWith('nonce-'))).toEqual([]);
      expect(ran).not.toContain('signature-wrong-version');
    }, 60_000);
  }

  it('is caught when its verifier ignores X-Amz-Date', async () => {
    const verdicts = await run(
      withVerifier((c, req, keyOf, now) =>
        sigv4Signer.verify({ ...c, skewSeconds: 1e9 }, req, keyOf, now),
      ),
    );
    expect(status(verdicts, 'timestamp-too-old')).toBe('FAIL');
    expect(status(verdicts, 'timestamp-too-new')).toBe('FAIL');
    expect(status(verdicts, 'timestamp-at-window-edge')).toBe('PASS');
  }, 60_000);

  it('is caught when its window refuses the exact edge the profile accepts', async () => {
    const verdicts = await run(
      withVerifier((c, req, keyOf, now) =>
        sigv4Signer.verify({ ...c, boundary: 'exclusive' }, req, keyOf, now),
      ),
    );
    expect(status(verdicts, 'timestamp-at-window-edge')).toBe('FAIL');
    expect(status(verdicts, 'timestamp-just-outside-window')).toBe('PASS');
  }, 60_000);

  it('is caught when it takes the one secret whatever access key id is named', async () => {
    const verdicts = await run(
      withVerifier((c, req, keyOf, now) =>
        sigv4Signer.verify(c, req, () => keyOf(creds.hmac!.keyId ?? creds.hmac!.merchant!), now),
      ),
    );
    expect(status(verdicts, 'signature-wrong-key-id')).toBe('FAIL');
    expect(status(verdicts, 'signature-body-tampered')).toBe('PASS');
  }, 60_000);

  it('is caught when it leaves the query out of what it verifies', async () => {
    const verdicts = await run(
      withVerifier((c, req, keyOf, now) =>
        sigv4Signer.verify(
          c,
          { ...req, pathWithQuery: req.pathWithQuery.split('?')[0]! },
          keyOf,
          now,
        ),
      ),
    );
    expect(status(verdicts, 'signature-query-tampered')).toBe('FAIL');
    expect(status(verdicts, 'signature-path-tampered')).toBe('PASS');
  }, 60_000);
});
