import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LARKSPUR_RULES, start } from '../../examples/jwt-api/server.ts';
import type { Credentials } from '../../src/model/credentials.ts';
import type { JwtToken, Profile } from '../../src/model/profile.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { resolveReferences } from '../../src/model/resolved-profile.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { EXAMPLES_DIR, notPassed, runAgainstExample } from './run-example.ts';

const dir = join(EXAMPLES_DIR, 'jwt-api');
// A profile file is resolved as `authconform run --profile FILE` resolves it: its own body
// schemas are found beside it (F2).
const loaded = resolveProfile(join(dir, 'profile.yaml'));
const { profile } = loaded;
const creds = loadCredentials(join(dir, 'credentials.yaml'), profile);

const JWT_REQUIREMENTS = [
  'expired-jwt',
  'jwt-alg-none',
  'jwt-algorithm-confusion',
  'jwt-bad-signature',
  'jwt-expired-at-leeway-edge',
  'jwt-malformed',
  'jwt-missing',
  'jwt-nbf-within-leeway-accepted',
  'jwt-not-yet-valid',
  'jwt-not-yet-valid-at-leeway-edge',
  'jwt-other-algorithm-size',
  'jwt-scope-denied',
  'jwt-scope-granted',
  'jwt-unknown-kid',
  'jwt-within-leeway-accepted',
  'jwt-wrong-audience',
  'jwt-wrong-issuer',
];

describe('a bearer-JWT API on Express + jsonwebtoken (Larkspur: JWK Set by kid, scope claim)', () => {
  it('passes every JWT requirement over HTTP, and each of them applies', async () => {
    const verdicts = await runAgainstExample({
      profile: loaded,
      creds,
      start: () => start(0, '127.0.0.1'),
      // One seed, few draws: `npm run teeth -- --seeds N` searches this server for false alarms.
      runs: 8,
      seed: 2026,
    });
    expect(notPassed(verdicts)).toEqual([]);
    expect(verdicts.map((v) => v.scenario).sort()).toEqual(JWT_REQUIREMENTS);
  }, 90_000);

  it('passes them too with RS256 keys and the scopes as an array in scp', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = 'larkspur-rsa-1';
    const rsProfile: Profile = structuredClone(profile);
    const access = rsProfile.tokens!['access'] as JwtToken;
    access.algorithms = ['RS256'];
    access.scopeFormat = 'array';
    access.claims = { sub: 'user', scp: 'scopes' };
    const rsCreds: Credentials = {
      ...creds,
      jwt: {
        ...creds.jwt!,
        alg: 'RS256',
        kid,
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    };
    const rules = {
      ...LARKSPUR_RULES,
      algorithms: ['RS256' as const],
      scopeClaim: 'scp',
      scopeFormat: 'array' as const,
      jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid }] },
    };
    const verdicts = await runAgainstExample({
      profile: { ...loaded, profile: resolveReferences(rsProfile) },
      creds: rsCreds,
      start: () => start(0, '127.0.0.1', rules),
      runs: 8,
      seed: 2026,
    });
    expect(notPassed(verdicts)).toEqual([]);
    expect(verdicts.map((v) => v.scenario).sort()).toEqual(JWT_REQUIREMENTS);
  }, 90_000);

  it('refuses the tokens of a key the identity service does not hold, under its kid', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = {
      ...creds,
      jwt: {
        ...creds.jwt!,
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    };
    const verdicts = await runAgainstExample({
      profile: loaded,
      creds: forged,
      start: () => start(0, '127.0.0.1'),
      runs: 3,
      seed: 2026,
      only: ['jwt-missing', 'jwt-scope-granted'],
    });
    expect(verdicts.map((v) => `${v.scenario} ${v.status}`)).toEqual([
      'jwt-missing FAIL',
      'jwt-scope-granted FAIL',
    ]);
    for (const v of verdicts)
      expect(v.reason).toContain('the request the profile says must be accepted');
  }, 30_000);
});
