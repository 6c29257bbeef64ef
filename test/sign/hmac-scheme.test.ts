// The header HMAC scheme, generalized (issue 14 item 2): the HMAC primitive against RFC 4231 in
// hex and base64, the signature in its own header or inside Authorization with the key id, the
// timestamp in seconds, milliseconds or ISO 8601 at its window's exact edge, nonce and version
// optional; verify() refuses each fault with its denial and never throws on hostile input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HmacSigning } from '../../src/model/profile.ts';
import { hmacSigner } from '../../src/sign/schemes/hmac.ts';
import type { SignableRequest, SigningKey } from '../../src/sign/signer.ts';

const RFC4231 = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../specs/vectors/hmac/rfc4231.json'), 'utf8'),
) as {
  vectors: {
    name: string;
    key: string;
    data: string;
    sha256: string;
    sha384: string;
    sha512: string;
  }[];
};

const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
const KEY: SigningKey = { keyId: 'acct_42', secret: 'topsecret-0123456789' };
const known = (id: string) => (id === KEY.keyId ? KEY : undefined);
const REQ: SignableRequest = {
  method: 'POST',
  host: 'api.example.com',
  pathWithQuery: '/v1/orders?expand=items',
  headers: { 'Content-Type': 'application/json' },
  body: '{"sku":"A-1","qty":2}',
};

/** A scheme like many payment APIs': the signature and key id inside Authorization, ISO time. */
const inAuthorization: HmacSigning = {
  scheme: 'hmac',
  algorithm: 'sha256',
  digest: 'base64',
  headers: { timestamp: 'X-Date', signature: 'Authorization' },
  signatureFormat: 'HMAC-SHA256 Credential={keyId}, Signature={signature}',
  canonical: {
    parts: ['method', 'path_with_query', 'host', 'timestamp', 'body_sha256_hex'],
    joiner: '\n',
  },
  timestamp: { unit: 'iso8601', skewSeconds: 300, boundary: 'inclusive' },
};

/** LuxCore's shape: every part in a header of its own, hex, seconds, a nonce and a version. */
const ownHeaders: HmacSigning = {
  algorithm: 'sha256',
  headers: {
    merchant: 'X-Merchant-Id',
    timestamp: 'X-Timestamp',
    nonce: 'X-Nonce',
    version: 'X-Signature-Version',
    signature: 'X-Signature',
  },
  version: 'v1',
  signatureFormat: 'hmac_sha256={hex}',
  canonical: {
    parts: ['method', 'path_with_query', 'timestamp', 'nonce', 'body_sha256_hex'],
    joiner: '\n',
  },
  timestamp: { unit: 'milliseconds', skewSeconds: 300, boundary: 'exclusive' },
  nonce: { minLength: 8, maxLength: 64, replayWindowSeconds: 300, scope: 'merchant' },
};

const lower = (r: SignableRequest): SignableRequest => ({
  ...r,
  headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v])),
});
const sign = (c: HmacSigning, controls = {}, req = REQ) =>
  hmacSigner.sign(c, req, KEY, { timeMs: T0, nonce: 'nonce-0123456789', ...controls });
const verify = async (c: HmacSigning, req: SignableRequest, nowMs = T0) =>
  hmacSigner.verify(c, lower(req), known, nowMs);

describe('the header HMAC signer', () => {
  for (const v of RFC4231.vectors)
    for (const alg of ['sha256', 'sha384', 'sha512'] as const)
      it(`gives RFC 4231 ${v.name} HMAC-${alg.toUpperCase()} in hex and in base64`, async () => {
        for (const digest of ['hex', 'base64'] as const) {
          const c: HmacSigning = {
            ...inAuthorization,
            algorithm: alg,
            digest,
            headers: { timestamp: 'X-Date', signature: 'X-Sig' },
            signatureFormat: '{signature}',
            canonical: { parts: ['path_with_query'], joiner: '' },
          };
          const key = { keyId: 'k', secret: v.key };
          const signed = await hmacSigner.sign(c, { ...REQ, pathWithQuery: v.data }, key, {
            timeMs: T0,
          });
          const want = digest === 'hex' ? v[alg] : Buffer.from(v[alg], 'hex').toString('base64');
          expect(signed.headers['X-Sig']).toBe(want);
        }
      });

  it('writes the key id and a base64 signature inside Authorization, and verifies it', async () => {
    const signed = await sign(inAuthorization);
    expect(signed.headers['Authorization']).toMatch(
      /^HMAC-SHA256 Credential=acct_42, Signature=[A-Za-z0-9+/]{43}=$/,
    );
    expect(signed.headers['X-Date']).toBe('2026-12-05T12:00:00Z');
    expect(await verify(inAuthorization, signed)).toEqual({ ok: true, keyId: 'acct_42' });
  });

  it('matches the Authorization scheme word case-insensitively (RFC 9110 §11.1)', async () => {
    const signed = await sign(inAuthorization);
    const value = signed.headers['Authorization']!.replace('HMAC-SHA256', 'hmac-sha256');
    expect(
      await verify(inAuthorization, {
        ...signed,
        headers: { ...signed.headers, Authorization: value },
      }),
    ).toEqual({ ok: true, keyId: 'acct_42' });
    const other = signed.headers['Authorization']!.replace('HMAC-SHA256', 'HMAC-SHA512');
    expect(
      await verify(inAuthorization, {
        ...signed,
        headers: { ...signed.headers, Authorization: other },
      }),
      // Another scheme word is not this scheme's credential: no key id is read from it.
    ).toEqual({ ok: false, denial: 'signature_missing' });
  });

  for (const [name, c] of [
    ['Authorization, ISO 8601, inclusive', inAuthorization],
    ['own headers, milliseconds, exclusive', ownHeaders],
  ] as const)
    describe(name, () => {
      const edge = c.timestamp.unit === 'milliseconds' ? 300_000 - 1 : 300_000;
      it('accepts a timestamp at the exact edge of the window and refuses one unit beyond', async () => {
        const unit = c.timestamp.unit === 'milliseconds' ? 1 : 1000;
        for (const sign_ of [-1, 1]) {
          const at = await sign(c, { timeMs: T0 + sign_ * edge });
          expect(await verify(c, at)).toMatchObject({ ok: true });
          const beyond = await sign(c, { timeMs: T0 + sign_ * (edge + unit) });
          expect(await verify(c, beyond)).toEqual({ ok: false, denial: 'timestamp_skew' });
        }
      });

      const faults: [string, Record<string, unknown>, string][] = [
        ['another method', { signAs: { method: 'PUT' } }, 'signature_invalid'],
        [
          'another path',
          { signAs: { pathWithQuery: '/v1/orders/x?expand=items' } },
          'signature_invalid',
        ],
        [
          'another query',
          { signAs: { pathWithQuery: '/v1/orders?expand=none' } },
          'signature_invalid',
        ],
        ['another body', { signAs: { body: '{"sku":"A-1","qty":3}' } }, 'signature_invalid'],
        ['a key id the verifier does not hold', { keyIdAs: 'acct_43' }, 'signature_invalid'],
      ];
      for (const [what, controls, denial] of faults)
        it(`refuses a signature made over ${what}`, async () => {
          expect(await verify(c, await sign(c, controls))).toEqual({ ok: false, denial });
        });

      it('refuses a signature changed in its last character, cut in half, emptied or removed', async () => {
        const signed = await sign(c);
        const slot = hmacSigner.signatureSlot(c, signed)!;
        const v = slot.value;
        const other = v.at(-2) === 'A' ? 'B' : 'A';
        const tail = v.endsWith('=')
          ? v.slice(0, -2) + other + '='
          : v.slice(0, -1) + (v.at(-1) === '0' ? '1' : '0');
        expect(await verify(c, slot.replace(tail))).toEqual({
          ok: false,
          denial: 'signature_invalid',
        });
        expect(await verify(c, slot.replace(v.slice(0, v.length / 2)))).toEqual({
          ok: false,
          denial: 'signature_invalid',
        });
        expect(await verify(c, slot.replace(''))).toMatchObject({ ok: false });
        expect(await verify(c, slot.remove())).toEqual({ ok: false, denial: 'signature_missing' });
      });

      it('accepts what it signs for any method, path, body and time inside the window', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
            fc.webPath(),
            fc.string(),
            fc.integer({ min: -299, max: 299 }),
            async (method, path, body, skew) => {
              const req = { ...REQ, method, pathWithQuery: path || '/', body };
              const signed = await hmacSigner.sign(c, req, KEY, {
                timeMs: T0 + skew * 1000,
                nonce: 'nonce-0123456789',
              });
              expect(await verify(c, signed)).toMatchObject({ ok: true, keyId: 'acct_42' });
            },
          ),
          { numRuns: 60 },
        );
      });

      it('answers hostile headers with a denial, never a throw', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.dictionary(
              fc.constantFrom(...Object.values(c.headers).map((h) => h!.toLowerCase())),
              fc.string({ maxLength: 300 }),
            ),
            async (headers) => {
              const r = await hmacSigner.verify(c, { ...REQ, headers }, known, T0);
              expect(r.ok).toBe(false);
            },
          ),
          { numRuns: 200 },
        );
      });
    });

  it('refuses a wrong version label and a nonce outside its bounds where the scheme has them', async () => {
    expect(await verify(ownHeaders, await sign(ownHeaders, { versionAs: 'v0' }))).toEqual({
      ok: false,
      denial: 'signature_version',
    });
    expect(await verify(ownHeaders, await sign(ownHeaders, { nonce: 'short' }))).toEqual({
      ok: false,
      denial: 'nonce_invalid',
    });
    const ok = await verify(ownHeaders, await sign(ownHeaders));
    expect(ok).toEqual({ ok: true, keyId: 'acct_42', nonce: 'nonce-0123456789' });
  });

  it('reads the header names a scheme has now, after a test changes its entry in place', async () => {
    // A profile is plain data a test may change in place (src/sign/signers.ts): the signer must
    // not keep what it read of an entry at an earlier request.
    const c: HmacSigning = structuredClone(ownHeaders);
    expect(await verify(c, await sign(c))).toMatchObject({ ok: true });
    c.headers.timestamp = 'X-Request-Time';
    c.headers.nonce = 'X-Request-Nonce';
    const signed = await sign(c);
    expect(signed.headers['X-Request-Time']).toBeDefined();
    expect(await verify(c, signed)).toEqual({
      ok: true,
      keyId: 'acct_42',
      nonce: 'nonce-0123456789',
    });
  });

  it('says which parts it has: no nonce and no version where the profile names none', () => {
    const parts = hmacSigner.parts(inAuthorization);
    expect(parts.nonce).toBeUndefined();
    expect(parts.version).toBeUndefined();
    expect(parts.timestamp).toEqual({
      resolutionMs: 1000,
      skewSeconds: 300,
      boundary: 'inclusive',
    });
    expect(hmacSigner.parts(ownHeaders)).toMatchObject({
      version: 'v1',
      nonce: { scope: 'signer' },
    });
  });
});
