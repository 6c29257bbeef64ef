// Issue 14 item 5: a JWT route gets every family that can apply to it. Each family is caught on a
// server with that one fault (the Larkspur example: ES256 keys in a JWK Set chosen by kid, scopes
// in the `scope` claim; the built-in profiles' JWT faults are in broken-corpus.ts), the correct
// mock passes them over two seeds in both claim forms and both asymmetric algorithms, and the
// scenarios that must mint a token SKIP, saying why, where the target issues its own tokens.
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import { MemoryStore } from '../../mock-server/state/memory-store.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { JwtToken, Profile } from '../../src/model/profile.ts';
import { mintJwt } from '../../src/request/mint-jwt.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import { readFileSync } from 'node:fs';
import { validateProfileSource } from '../../src/spec/load-profile.ts';
import { addSchemasBesideProfile } from '../../src/spec/schema-registry.ts';
import { parseYamlSource } from '../../src/spec/yaml-source.ts';
import { brokenTarget, caughtByVerdicts } from '../support/broken-targets.ts';
import { LARKSPUR_CORPUS, LARKSPUR_PROFILE } from '../support/broken-jwt.ts';

const scenarios = loadScenarios();
const jwtScenarios = scenarios.filter((s) => s.requires.includes('bearer-jwt'));

/** The JWT families every route of a bearer-JWT profile like Larkspur's must get. */
const JWT_FAMILIES = [
  'jwt-missing',
  'jwt-malformed',
  'jwt-scope-denied',
  'jwt-scope-granted',
  'jwt-wrong-issuer',
  'jwt-wrong-audience',
  'jwt-alg-none',
  'jwt-other-algorithm-size',
  'jwt-algorithm-confusion',
  'jwt-bad-signature',
  'jwt-unknown-kid',
  'expired-jwt',
  'jwt-expired-at-leeway-edge',
  'jwt-within-leeway-accepted',
  'jwt-not-yet-valid',
  'jwt-not-yet-valid-at-leeway-edge',
  'jwt-nbf-within-leeway-accepted',
];

/** The correct mock of a (changed) Larkspur profile, its world generated, in-process. */
async function larkspurOnMock(change: (p: Profile) => void = () => {}) {
  const profile = structuredClone(resolveProfile(LARKSPUR_PROFILE).profile);
  change(profile);
  const fixtures = generateFixtures(profile);
  const creds = fixturesToCredentials(fixtures, profile);
  const clock = new MockClock();
  const mock = await createAuthMock({ profile, fixtures, clock, store: new MemoryStore(clock) });
  return { profile, creds, fixtures, target: await inProcessMockTarget(profile, mock) };
}

const access = (p: Profile) => p.tokens!['access'] as JwtToken;

describe('a bearer-JWT profile gets every JWT family', () => {
  for (const [label, change] of [
    ['ES256, scopes a space-separated string', () => {}],
    [
      'RS256, scopes an array in scp',
      (p: Profile) => {
        access(p).algorithms = ['RS256'];
        access(p).scopeFormat = 'array';
        access(p).claims = { sub: 'user', scp: 'scopes' };
      },
    ],
  ] as const) {
    it(`passes all of them on the correct mock over two seeds (${label})`, async () => {
      const run = await larkspurOnMock(change);
      // Two seeds at eight draws: the many-seed search for a false alarm on this API is
      // `npm run teeth -- --seeds N`'s, on its Express example (Larkspur).
      for (const seed of [1, 2]) {
        const verdicts = await runConformance([run], jwtScenarios, { runs: 8, seed });
        expect(verdicts.map((v) => v.scenario).sort()).toEqual([...JWT_FAMILIES].sort());
        expect(
          verdicts.filter((v) => v.status !== 'PASS').map((v) => `${v.scenario}: ${v.reason}`),
        ).toEqual([]);
      }
    }, 120_000);
  }
});

describe('each single-fault JWT verifier is caught by the scenario of its family', () => {
  it('has one for each family the example profile gets, but the forged tokens of the mock', () => {
    const caught = new Set(LARKSPUR_CORPUS.flatMap((b) => b.caughtBy));
    for (const id of [
      'jwt-missing',
      'jwt-scope-denied',
      'jwt-scope-granted',
      'jwt-other-algorithm-size',
      'jwt-unknown-kid',
      'jwt-wrong-issuer',
      'jwt-wrong-audience',
      'jwt-not-yet-valid-at-leeway-edge',
      'jwt-nbf-within-leeway-accepted',
      'jwt-expired-at-leeway-edge',
    ])
      expect(caught, id).toContain(id);
  });

  for (const b of LARKSPUR_CORPUS) {
    it(`${b.name} (${b.models}) is caught by ${b.caughtBy.join(', ')}`, async () => {
      const { target, profile, creds } = await brokenTarget(b);
      const verdicts = await caughtByVerdicts({ profile, creds, target }, b, scenarios);
      for (const id of b.caughtBy) {
        const v = verdicts.find((x) => x.scenario === id);
        expect(v?.status, `${id}: ${v?.reason}`).toBe('FAIL');
        // Caught by the faulty request, not by refusing the accepted twin: but for a server that
        // cannot read the profile's scope form at all, which refuses every valid token too.
        if (b.name !== 'scope claim read as an array')
          expect(v!.reason).not.toContain('the request the profile says must be accepted');
      }
    });
  }
});

describe('the mock publishes its token keys as a JWK Set and verifies by kid', () => {
  it('serves the public keys at the profile jwks path, with kid and alg, and no private part', async () => {
    const { target, fixtures } = await larkspurOnMock();
    const res = await target.send({
      method: 'GET',
      pathWithQuery: '/.well-known/jwks.json',
      headers: {},
    });
    expect(res.status).toBe(200);
    const keys = (res.body as { keys: Record<string, string>[] }).keys;
    expect(keys.map((k) => k.kid)).toEqual(fixtures.jwtKeys!.map((k) => k.kid));
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
    // Only a GET of that path: any other method there is routed as any request is.
    const post = await target.send({
      method: 'POST',
      pathWithQuery: '/.well-known/jwks.json',
      headers: {},
    });
    expect(post.status).not.toBe(200);
    expect(post.body).not.toHaveProperty('keys');
  });

  it('refuses a token signed by the right key under a kid the set does not hold', async () => {
    const { target, creds } = await larkspurOnMock();
    const now = target.nowSeconds();
    const send = async (kid: string) =>
      (
        await target.send({
          method: 'GET',
          pathWithQuery: '/v1/me',
          headers: {
            Authorization: `Bearer ${await mintJwt({ ...creds.jwt!, kid }, { nowSeconds: now, lifetimeSeconds: 60, claims: { sub: 'u1' } })}`,
          },
        })
      ).status;
    expect(await send(creds.jwt!.kid!)).toBe(200);
    expect(await send('another-kid')).toBe(401);
  });
});

describe('a target that trusts only its own identity provider', () => {
  it('runs the JWT scenarios that need no minted token and SKIPs the others, saying why', async () => {
    const { profile } = resolveProfile('auxvault');
    const fixtures = builtInFixtures(profile);
    const { jwt: _signingMaterial, ...creds } = fixturesToCredentials(fixtures, profile);
    expect(creds.login).toBeDefined();
    const target = await inProcessMockTarget(profile);
    const verdicts = await runConformance([{ profile, creds, target }], jwtScenarios, {
      runs: 5,
      seed: 1,
    });
    const status = Object.fromEntries(verdicts.map((v) => [v.scenario, v.status]));
    expect(status['jwt-missing']).toBe('PASS');
    expect(status['jwt-malformed']).toBe('PASS');
    for (const id of [
      'expired-jwt',
      'jwt-bad-signature',
      'jwt-alg-none',
      'jwt-other-algorithm-size',
      'jwt-not-yet-valid-at-leeway-edge',
    ]) {
      const v = verdicts.find((x) => x.scenario === id)!;
      expect(v.status, id).toBe('SKIP');
      expect(v.reason, id).toMatch(/jwt\.secret or jwt\.privateKeyPem.*identity provider/);
    }
  });
});

describe('a profile states its JWT checks consistently', () => {
  addSchemasBesideProfile(LARKSPUR_PROFILE);
  const text = readFileSync(LARKSPUR_PROFILE, 'utf8');
  const problems = (yaml: string) => {
    try {
      validateProfileSource(parseYamlSource(yaml, 'larkspur.yaml'));
      return [];
    } catch (e) {
      return (e as { problems: { message: string }[] }).problems.map((p) => p.message);
    }
  };

  it('loads the example as it is', () => {
    expect(problems(text)).toEqual([]);
  });

  it('refuses a JWK Set for HMAC keys: a shared secret has no public key to publish', () => {
    expect(problems(text.replace('algorithms: [ES256]', 'algorithms: [HS256]')).join('\n')).toMatch(
      /a JWK Set publishes public keys, and HS256 has none to publish/,
    );
  });

  it('refuses a scopeFormat where no claim holds the scopes', () => {
    expect(problems(text.replace('      scope: scopes\n', '')).join('\n')).toMatch(
      /scopeFormat says how the claim of meaning scopes holds them, but no claim/,
    );
  });
});
