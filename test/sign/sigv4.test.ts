// AWS Signature Version 4: the published test suite (specs/vectors/sigv4/), then what the
// verifying side must refuse, one fault at a time, and that it never throws on hostile input.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sigv4Signer, type Sigv4Config } from '../../src/sign/schemes/sigv4.ts';
import type { SignableRequest, SigningKey, SignControls } from '../../src/sign/signer.ts';

interface SuiteCase {
  name: string;
  req: string;
  creq: string;
  sts: string;
  authz: string;
  sreq: string;
}
const suite = JSON.parse(
  readFileSync('specs/vectors/sigv4/aws-sig-v4-test-suite.json', 'utf8'),
) as {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  amzDate: string;
  cases: SuiteCase[];
};

/** A request file of the suite: request line, `Name:value` lines, a blank line, the body. */
function parseRequestFile(text: string): {
  method: string;
  pathWithQuery: string;
  headers: [string, string][];
  body: string;
} {
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const body = blank < 0 ? '' : text.slice(blank + 2);
  const [line, ...rest] = head.split('\n');
  const m = /^(\S+) (\S+) HTTP\/1\.1$/.exec(line!)!;
  const headers = rest.map((l): [string, string] => {
    const colon = l.indexOf(':');
    return [l.slice(0, colon), l.slice(colon + 1)];
  });
  return { method: m[1]!, pathWithQuery: m[2]!, headers, body };
}

const suiteTimeMs = Date.parse(
  suite.amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
);
const suiteKey: SigningKey = { keyId: suite.accessKeyId, secret: suite.secretAccessKey };
const suiteKeyOf = (id: string) => (id === suite.accessKeyId ? suiteKey : undefined);

describe('SigV4 against the AWS SigV4 test suite', () => {
  it('holds the cases the issue names: vanilla GET and POST, query order, header values', () => {
    const names = suite.cases.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'get-vanilla',
        'post-vanilla',
        'get-vanilla-query',
        'get-vanilla-query-order-key',
        'get-vanilla-query-order-key-case',
        'get-vanilla-query-order-value',
        'get-header-value-trim',
        'post-header-value-case',
      ]),
    );
  });

  for (const v of suite.cases) {
    describe(v.name, () => {
      const parsed = parseRequestFile(v.req);
      const host = parsed.headers.find(([n]) => n.toLowerCase() === 'host')![1];
      const own = new Set(['host', 'x-amz-date']);
      const headers = Object.fromEntries(parsed.headers.filter(([n]) => !own.has(n.toLowerCase())));
      const config: Sigv4Config = {
        scheme: 'sigv4',
        region: suite.region,
        service: suite.service,
        signedHeaders: Object.keys(headers),
      };
      const request: SignableRequest = {
        method: parsed.method,
        host,
        pathWithQuery: parsed.pathWithQuery,
        headers,
        body: parsed.body,
      };

      it("the recorded files agree with each other (node's crypto: sts hashes creq, authz signs sts)", () => {
        const sts = v.sts.split('\n');
        expect(sts[3]).toBe(createHash('sha256').update(v.creq).digest('hex'));
        const day = suite.amzDate.slice(0, 8);
        let k: Buffer = Buffer.from(`AWS4${suite.secretAccessKey}`);
        for (const part of [day, suite.region, suite.service, 'aws4_request'])
          k = createHmac('sha256', k).update(part).digest();
        const signature = createHmac('sha256', k).update(v.sts).digest('hex');
        expect(v.authz.endsWith(`Signature=${signature}`)).toBe(true);
      });

      it('signs to the published Authorization value, with host and X-Amz-Date on the request', async () => {
        const signed = await sigv4Signer.sign(config, request, suiteKey, { timeMs: suiteTimeMs });
        expect(signed.headers.authorization).toBe(v.authz);
        expect(signed.headers['x-amz-date']).toBe(suite.amzDate);
        expect(signed.headers.host).toBe(host);
        expect(v.sreq).toContain(`\nAuthorization: ${signed.headers.authorization}`);
      });

      it('verifies the published signed request', async () => {
        const sreq = parseRequestFile(v.sreq);
        const received: SignableRequest = {
          method: sreq.method,
          host,
          pathWithQuery: sreq.pathWithQuery,
          headers: Object.fromEntries(
            sreq.headers.map(([n, value]) => [n.toLowerCase(), value.trim()]),
          ),
          body: sreq.body,
        };
        await expect(
          sigv4Signer.verify(config, received, suiteKeyOf, suiteTimeMs + 60_000),
        ).resolves.toEqual({ ok: true, keyId: suite.accessKeyId });
      });
    });
  }
});

describe('SigV4 parts', () => {
  it('has no nonce and no version; whole-second X-Amz-Date, 300 s inclusive by default', () => {
    const parts = sigv4Signer.parts({ scheme: 'sigv4', region: 'us-east-1', service: 'svc' });
    expect(parts.nonce).toBeUndefined();
    expect(parts.version).toBeUndefined();
    expect(parts.timestamp).toEqual({
      resolutionMs: 1000,
      skewSeconds: 300,
      boundary: 'inclusive',
    });
    expect(parts.keyId).toBe(true);
    expect(parts.covers).toEqual({
      method: true,
      path: true,
      query: true,
      body: true,
      headers: ['host'],
    });
  });

  it('lists the configured signed headers among what a tamper may change', () => {
    const parts = sigv4Signer.parts({
      scheme: 'sigv4',
      region: 'eu-west-1',
      service: 'orders',
      skewSeconds: 900,
      boundary: 'exclusive',
      signedHeaders: ['Content-Type', 'x-tenant-id'],
    });
    expect(parts.covers.headers).toEqual(['host', 'content-type', 'x-tenant-id']);
    expect(parts.timestamp).toEqual({
      resolutionMs: 1000,
      skewSeconds: 900,
      boundary: 'exclusive',
    });
  });
});

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const alice: SigningKey = { keyId: 'AKIDALICE0000000001', secret: 'alice-secret/K7MDENG+bPxRfi' };
const bob: SigningKey = { keyId: 'AKIDBOB000000000002', secret: 'bob-secret/wJalrXUtnFEMI' };
const keyOf = (id: string) => [alice, bob].find((k) => k.keyId === id);
const order: SignableRequest = {
  method: 'POST',
  host: 'api.example.test:8443',
  pathWithQuery: '/v1/orders?limit=10&after=ord_123',
  headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' },
  body: '{"sku":"A-1","qty":2}',
};

/** What a verifier receives: header names lower-cased. */
function received(req: SignableRequest): SignableRequest {
  return {
    ...req,
    headers: Object.fromEntries(Object.entries(req.headers).map(([n, v]) => [n.toLowerCase(), v])),
  };
}

for (const sendContentSha256 of [false, true]) {
  const config: Sigv4Config = {
    scheme: 'sigv4',
    region: 'eu-west-1',
    service: 'orders',
    skewSeconds: 300,
    boundary: 'inclusive',
    signedHeaders: ['content-type'],
    sendContentSha256,
  };
  const sign = (controls: Partial<SignControls> = {}, req = order, key = alice) =>
    sigv4Signer.sign(config, req, key, { timeMs: NOW, ...controls });
  const verify = (req: SignableRequest, nowMs = NOW, c = config) =>
    sigv4Signer.verify(c, received(req), keyOf, nowMs);
  const denial = async (req: SignableRequest, nowMs = NOW, c = config) => {
    const r = await verify(req, nowMs, c);
    return r.ok ? 'accepted' : r.denial;
  };

  describe(`SigV4 verify (x-amz-content-sha256 ${sendContentSha256 ? 'sent' : 'not sent'})`, () => {
    it('accepts what sign() produced, naming the signing key', async () => {
      const signed = await sign();
      expect(signed.headers['x-amz-content-sha256'] !== undefined).toBe(sendContentSha256);
      await expect(verify(signed)).resolves.toEqual({ ok: true, keyId: alice.keyId });
    });

    it('accepts the AWS4-HMAC-SHA256 scheme word in any case (RFC 9110 §11.1)', async () => {
      const signed = await sign();
      const lower = signed.headers.authorization!.replace('AWS4-HMAC-SHA256', 'aws4-hmac-sha256');
      await expect(
        verify({ ...signed, headers: { ...signed.headers, authorization: lower } }),
      ).resolves.toEqual({ ok: true, keyId: alice.keyId });
    });

    it('signs host, x-amz-date, the configured content-type and nothing it was not told to', async () => {
      const signed = await sign();
      expect(signed.headers.authorization).toContain(
        sendContentSha256
          ? 'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,'
          : 'SignedHeaders=content-type;host;x-amz-date,',
      );
      // An unsigned header may change in flight without voiding the signature.
      await expect(
        denial({ ...signed, headers: { ...signed.headers, 'X-Request-Id': 'r-2' } }),
      ).resolves.toBe('accepted');
    });

    it.each([
      ['method', { method: 'PUT' }],
      ['path', { pathWithQuery: '/v1/ordersx?limit=10&after=ord_123' }],
      ['query', { pathWithQuery: '/v1/orders?limit=11&after=ord_123' }],
      ['body', { body: '{"sku":"A-1","qty":20}' }],
      ['a signed header (content-type)', { headers: { 'Content-Type': 'text/plain' } }],
      ['the host', { headers: { host: 'api.example.test:9443' } }],
    ] as const)('refuses a request whose %s differs from what was signed', async (_, signAs) => {
      const signed = await sign({ signAs });
      await expect(denial(signed)).resolves.toBe('signature_invalid');
    });

    it('refuses a body changed after signing', async () => {
      const signed = await sign();
      await expect(denial({ ...signed, body: `${signed.body} ` })).resolves.toBe(
        'signature_invalid',
      );
    });

    it('refuses a query parameter added after signing', async () => {
      const signed = await sign();
      await expect(
        denial({ ...signed, pathWithQuery: `${signed.pathWithQuery}&tampered=1` }),
      ).resolves.toBe('signature_invalid');
    });

    it('refuses a request sent to another host than it was signed for', async () => {
      const signed = await sign();
      await expect(
        denial({
          ...signed,
          host: 'evil.example.test',
          headers: { ...signed.headers, host: 'evil.example.test' },
        }),
      ).resolves.toBe('signature_invalid');
    });

    it('accepts X-Amz-Date exactly 300 s off either way and refuses 301 s (inclusive)', async () => {
      for (const [offset, want] of [
        [-300, 'accepted'],
        [300, 'accepted'],
        [-301, 'timestamp_skew'],
        [301, 'timestamp_skew'],
      ] as const) {
        const signed = await sign({ timeMs: NOW + offset * 1000 });
        await expect(denial(signed), `offset ${offset}`).resolves.toBe(want);
      }
    });

    it('refuses exactly 300 s off and accepts 299 s where the boundary is exclusive', async () => {
      const exclusive: Sigv4Config = { ...config, boundary: 'exclusive' };
      for (const [offset, want] of [
        [-299, 'accepted'],
        [299, 'accepted'],
        [-300, 'timestamp_skew'],
        [300, 'timestamp_skew'],
      ] as const) {
        const signed = await sign({ timeMs: NOW + offset * 1000 });
        await expect(denial(signed, NOW, exclusive), `offset ${offset}`).resolves.toBe(want);
      }
    });

    it('compares the window in whole seconds, as X-Amz-Date is written', async () => {
      // Signed at 12:00:00.999 it reads 120000Z; a clock at 12:05:00.999 is 300 s past it.
      const signed = await sign({ timeMs: NOW + 999 });
      await expect(denial(signed, NOW + 300_999)).resolves.toBe('accepted');
      await expect(denial(signed, NOW + 301_000)).resolves.toBe('timestamp_skew');
    });

    it('refuses a key id the verifier does not know', async () => {
      const signed = await sign({ keyIdAs: 'AKIDNOBODY000000000' });
      await expect(denial(signed)).resolves.toBe('signature_invalid');
    });

    it('refuses a request naming another known key than the one that signed it', async () => {
      const signed = await sign({ keyIdAs: bob.keyId });
      await expect(denial(signed)).resolves.toBe('signature_invalid');
    });

    it('refuses a credential scope of another region, service or day', async () => {
      const signed = await sign();
      await expect(denial(signed, NOW, { ...config, region: 'us-east-1' })).resolves.toBe(
        'signature_invalid',
      );
      await expect(denial(signed, NOW, { ...config, service: 'payments' })).resolves.toBe(
        'signature_invalid',
      );
      const auth = signed.headers.authorization!;
      const otherDay = auth.replace('/20260115/', '/20260114/');
      await expect(
        denial({ ...signed, headers: { ...signed.headers, authorization: otherDay } }),
      ).resolves.toBe('signature_invalid');
    });

    it('refuses a request carrying a configured header it did not sign', async () => {
      const unsigned = await sigv4Signer.sign({ ...config, signedHeaders: [] }, order, alice, {
        timeMs: NOW,
      });
      await expect(denial(unsigned)).resolves.toBe('signature_invalid');
    });

    it('says signature_missing without Authorization, with an empty signature, or without X-Amz-Date', async () => {
      const signed = await sign();
      const slot = sigv4Signer.signatureSlot(config, signed)!;
      await expect(denial(slot.remove())).resolves.toBe('signature_missing');
      await expect(denial(slot.replace(''))).resolves.toBe('signature_missing');
      const { 'x-amz-date': _, ...noDate } = signed.headers;
      await expect(denial({ ...signed, headers: noDate })).resolves.toBe('signature_missing');
    });

    it('refuses a truncated signature and one whose last character changed', async () => {
      const signed = await sign();
      const slot = sigv4Signer.signatureSlot(config, signed)!;
      expect(slot.encoding).toBe('hex');
      expect(slot.value).toMatch(/^[0-9a-f]{64}$/);
      await expect(denial(slot.replace(slot.value.slice(0, 32)))).resolves.toBe(
        'signature_invalid',
      );
      const last = slot.value.at(-1) === '0' ? '1' : '0';
      await expect(denial(slot.replace(slot.value.slice(0, -1) + last))).resolves.toBe(
        'signature_invalid',
      );
    });

    it('refuses garbage in every scheme header with a denial, never a throw', async () => {
      const signed = await sign();
      const hostile = [
        '',
        ' ',
        'AWS4-HMAC-SHA256',
        'AWS4-HMAC-SHA256 ',
        'AWS4-HMAC-SHA256 Credential=',
        'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=zz',
        'AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host;x-amz-date, Signature=' +
          '0'.repeat(64),
        'AWS4-HMAC-SHA256 Credential=x,Credential=y,SignedHeaders=host,Signature=' + '0'.repeat(64),
        'AWS4-HMAC-SHA256 Credential=__proto__/20260115/eu-west-1/orders/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
          'a'.repeat(64),
        'AWS4-HMAC-SHA256 Credential=constructor/20260115/eu-west-1/orders/aws4_request, SignedHeaders=__proto__;host;x-amz-date, Signature=' +
          'a'.repeat(64),
        'Bearer abc',
        '\u0000\uffff',
        'AWS4-HMAC-SHA256 ' + 'Credential='.repeat(50_000),
      ];
      for (const authorization of hostile) {
        const r = await verify({ ...signed, headers: { ...signed.headers, authorization } });
        expect(r.ok, authorization.slice(0, 60)).toBe(false);
      }
      for (const date of [
        '',
        'now',
        '20261315T120000Z',
        '20260115T250000Z',
        '2026-01-15T12:00:00Z',
        '9'.repeat(10_000),
      ]) {
        const r = await verify({ ...signed, headers: { ...signed.headers, 'x-amz-date': date } });
        expect(r.ok, date.slice(0, 30)).toBe(false);
      }
      const { host: _, ...noHost } = signed.headers;
      await expect(denial({ ...signed, host: '', headers: noHost })).resolves.toBe(
        'signature_invalid',
      );
      await expect(
        denial({ ...signed, pathWithQuery: '/v1/orders?%zz=%&&=&a=%E0%A4%A' }),
      ).resolves.toBe('signature_invalid');
    });

    it('verifies what sign() produced for any method, path, query, body and signed header (property)', async () => {
      const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$|^%[0-9A-F]{2}$/);
      const param = fc.tuple(
        fc.stringMatching(/^[A-Za-z0-9._~%-]{1,6}$/),
        fc.stringMatching(/^[A-Za-z0-9._~+%=-]{0,8}$/),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
          fc.array(segment, { maxLength: 4 }),
          fc.array(param, { maxLength: 4 }),
          fc.string({ maxLength: 64 }),
          fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,30}[\x21-\x7e]$/),
          fc.integer({ min: -300_000, max: 300_000 }),
          async (method, segments, params, body, contentType, offsetMs) => {
            const query = params.map(([k, v]) => `${k}=${v}`).join('&');
            const req: SignableRequest = {
              method,
              host: 'api.example.test',
              pathWithQuery: `/${segments.join('/')}${query ? `?${query}` : ''}`,
              headers: { 'content-type': contentType },
              body,
            };
            const signed = await sign({ timeMs: NOW + offsetMs }, req);
            const r = await verify(signed);
            expect(r).toEqual({ ok: true, keyId: alice.keyId });
            const bodyTampered = await verify({ ...signed, body: `${body}!` });
            expect(bodyTampered.ok).toBe(false);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('never throws on an arbitrary Authorization, X-Amz-Date, path or body (property)', async () => {
      const signed = await sign();
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 300 }),
          fc.string({ maxLength: 40 }),
          fc.string({ maxLength: 80 }),
          fc.option(fc.string({ maxLength: 80 })),
          async (authorization, date, pathWithQuery, body) => {
            const r = await verify({
              ...signed,
              pathWithQuery,
              ...(body === null ? {} : { body }),
              headers: { ...signed.headers, authorization, 'x-amz-date': date },
            });
            expect(r.ok).toBe(false);
          },
        ),
        { numRuns: 200 },
      );
    });
  });
}
