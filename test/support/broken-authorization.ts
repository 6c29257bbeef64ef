/**
 * Servers with one mistake each for credentials after an Authorization scheme word, HTTP Basic
 * and routes with two credentials (issue 14 items 6, 7), on the example API
 * examples/apikey-scheme-api/profile.yaml: the bundled mock serving a world generated from that
 * profile, with the mistake put in (a changed profile, or a request rewritten before the core
 * sees it). Checked by test/engine/authorization-scheme-servers.test.ts.
 */
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { MemoryStore } from '../../mock-server/state/memory-store.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import type { Profile } from '../../src/model/profile.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { header, json, setHeader, throughFault, type BrokenServer } from './broken-targets.ts';

export const PROFILE = 'examples/apikey-scheme-api/profile.yaml';

/** The example API's mock, with the mistake of `b` put in (none: the correct mock). */
export async function ledgerly(b?: BrokenServer) {
  const { profile } = resolveProfile(PROFILE);
  const fixtures = generateFixtures(profile);
  const creds = fixturesToCredentials(fixtures, profile);
  const brokenProfile: Profile = structuredClone(profile);
  b?.mutateProfile?.(brokenProfile);
  const clock = new MockClock();
  const store = new MemoryStore(clock);
  const mock = await createAuthMock({ profile: brokenProfile, fixtures, clock, store });
  const inner = await inProcessMockTarget(brokenProfile, mock);
  const ctx = { profile, fixtures, creds, clock, mock };
  const target: Target = b
    ? { ...inner, send: (req) => throughFault(b, ctx, req, (r) => inner.send(r)) }
    : inner;
  return { profile, creds, target, fixtures };
}

/** The Basic id and secret of a request, if it carries well-formed Basic credentials. */
function basicOf(req: OutgoingRequest): { id: string; secret: string } | undefined {
  const m = /^Basic (\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export const AUTHORIZATION_FAULTS: BrokenServer[] = [
  {
    name: 'scheme word compared case-sensitively',
    profile: PROFILE,
    models: "a middleware that tests header.startsWith('ApiKey ') and header.startsWith('Basic ')",
    caughtBy: ['authorization-scheme-case'],
    rewrite: (req) => {
      const word = header(req, 'authorization')?.split(' ')[0];
      if (word !== undefined && !['ApiKey', 'Basic', 'Bearer'].includes(word))
        delete req.headers[Object.keys(req.headers).find((k) => /^authorization$/i.test(k))!];
      return req;
    },
  },
  {
    name: 'key accepted without its scheme word',
    profile: PROFILE,
    models: "a middleware that strips an optional 'ApiKey ' and takes whatever is left as the key",
    caughtBy: ['authorization-scheme-omitted'],
    rewrite: (req) => {
      const auth = header(req, 'authorization');
      if (auth !== undefined && /^lk_\S+$/.test(auth))
        setHeader(req, 'Authorization', `ApiKey ${auth}`);
      return req;
    },
  },
  {
    name: 'key accepted after any scheme word',
    profile: PROFILE,
    models:
      'a middleware that takes the last word of Authorization as the key, whatever word is before it',
    caughtBy: ['authorization-scheme-other'],
    rewrite: (req) => {
      const m = /^(\S+) (lk_\S+)$/.exec(header(req, 'authorization') ?? '');
      if (m) setHeader(req, 'Authorization', `ApiKey ${m[2]}`);
      return req;
    },
  },
  {
    name: 'Basic secret not checked',
    profile: PROFILE,
    models: 'a Basic check that looks the id up and never compares the password',
    caughtBy: ['basic-wrong-secret'],
    rewrite: (req, _creds, ctx) => {
      const sent = basicOf(req);
      const key = ctx.fixtures.keys.find((k) => k.id === sent?.id);
      if (sent && key) setHeader(req, 'Authorization', basic(key.id, key.value));
      return req;
    },
  },
  {
    name: 'Basic id not checked',
    profile: PROFILE,
    models: 'a Basic check that looks the key up by the password alone and ignores the user id',
    caughtBy: ['basic-unknown-id'],
    rewrite: (req, _creds, ctx) => {
      const sent = basicOf(req);
      const key = ctx.fixtures.keys.find((k) => k.value === sent?.secret);
      if (sent && key) setHeader(req, 'Authorization', basic(key.id, key.value));
      return req;
    },
  },
  {
    name: 'Basic credentials taken unencoded',
    profile: PROFILE,
    models: 'a lenient parser that takes `Basic id:secret` as is when the text is not base64',
    caughtBy: ['basic-malformed-base64'],
    rewrite: (req) => {
      const m = /^Basic (\S*:\S*)$/.exec(header(req, 'authorization') ?? '');
      if (m) setHeader(req, 'Authorization', `Basic ${Buffer.from(m[1]!).toString('base64')}`);
      return req;
    },
  },
  {
    name: '500 on Basic credentials without a colon',
    profile: PROFILE,
    models:
      "const [id, secret] = decoded.split(':'); secret.length: a TypeError the framework turns into a 500",
    caughtBy: ['basic-missing-colon'],
    rewrite: (req) => {
      const m = /^Basic (\S+)$/.exec(header(req, 'authorization') ?? '');
      if (m && !Buffer.from(m[1]!, 'base64').toString('utf8').includes(':'))
        return json(500, { statusCode: 500, error: 'Internal Server Error' });
      return req;
    },
  },
  {
    name: 'second credential of a two-credential route not checked',
    profile: PROFILE,
    models: 'a payment approval route that verifies the user JWT and never looks at X-API-Key',
    caughtBy: ['missing-key', 'unknown-key'],
    mutateProfile: (p) => {
      p.routes.find((r) => r.id === 'approvePayment')!.auth = ['userJwt'];
    },
  },
  {
    name: 'key in the body field not read',
    profile: PROFILE,
    models:
      'a key check that reads only Authorization although the API documents the api_key field',
    caughtBy: ['api-key-accepted-in-body'],
    mutateProfile: (p) => {
      delete p.credentials['apiKey']!.alsoIn;
    },
  },
  {
    name: 'API key alternative not looked up',
    profile: PROFILE,
    models:
      'a route taking a JWT or an API key whose key branch only checks the key format (the JWT branch is the well-tested one)',
    caughtBy: ['unknown-key', 'revoked-key-refused'],
    rewrite: (req, creds) => {
      const m = /^ApiKey (lk_\S+)$/.exec(header(req, 'authorization') ?? '');
      if (m && req.pathWithQuery === '/v1/balance')
        setHeader(req, 'Authorization', `ApiKey ${creds.keys!.valid!.value}`);
      return req;
    },
  },
];
