// Issue 14 item 5: a target that trusts only its own identity provider. The Kestrel example's
// tokens are obtained with an OAuth 2.0 client-credentials grant (RFC 6749 §4.4) from the mock's
// token endpoint; with only a client id and secret in the credentials, the scenarios that mint
// their own tokens SKIP and say why, the others pass with obtained tokens, and a token endpoint or
// an API with one mistake is failed by the scenario of that mistake.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { propertySeed } from '../../src/engine/run-conformance.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';
import { EXAMPLES_DIR } from './run-example.ts';
import { OAUTH_CLIENT_FAULTS } from '../support/broken-oauth-client.ts';

const dir = join(EXAMPLES_DIR, 'oauth-client-api');
const registry = new SchemaRegistry([SCHEMAS_DIR, join(dir, 'schemas')]);
const { profile } = loadProfile(join(dir, 'profile.yaml'), registry);
const creds = loadCredentials(join(dir, 'credentials.yaml'), profile, registry);
const client = creds.client!;

/** A mistake put in front of the correct mock: the request as the faulty server would read it. */
type Mistake = (req: OutgoingRequest) => OutgoingRequest;

async function run(seed: number, mistake?: Mistake, only?: string[]): Promise<Verdict[]> {
  const mock = await createAuthMock({ profile, fixtures: join(dir, 'fixtures.yaml') });
  const inner = await inProcessMockTarget(profile, mock);
  const target: Target = mistake ? { ...inner, send: (req) => inner.send(mistake(req)) } : inner;
  const verdicts: Verdict[] = [];
  try {
    for (const scenario of loadScenarios()) {
      if (only && !only.includes(scenario.id)) continue;
      await inner.reset!();
      const v = await runScenario({ profile, creds, target, registry }, scenario, {
        runs: 20,
        seed: propertySeed(seed, profile.id, scenario.id),
      });
      if (v) verdicts.push(v);
    }
  } finally {
    await inner.close();
  }
  return verdicts;
}

const byStatus = (verdicts: Verdict[], status: string) =>
  verdicts
    .filter((v) => v.status === status)
    .map((v) => v.scenario)
    .sort();

describe('a client-credentials API whose tokens only its own authorization server signs (Kestrel)', () => {
  for (const seed of [2026, 7, 99]) {
    it(`passes with tokens it obtained, and skips what needs a token of its own making (seed ${seed})`, async () => {
      const verdicts = await run(seed);
      expect(byStatus(verdicts, 'PASS')).toEqual([
        'client-secret-wrong',
        'jwt-malformed',
        'jwt-missing',
        'jwt-scope-denied-obtained',
      ]);
      const skipped = verdicts.filter((v) => v.status === 'SKIP');
      expect(skipped.map((v) => v.scenario)).toEqual(
        expect.arrayContaining(['expired-jwt', 'jwt-wrong-issuer', 'jwt-scope-denied']),
      );
      expect(verdicts.length).toBe(skipped.length + 4);
      for (const v of skipped) {
        expect(v.reason).toContain('jwt.secret or jwt.privateKeyPem');
        expect(v.reason).toContain('an OAuth client to obtain valid tokens');
      }
    }, 60_000);
  }

  for (const broken of OAUTH_CLIENT_FAULTS) {
    it(`is failed by ${broken.caughtBy.join(', ')} when ${broken.models}`, async () => {
      const verdicts = await run(2026, (req) => broken.mistake(req, creds), [
        ...broken.caughtBy,
        'jwt-missing',
      ]);
      expect(verdicts.map((v) => `${v.scenario} ${v.status}`)).toEqual([
        ...broken.caughtBy.map((id) => `${id} FAIL`),
        'jwt-missing PASS',
      ]);
    }, 30_000);
  }

  it('refuses a wrong client secret as RFC 6749 §5.2 says: 401 invalid_client with a Basic challenge', async () => {
    const mock = await createAuthMock({ profile, fixtures: join(dir, 'fixtures.yaml') });
    const target = await inProcessMockTarget(profile, mock);
    try {
      const basic = (secret: string) =>
        `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
      const ask = (secret: string, body = 'grant_type=client_credentials') =>
        target.send({
          method: 'POST',
          pathWithQuery: '/oauth/token',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Authorization: basic(secret),
          },
          body,
        });
      const ok = await ask(client.secret);
      expect(ok.status).toBe(200);
      expect(ok.headers['cache-control']).toBe('no-store');
      expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      const wrong = await ask(`${client.secret.slice(0, -1)}x`);
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ error: 'invalid_client' });
      expect(wrong.headers['www-authenticate']).toBe('Basic');
      expect((await ask(client.secret, 'grant_type=password')).status).toBe(400);
      expect((await ask(client.secret, 'grant_type=client_credentials&scope=admin')).status).toBe(
        400,
      );
    } finally {
      await target.close();
    }
  });
});
