// Issue 14 item 5: a target that trusts only its own identity provider. The Kestrel example's
// tokens are obtained with an OAuth 2.0 client-credentials grant (RFC 6749 §4.4) from the mock's
// token endpoint; with only a client id and secret in the credentials, the scenarios that mint
// their own tokens SKIP and say why, the others pass with obtained tokens, and a token endpoint or
// an API with one mistake is failed by the scenario of that mistake.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { verify } from '../../src/api/verify.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';
import { EXAMPLES_DIR } from './run-example.ts';
import { OAUTH_CLIENT_FAULTS } from '../support/broken-oauth-client.ts';

const dir = join(EXAMPLES_DIR, 'oauth-client-api');
// Its body schemas are found beside it, as `authconform run --profile FILE` finds them (F2).
const loaded = resolveProfile(join(dir, 'profile.yaml'));
const { profile } = loaded;
const creds = loadCredentials(join(dir, 'credentials.yaml'), profile);
const client = creds.client!;

/** A mistake put in front of the correct mock: the request as the faulty server would read it. */
type Mistake = (req: OutgoingRequest) => OutgoingRequest;

async function run(seed: number, mistake?: Mistake, only?: string[]): Promise<Verdict[]> {
  const mock = await createAuthMock({ profile, fixtures: join(dir, 'fixtures.yaml') });
  const inner = await inProcessMockTarget(profile, mock);
  const target: Target = mistake ? { ...inner, send: (req) => inner.send(mistake(req)) } : inner;
  // The mock of this world (its own fixtures) as a target of the test's own: verify() closes it.
  const record = await verify({
    profile: loaded,
    target,
    credentials: creds,
    runs: 20,
    seed,
    ...(only ? { scenarios: only } : {}),
  });
  return record.verdicts;
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
