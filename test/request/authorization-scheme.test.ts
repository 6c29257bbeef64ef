// Where a credential travels after an Authorization scheme word, as the harness sends it and as
// the mock reads it (RFC 9110 §11.1: the scheme word is case-insensitive; RFC 7617: Basic).
import { describe, expect, it } from 'vitest';
import { basicValue, schemeWord } from '../../src/request/authorization-scheme.ts';
import { buildRequest } from '../../src/request/build-request.ts';
import { readCredential } from '../../mock-server/core/read-credentials.ts';
import type { Credential, Profile } from '../../src/model/profile.ts';
import { resolveReferences } from '../../src/model/resolved-profile.ts';
import type { Credentials } from '../../src/model/credentials.ts';

const apiKey: Credential = { kind: 'api_key', in: 'authorization', scheme: 'ApiKey' };
const basicKey: Credential = { kind: 'basic', in: 'authorization' };
const read = (cred: Credential, authorization: string) =>
  readCredential(
    cred,
    {
      method: 'GET',
      path: '/',
      pathWithQuery: '/',
      headers: { authorization },
      body: new Uint8Array(),
    },
    undefined,
  );

const profile = {
  id: 'p',
  credentials: { apiKey, basicKey },
  keyFormats: { s: { prefix: 'lk_', pattern: 'lk_[a-z0-9]{4}', type: 'secret' } },
  routes: [],
  errors: {},
  denials: {},
} as unknown as Profile;
const creds: Credentials = { profile: 'p', keys: { valid: { id: 'key_1', value: 'lk_ab12' } } };
/** The profile's one route, taking the credential `auth`, resolved as the loader would. */
const route = (auth: string) =>
  resolveReferences({
    ...profile,
    routes: [{ id: 'r', method: 'GET', path: '/r', auth: [auth], success: { status: 200 } }],
  }).routes[0]!;

describe('a credential after an Authorization scheme word', () => {
  it('is sent as `Authorization: <scheme> <value>`, the value alone being the key', async () => {
    const req = await buildRequest(profile, creds, route('apiKey'), { nowSeconds: 0 });
    expect(req.headers['Authorization']).toBe('ApiKey lk_ab12');
  });

  it('is sent over HTTP Basic as base64 of id:secret', async () => {
    const req = await buildRequest(profile, creds, route('basicKey'), { nowSeconds: 0 });
    expect(req.headers['Authorization']).toBe(
      `Basic ${Buffer.from('key_1:lk_ab12').toString('base64')}`,
    );
  });

  it('encodes Basic credentials as RFC 7617 §2 does (Aladdin / open sesame)', () => {
    expect(basicValue('Aladdin', 'open sesame')).toBe('QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('names Bearer for in: bearer and Basic by default for kind basic', () => {
    expect(schemeWord({ kind: 'jwt', in: 'bearer', token: 't' })).toBe('Bearer');
    expect(schemeWord(basicKey)).toBe('Basic');
    expect(schemeWord({ kind: 'api_key', in: 'header', name: 'X-API-Key' })).toBeUndefined();
  });

  it('is read by the mock after its scheme word in any letter case', () => {
    for (const word of ['ApiKey', 'apikey', 'APIKEY', 'aPiKeY'])
      expect(read(apiKey, `${word} lk_ab12`), word).toBe('lk_ab12');
  });

  it('is not read by the mock after another word, or with no word at all', () => {
    expect(read(apiKey, 'Bearer lk_ab12')).toBeUndefined();
    expect(read(apiKey, 'Token lk_ab12')).toBeUndefined();
    expect(read(apiKey, 'lk_ab12')).toBeUndefined();
    expect(read(apiKey, 'ApiKeylk_ab12')).toBeUndefined();
  });
});
