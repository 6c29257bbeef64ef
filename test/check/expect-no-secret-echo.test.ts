import { describe, expect, it } from 'vitest';
import { expectNoSecretEcho } from '../../src/check/expect-no-secret-echo.ts';
import { carriedSecrets } from '../../src/request/carried-credentials.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import type { OutgoingRequest, ReceivedResponse } from '../../src/request/outgoing-request.ts';

const answer = (body: unknown, headers: Record<string, string> = {}): ReceivedResponse => ({
  status: 401,
  headers: { 'content-type': 'application/json', ...headers },
  body,
  rawBody: JSON.stringify(body),
});

const vaulera = resolveProfile('vaulera').profile;
const gateway = resolveProfile('gateway').profile;
const luxcore = resolveProfile('luxcore').profile;
const route = (p: typeof vaulera, id: string) => p.routes.find((r) => r.id === id)!;

// A vaulera key with its last character changed: never issued, 46 of its 47 characters real.
const realKey = 'vlr_sk_BGAkC335MD9yqokZhfKnI0hsLcLeTBcbIlv9xLUA';
const nearMiss = realKey.slice(0, -1) + 'B';
const keyRequest = (key: string): OutgoingRequest => ({
  method: 'GET',
  pathWithQuery: '/v1/keys',
  headers: { 'X-API-Key': key },
});
const vauleraRoute = vaulera.routes.find((r) => r.auth !== 'public')!;
const carried = (req: OutgoingRequest) => carriedSecrets(vaulera, vauleraRoute, req);

describe('expectNoSecretEcho: no credential the request carried comes back', () => {
  it('fails an error that repeats the altered key it received', () => {
    const res = answer({ error: { message: `Invalid API key ${nearMiss}` } });
    expect(() => expectNoSecretEcho(res, [], carried(keyRequest(nearMiss)))).toThrow(
      /echoes 40 of the 40 characters past the public prefix of the X-API-Key header/,
    );
  });

  it('fails an error that repeats all but the last character of a real key', () => {
    const res = answer({ error: { message: `API key ${realKey.slice(0, -1)}* has been revoked` } });
    expect(() => expectNoSecretEcho(res, [], carried(keyRequest(realKey)))).toThrow(
      /echoes 39 of the 40/,
    );
  });

  it('fails a header that carries a piece of 16 characters of the key', () => {
    const res = answer({ ok: false }, { 'x-debug-key': realKey.slice(10, 26) });
    expect(() => expectNoSecretEcho(res, [], carried(keyRequest(realKey)))).toThrow(/echoes 16/);
  });

  it('shows the key masked in its message, never whole', () => {
    const res = answer({ error: { message: `Invalid API key ${nearMiss}` } });
    let message = '';
    try {
      expectNoSecretEcho(res, [], carried(keyRequest(nearMiss)));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('vlr_sk_…xLUB');
    expect(message).not.toContain(nearMiss.slice(7, 23));
  });

  it("passes an answer that shows the key's masked form", () => {
    const res = answer({ data: { key: 'vlr_sk_…xLUA', name: 'ERP' } });
    expect(() => expectNoSecretEcho(res, [], carried(keyRequest(realKey)))).not.toThrow();
  });

  it("passes a gateway answer that shows the key's public id (sk_<id>), never its secret", () => {
    const key = 'sk_roxah8wklmt6c6ut.tjE8QTAQjlD0xcCJSQUxbiDKjwEz0n3TweqdjCNo';
    const req: OutgoingRequest = {
      method: 'GET',
      pathWithQuery: '/api/v1/transactions/t1',
      headers: { Authorization: `Bearer ${key}` },
    };
    const c = carriedSecrets(gateway, route(gateway, 'getTransaction'), req);
    expect(c.map((x) => x.where)).toEqual(['bearer token']);
    const listing = answer({ data: [{ id: 'roxah8wklmt6c6ut', prefix: 'sk_roxah8wklmt6c6ut.' }] });
    expect(() => expectNoSecretEcho(listing, [], c)).not.toThrow();
    const leak = answer({ message: `Invalid API key ${key.slice(0, 40)}` });
    expect(() => expectNoSecretEcho(leak, [], c)).toThrow(/echoes 21 of the 41/);
  });

  it("passes a JWT's header and claims shown again, but not its signature", () => {
    const header = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
    const claims = 'eyJzdWIiOiJ1c2VyLTEyMyIsInRlbmFudCI6InQxIn0';
    const signature = 'Jd3kQz8w1Xb0aVt7sYpL4uRn6cMe2HgFiOjKqNlZ9Ao';
    const token = `${header}.${claims}.${signature}`;
    const req: OutgoingRequest = {
      method: 'GET',
      pathWithQuery: '/x',
      headers: { Authorization: `Bearer ${token}` },
    };
    const auxvault = resolveProfile('auxvault').profile;
    const jwtRoute = auxvault.routes.find(
      (r) =>
        r.auth !== 'public' && r.auth.flat().some((id) => auxvault.credentials[id]!.kind === 'jwt'),
    )!;
    const c = carriedSecrets(auxvault, jwtRoute, req).filter((x) => x.where === 'bearer token');
    expect(c).toHaveLength(1);
    const refreshed = answer({ token: `${header}.${claims}.otherSignatureOtherSignature0` });
    expect(() => expectNoSecretEcho(refreshed, [], c)).not.toThrow();
    expect(() => expectNoSecretEcho(answer({ token }), [], c)).toThrow(/bearer token/);
  });

  it("fails an answer that repeats the request's HMAC signature", () => {
    const signed = route(luxcore, 'payments-create-v2');
    const digest = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef0123456789abcdef01234567';
    const req: OutgoingRequest = {
      method: 'POST',
      pathWithQuery: '/api/v2/payments',
      headers: { 'X-API-Key': 'qp_test_sk_x', 'X-Signature': `hmac_sha256=${digest}` },
    };
    const c = carriedSecrets(luxcore, signed, req);
    expect(c.map((x) => x.where)).toContain('hmac signature');
    const res = answer({ error: { message: `signature ${digest.slice(0, 32)} does not match` } });
    expect(() => expectNoSecretEcho(res, [], c)).toThrow(/hmac signature/);
    // The label is the format's, not the secret: an answer naming it passes.
    expect(() =>
      expectNoSecretEcho(answer({ error: { message: 'expected hmac_sha256=<hex>' } }), [], c),
    ).not.toThrow();
  });

  it('ignores values too short to be a secret', () => {
    const res = answer({ error: { message: 'Invalid API key abc' } });
    expect(() => expectNoSecretEcho(res, [], carried(keyRequest('abc')))).not.toThrow();
  });

  it("still fails a known secret of the credentials echoed whole, even if the request didn't carry it", () => {
    const res = answer({ message: `secret ${realKey}` });
    expect(() => expectNoSecretEcho(res, [realKey])).toThrow(/vlr_sk_…xLUA/);
  });

  // Issue 12, item 10: an echo escaped or encoded is still an echo.
  const raw = (rawBody: string, headers: Record<string, string> = {}): ReceivedResponse => ({
    status: 401,
    headers: { 'content-type': 'application/json', ...headers },
    body: undefined,
    rawBody,
  });
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('fails a known secret echoed JSON-escaped, percent-encoded, as entities or in base64', () => {
    const echoes: [string, ReceivedResponse, RegExp][] = [
      [
        'JSON \\u escape',
        raw(`{"message":"API key \\u0076${realKey.slice(1)} revoked"}`),
        /vlr_sk_…xLUA \(escaped/,
      ],
      [
        'percent',
        raw(`{"next":"/login?key=${encodeURIComponent(realKey).replace(/_/g, '%5F')}"}`),
        /escaped/,
      ],
      [
        'entities',
        raw(`<p>${[...realKey].map((c) => `&#${c.charCodeAt(0)};`).join('')}</p>`),
        /escaped/,
      ],
      ['base64 header', raw('{}', { 'x-debug': `Basic ${b64(`m:${realKey}`)}` }), /base64-encoded/],
    ];
    for (const [form, res, message] of echoes)
      expect(() => expectNoSecretEcho(res, [realKey]), form).toThrow(message);
  });

  it('fails an altered key the request carried, echoed JSON-escaped', () => {
    const escaped = [...nearMiss].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const res = raw(`{"error":{"message":"Invalid API key ${escaped.join('')}"}}`);
    expect(() => expectNoSecretEcho(res, [], carried(keyRequest(nearMiss)))).toThrow(
      /echoes 40 of the 40 characters past the public prefix/,
    );
  });
});
