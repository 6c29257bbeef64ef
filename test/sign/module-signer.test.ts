// A signer of the user's own (`signing: { x: { scheme: module, module: ./signer.ts } }`): loaded
// with its profile, it signs for the harness and verifies for the mock, every signing fault acts
// through it, and a mock whose verifier has one mistake is caught (issue 14 item 3).
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { propertySeed } from '../../src/engine/run-conformance.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { Profile } from '../../src/model/profile.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { attachModuleSigner, signingById } from '../../src/sign/signers.ts';
import type { Signer } from '../../src/sign/signer.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';
import { SpecError } from '../../src/spec/spec-error.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';

const DIR = join(import.meta.dirname, '../../examples/custom-signer');
const registry = new SchemaRegistry([SCHEMAS_DIR, join(DIR, 'schemas')]);
const { profile } = loadProfile(join(DIR, 'profile.yaml'), registry);
const fixtures = generateFixtures(profile);
const creds = fixturesToCredentials(fixtures, profile);
const signing = scenarioIds();

function scenarioIds() {
  return loadScenarios().filter((s) =>
    ['signature-tamper', 'timestamp-skew', 'nonce-replay'].includes(s.family),
  );
}

/** Runs the signing scenarios with the harness on `profile`, the mock on `mockProfile`. */
async function run(mockProfile: Profile): Promise<Verdict[]> {
  const mock = await createAuthMock({ profile: mockProfile, fixtures });
  const target = await inProcessMockTarget(mockProfile, mock);
  try {
    const out: Verdict[] = [];
    for (const scenario of signing) {
      const v = await runScenario({ profile, creds, target, registry }, scenario, {
        runs: 15,
        seed: propertySeed(2026, profile.id, scenario.id),
      });
      if (v) out.push(v);
    }
    return out;
  } finally {
    await target.close();
  }
}

/** The profile with the module's verifier replaced by a broken one (the harness keeps its own). */
function withVerifier(broken: (real: Signer<never>) => Signer<never>['verify']): Profile {
  const copy = structuredClone(profile);
  const real = signingById(profile, 'parcel')!.signer as Signer<never>;
  attachModuleSigner(copy.signing!['parcel']!, { ...real, verify: broken(real) });
  return copy;
}

const status = (vs: Verdict[], id: string) => vs.find((v) => v.scenario === id)?.status;

describe('a signer module named by the profile', () => {
  it('signs and verifies every signing scenario that applies: all pass on the mock', async () => {
    const verdicts = await run(profile);
    expect(
      verdicts.filter((v) => v.status !== 'PASS').map((v) => `${v.scenario}: ${v.reason}`),
    ).toEqual([]);
    expect(verdicts.map((v) => v.scenario)).toEqual(
      expect.arrayContaining([
        'signature-body-tampered',
        'signature-method-tampered',
        'signature-path-tampered',
        'signature-empty',
        'signature-wrong-key-id',
        'signature-wrong-version',
        'timestamp-at-window-edge',
        'timestamp-just-outside-window',
      ]),
    );
  }, 60_000);

  it('is caught when its verifier ignores the timestamp', async () => {
    const verdicts = await run(
      withVerifier(
        (real) => (c, req, keyOf, now) =>
          real.verify({ ...(c as object), skewSeconds: 1e9 } as never, req, keyOf, now),
      ),
    );
    expect(status(verdicts, 'timestamp-too-old')).toBe('FAIL');
    expect(status(verdicts, 'timestamp-just-outside-window')).toBe('FAIL');
  }, 60_000);

  it('is caught when its verifier takes the one secret whatever key id is named', async () => {
    const verdicts = await run(
      withVerifier(
        (real) => (c, req, keyOf, now) =>
          real.verify(c, req, () => keyOf(creds.hmac!.merchant!), now),
      ),
    );
    expect(status(verdicts, 'signature-wrong-key-id')).toBe('FAIL');
  }, 60_000);

  it('is refused at load, at its `module` field, when it is missing, exports no signer or does not compile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-signer-'));
    // Written here, not kept in the tree: the project's own type check would refuse it.
    const brokenModule = join(dir, 'does-not-compile.ts');
    writeFileSync(brokenModule, '// A syntax error on line 2.\nexport default { parts( => 1 };\n');
    const cases: [string, RegExp][] = [
      ['./no-such-signer.ts', /no signer module at .*no-such-signer\.ts/],
      [
        join(import.meta.dirname, '../fixtures/signer-modules/exports-nothing.mjs'),
        /must export a Signer .* it exports none/,
      ],
      [brokenModule, /does-not-compile\.ts:2:\d+ does not compile/],
    ];
    for (const [module, message] of cases) {
      const file = join(dir, 'profile.yaml');
      writeFileSync(
        file,
        readProfileText().replace('module: ./signer.ts', `module: ${JSON.stringify(module)}`),
      );
      let error: unknown;
      try {
        loadProfile(file, registry);
      } catch (e) {
        error = e;
      }
      expect(error, module).toBeInstanceOf(SpecError);
      expect(String((error as Error).message)).toMatch(message);
      expect(String((error as Error).message)).toMatch(/profile\.yaml:\d+:\d+/);
      // Only the module is reported: no guess at the denials its parts would have needed.
      expect((error as SpecError).problems, module).toHaveLength(1);
    }
  });
});

function readProfileText(): string {
  return readFileSync(join(DIR, 'profile.yaml'), 'utf8');
}
