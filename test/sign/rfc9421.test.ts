// The RFC 9421 signer: the RFC's Appendix B examples sign to the published values and verify, and
// the verifier refuses each single fault with the denial the profile maps, never throwing.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfc9421Signer, type Rfc9421Config } from '../../src/sign/schemes/rfc9421.ts';
import { contentDigest, contentDigestMatches } from '../../src/sign/content-digest.ts';
import type { SignableRequest, SigningKey, VerifyResult } from '../../src/sign/signer.ts';
import { schemaRegistry } from '../../src/spec/schema-registry.ts';

interface VectorRequest {
  method: string;
  host: string;
  pathWithQuery: string;
  headers: Record<string, string>;
  body?: string;
}
interface Vectors {
  keys: Record<
    string,
    { keyId: string; secretBase64?: string; publicKeyPem?: string; privateKeyPem?: string }
  >;
  contentDigests: { name: string; body: string; algorithm: 'sha-256' | 'sha-512'; value: string }[];
  requests: Record<string, VectorRequest>;
  signatures: {
    name: string;
    request: string;
    key: string;
    algorithm: 'hmac-sha256' | 'ed25519';
    label: string;
    components: string[];
    created: number;
    signatureInput: string;
    signature: string;
  }[];
  transformations: {
    signature: string;
    messages: (VectorRequest & { name: string; valid: boolean })[];
  };
}

const doc = JSON.parse(
  readFileSync('specs/vectors/rfc9421/rfc9421-appendix-b.json', 'utf8'),
) as Vectors;

function vectorKey(name: string): SigningKey {
  const k = doc.keys[name]!;
  return {
    keyId: k.keyId,
    ...(k.secretBase64 !== undefined ? { secret: k.secretBase64 } : {}),
    ...(k.privateKeyPem !== undefined ? { privateKeyPem: k.privateKeyPem } : {}),
    ...(k.publicKeyPem !== undefined ? { publicKeyPem: k.publicKeyPem } : {}),
  };
}

function vectorConfig(v: Vectors['signatures'][number]): Rfc9421Config {
  return {
    scheme: 'rfc9421',
    algorithm: v.algorithm,
    secretEncoding: 'base64',
    label: v.label,
    components: v.components,
    created: { skewSeconds: 300, boundary: 'inclusive' },
  };
}

/** The request as a verifier receives it: header names lower-cased. */
function received(req: SignableRequest): SignableRequest {
  return {
    ...req,
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v])),
  };
}

describe('RFC 9421 Appendix B known answers', () => {
  it('hold an hmac-sha256 and an ed25519 example', () => {
    expect(doc.signatures.map((s) => s.algorithm)).toEqual(
      expect.arrayContaining(['hmac-sha256', 'ed25519']),
    );
  });

  for (const v of doc.signatures) {
    const req = doc.requests[v.request]!;
    const key = vectorKey(v.key);
    const config = vectorConfig(v);

    it(`${v.name}: signs to the published Signature-Input and Signature`, async () => {
      const signed = await rfc9421Signer.sign(config, req, key, { timeMs: v.created * 1000 });
      expect(signed.headers['Signature-Input']).toBe(v.signatureInput);
      expect(signed.headers['Signature']).toBe(v.signature);
    });

    it(`${v.name}: the published signature verifies`, async () => {
      const sent = received({
        ...req,
        headers: { ...req.headers, 'Signature-Input': v.signatureInput, Signature: v.signature },
      });
      const result = await rfc9421Signer.verify(
        config,
        sent,
        (id) => (id === key.keyId ? key : undefined),
        v.created * 1000,
      );
      expect(result).toEqual({ ok: true, keyId: key.keyId });
    });
  }

  it('B.2.6 verifies with only the public key, as a verifier holds it', async () => {
    const v = doc.signatures.find((s) => s.algorithm === 'ed25519')!;
    const req = doc.requests[v.request]!;
    const { privateKeyPem: _, ...publicOnly } = vectorKey(v.key);
    const result = await rfc9421Signer.verify(
      vectorConfig(v),
      received({
        ...req,
        headers: { ...req.headers, 'Signature-Input': v.signatureInput, Signature: v.signature },
      }),
      () => publicOnly,
      v.created * 1000,
    );
    expect(result.ok).toBe(true);
  });

  const transform = doc.signatures.find((s) => s.name === doc.transformations.signature)!;
  for (const m of doc.transformations.messages) {
    it(`B.4 ${m.name}`, async () => {
      const key = vectorKey(transform.key);
      const result = await rfc9421Signer.verify(
        vectorConfig(transform),
        received({
          ...m,
          headers: {
            ...m.headers,
            'Signature-Input': transform.signatureInput,
            Signature: transform.signature,
          },
        }),
        () => key,
        transform.created * 1000,
      );
      expect(result.ok).toBe(m.valid);
      if (!m.valid) expect(result).toMatchObject({ denial: 'signature_invalid' });
    });
  }
});

describe('RFC 9530 Content-Digest known answers', () => {
  for (const d of doc.contentDigests) {
    it(`${d.name}: written as published, and matches its body only`, () => {
      expect(contentDigest(d.algorithm, d.body)).toBe(d.value);
      expect(contentDigestMatches(d.value, d.body)).toBe(true);
      expect(contentDigestMatches(d.value, `${d.body} `)).toBe(false);
    });
  }
  it('a digest of an unknown algorithm alone covers nothing', () => {
    expect(contentDigestMatches('md5=:Sd/dVLAcvNLSq16eXua5uQ==:', '{"hello": "world"}')).toBe(
      false,
    );
  });
});

// ---- faults, on a policy with every part: created window, expires, nonce, tag, content-digest

const NOW = 1_767_225_600_000;
const HMAC: Rfc9421Config = {
  scheme: 'rfc9421',
  algorithm: 'hmac-sha256',
  label: 'sig1',
  components: ['@method', '@authority', '@path', '@query', 'content-digest', 'content-type'],
  contentDigest: 'sha-256',
  created: { skewSeconds: 300, boundary: 'inclusive' },
  expires: { lifetimeSeconds: 600 },
  nonce: {
    minLength: 8,
    maxLength: 64,
    pattern: '[A-Za-z0-9_-]+',
    replayWindowSeconds: 600,
    scope: 'signer',
  },
  tag: 'orders-v1',
};
const KEY: SigningKey = { keyId: 'client-7', secret: 'rfc9421-demo-secret-0123456789' };
const OTHER: SigningKey = { keyId: 'client-8', secret: 'another-secret-9876543210' };
const keyOf = (id: string) => [KEY, OTHER].find((k) => k.keyId === id);
const REQ: SignableRequest = {
  method: 'POST',
  host: 'api.example.test:8443',
  pathWithQuery: '/v1/orders?store=12&sort=asc',
  headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  body: '{"sku":"A-1","qty":2}',
};
const NONCE = 'n0nce_ABCDEFGH';

async function signed(
  controls: Partial<Parameters<typeof rfc9421Signer.sign>[3]> = {},
  config: Rfc9421Config = HMAC,
  req: SignableRequest = REQ,
): Promise<SignableRequest> {
  return rfc9421Signer.sign(config, req, KEY, { timeMs: NOW, nonce: NONCE, ...controls });
}

async function verdict(
  req: SignableRequest,
  config: Rfc9421Config = HMAC,
  nowMs = NOW,
): Promise<VerifyResult> {
  return rfc9421Signer.verify(config, received(req), keyOf, nowMs);
}

describe('rfc9421 signer: what it writes and what it has', () => {
  it('takes a config its profile schema entry ($defs/signing_rfc9421) accepts, and refuses a bad one', () => {
    const valid = schemaRegistry().validator('profile.schema.json#/$defs/signing_rfc9421');
    for (const v of doc.signatures) expect(valid(vectorConfig(v)), v.name).toBe(true);
    expect(valid({ ...HMAC, includeAlg: true })).toBe(true);
    expect(valid({ ...HMAC, algorithm: 'rsa-pss-sha512' })).toBe(false);
    expect(valid({ ...HMAC, components: ['@status'] })).toBe(false);
    expect(valid({ ...HMAC, components: ['Content-Type'] })).toBe(false);
    expect(valid({ ...HMAC, label: 'Sig 1' })).toBe(false);
    expect(valid({ ...HMAC, tag: 'say "hi"' })).toBe(false);
    const { created: _, ...noWindow } = HMAC;
    expect(valid(noWindow)).toBe(false);
  });

  it('writes Signature-Input, Signature and Content-Digest, and no Host header', async () => {
    const s = await signed();
    expect(s.headers['Signature-Input']).toBe(
      'sig1=("@method" "@authority" "@path" "@query" "content-digest" "content-type")' +
        `;created=${NOW / 1000};expires=${NOW / 1000 + 600};keyid="client-7"` +
        `;nonce="${NONCE}";tag="orders-v1"`,
    );
    expect(s.headers['Signature']).toMatch(/^sig1=:[A-Za-z0-9+/]{43}=:$/);
    expect(s.headers['Content-Digest']).toBe(contentDigest('sha-256', REQ.body));
    expect(Object.keys(s.headers).map((k) => k.toLowerCase())).not.toContain('host');
    expect(s.body).toBe(REQ.body);
  });

  it('says which parts it has: whole-second created window, expires, nonce, tag as version, body by digest', () => {
    expect(rfc9421Signer.parts(HMAC)).toEqual({
      nonce: {
        minLength: 8,
        maxLength: 64,
        pattern: '[A-Za-z0-9_-]+',
        replayWindowSeconds: 600,
        scope: 'signer',
      },
      timestamp: { resolutionMs: 1000, skewSeconds: 300, boundary: 'inclusive' },
      expires: { lifetimeSeconds: 600 },
      version: 'orders-v1',
      keyId: true,
      covers: { method: true, path: true, query: true, body: true, headers: ['content-type'] },
    });
    const bare: Rfc9421Config = {
      ...HMAC,
      components: ['@authority', '@path'],
      expires: undefined,
      nonce: undefined,
      tag: undefined,
    };
    const parts = rfc9421Signer.parts(bare);
    expect(parts.expires).toBeUndefined();
    expect(parts.nonce).toBeUndefined();
    expect(parts.version).toBeUndefined();
    expect(parts.covers).toEqual({
      method: false,
      path: true,
      query: false,
      body: false,
      headers: [],
    });
  });

  it('accepts what it signed, returning the key id and the nonce to remember', async () => {
    expect(await verdict(await signed())).toEqual({ ok: true, keyId: 'client-7', nonce: NONCE });
  });

  it('does not cover a configured field the request lacks, and the verifier does not require it', async () => {
    const get: SignableRequest = { ...REQ, method: 'GET', headers: {}, body: undefined };
    const s = await signed({}, HMAC, get);
    expect(s.headers['Signature-Input']).toMatch(
      /^sig1=\("@method" "@authority" "@path" "@query" "content-digest"\);/,
    );
    expect((await verdict(s)).ok).toBe(true);
  });
});

describe('rfc9421 verify refuses each single fault', () => {
  const tampers: [string, Parameters<typeof rfc9421Signer.sign>[3]['signAs']][] = [
    ['method', { method: 'PUT' }],
    ['path', { pathWithQuery: '/v1/refunds?store=12&sort=asc' }],
    ['query', { pathWithQuery: '/v1/orders?store=13&sort=asc' }],
    ['body', { body: '{"sku":"A-1","qty":20}' }],
    ['a signed header', { headers: { 'content-type': 'text/plain' } }],
  ];
  for (const [what, signAs] of tampers) {
    it(`a tampered ${what} (signed one way, sent another) is signature_invalid`, async () => {
      expect(await verdict(await signed({ signAs }))).toMatchObject({
        ok: false,
        denial: 'signature_invalid',
      });
    });
  }

  it('a body changed in transit, its Content-Digest kept, is refused by the digest check', async () => {
    const s = await signed();
    expect(await verdict({ ...s, body: '{"sku":"A-1","qty":9}' })).toMatchObject({
      denial: 'signature_invalid',
      detail: 'Content-Digest does not match the body',
    });
  });

  it('a changed host (@authority is covered) is signature_invalid', async () => {
    const s = await signed();
    expect(await verdict({ ...s, host: 'evil.example.test:8443' })).toMatchObject({
      denial: 'signature_invalid',
    });
  });

  describe('created window, 300 s inclusive, compared in whole seconds', () => {
    for (const sign of [-1, 1]) {
      const dir = sign < 0 ? 'old' : 'new';
      it(`accepts created exactly 300 s ${dir}, refuses 301 s ${dir} as timestamp_skew`, async () => {
        const at = await signed({ timeMs: NOW + sign * 300_000 });
        expect((await verdict(at)).ok).toBe(true);
        const past = await signed({ timeMs: NOW + sign * 301_000 });
        expect(await verdict(past)).toMatchObject({ ok: false, denial: 'timestamp_skew' });
      });
    }
    it('reads the clock in whole seconds: 300.999 s later is still inside', async () => {
      expect((await verdict(await signed(), HMAC, NOW + 300_999)).ok).toBe(true);
      expect(await verdict(await signed(), HMAC, NOW + 301_000)).toMatchObject({
        denial: 'timestamp_skew',
      });
    });
    it('exclusive: 299 s accepted, 300 s refused', async () => {
      const excl = { ...HMAC, created: { skewSeconds: 300, boundary: 'exclusive' as const } };
      expect((await verdict(await signed({ timeMs: NOW - 299_000 }, excl), excl)).ok).toBe(true);
      expect(await verdict(await signed({ timeMs: NOW - 300_000 }, excl), excl)).toMatchObject({
        denial: 'timestamp_skew',
      });
    });
    it('a signature past its expires is timestamp_skew even inside the created window', async () => {
      const short = { ...HMAC, expires: { lifetimeSeconds: 60 } };
      expect((await verdict(await signed({ timeMs: NOW - 60_000 }, short), short)).ok).toBe(true);
      expect(await verdict(await signed({ timeMs: NOW - 61_000 }, short), short)).toMatchObject({
        denial: 'timestamp_skew',
        detail: 'expired',
      });
    });
    it('writes the expiry it is told (expiresAs), and one already past is refused as expired', async () => {
      const s = await signed({ timeMs: NOW - 150_000, expiresAs: NOW - 149_000 });
      expect(s.headers['Signature-Input']).toContain(
        `;created=${NOW / 1000 - 150};expires=${NOW / 1000 - 149};`,
      );
      expect(await verdict(s)).toMatchObject({
        ok: false,
        denial: 'timestamp_skew',
        detail: 'expired',
      });
      expect((await verdict(s, HMAC, NOW - 149_000)).ok).toBe(true);
    });
    it('a non-integer created is timestamp_skew', async () => {
      const s = await signed();
      const input = s.headers['Signature-Input']!.replace(/created=\d+/, 'created=1767225600.5');
      expect(
        await verdict({ ...s, headers: { ...s.headers, 'Signature-Input': input } }),
      ).toMatchObject({ denial: 'timestamp_skew' });
    });
  });

  it('an unknown keyid is signature_invalid, and so is another known key id', async () => {
    expect(await verdict(await signed({ keyIdAs: 'client-404' }))).toMatchObject({
      denial: 'signature_invalid',
      detail: 'unknown keyid',
    });
    expect(await verdict(await signed({ keyIdAs: OTHER.keyId }))).toMatchObject({
      denial: 'signature_invalid',
    });
  });

  it('a wrong tag is signature_version; no tag is signature_missing', async () => {
    expect(await verdict(await signed({ versionAs: 'orders-v0' }))).toMatchObject({
      denial: 'signature_version',
    });
    const untagged = await signed({}, { ...HMAC, tag: undefined });
    expect(await verdict(untagged)).toMatchObject({ denial: 'signature_missing' });
  });

  describe('the signature itself', () => {
    it('removed: signature_missing', async () => {
      const slot = rfc9421Signer.signatureSlot(HMAC, await signed())!;
      expect(await verdict(slot.remove())).toMatchObject({ denial: 'signature_missing' });
    });
    it('Signature-Input removed, or only another label present: signature_missing', async () => {
      const s = await signed();
      const { 'Signature-Input': _, ...rest } = s.headers;
      expect(await verdict({ ...s, headers: rest })).toMatchObject({ denial: 'signature_missing' });
      const relabelled = {
        ...s.headers,
        'Signature-Input': s.headers['Signature-Input']!.replace(/^sig1=/, 'sig2='),
        Signature: s.headers['Signature']!.replace(/^sig1=/, 'sig2='),
      };
      expect(await verdict({ ...s, headers: relabelled })).toMatchObject({
        denial: 'signature_missing',
      });
    });
    it('empty (the label kept): signature_invalid', async () => {
      const slot = rfc9421Signer.signatureSlot(HMAC, await signed())!;
      expect(slot.replace('').headers['Signature']).toBe('sig1=::');
      expect(await verdict(slot.replace(''))).toMatchObject({ denial: 'signature_invalid' });
    });
    it('truncated to its first half: signature_invalid', async () => {
      const slot = rfc9421Signer.signatureSlot(HMAC, await signed())!;
      const half = slot.value.slice(0, 20);
      expect(await verdict(slot.replace(half))).toMatchObject({ denial: 'signature_invalid' });
    });
    it('its last significant character changed: signature_invalid', async () => {
      const slot = rfc9421Signer.signatureSlot(HMAC, await signed())!;
      expect(slot.encoding).toBe('base64');
      const data = slot.value.replace(/=+$/, '');
      const i = data.length - 1;
      expect(await verdict(slot.replace(alterBase64Char(slot.value, i, 0b100000)))).toMatchObject({
        denial: 'signature_invalid',
      });
    });
    it('only its base64 pad bits changed: the same bytes, accepted (RFC 8941 §4.2.7 lets parsers ignore them)', async () => {
      // So a "last character changed" fault on a base64 signature must change significant bits.
      const slot = rfc9421Signer.signatureSlot(HMAC, await signed())!;
      const i = slot.value.replace(/=+$/, '').length - 1;
      expect((await verdict(slot.replace(alterBase64Char(slot.value, i, 0b01)))).ok).toBe(true);
    });
  });

  describe('nonce form', () => {
    it('shorter than 8, longer than 64, or outside the pattern: nonce_invalid', async () => {
      for (const nonce of ['abc1234', 'x'.repeat(65), 'abcd.efgh', 'abcd efgh', 'abcd~efgh'])
        expect(await verdict(await signed({ nonce })), nonce).toMatchObject({
          denial: 'nonce_invalid',
        });
    });
    it('the bounds themselves are accepted', async () => {
      for (const nonce of ['A'.repeat(8), 'z'.repeat(64)])
        expect(await verdict(await signed({ nonce }))).toMatchObject({ ok: true, nonce });
    });
    it('absent where the policy has one: signature_missing', async () => {
      expect(await verdict(await signed({ nonce: undefined }))).toMatchObject({
        denial: 'signature_missing',
      });
    });
    it('a nonce no structured-field String can hold is written as is, and refused as nonce_invalid', async () => {
      const s = await signed({ nonce: 'abcdéfghij' });
      expect(s.headers['Signature-Input']).toContain('nonce="abcdéfghij"');
      expect(await verdict(s)).toMatchObject({ denial: 'nonce_invalid' });
      // ...but only where the nonce is the field's only fault.
      const broken = s.headers['Signature-Input']!.replace('("@method"', '(@method"');
      expect(
        await verdict({ ...s, headers: { ...s.headers, 'Signature-Input': broken } }),
      ).toMatchObject({ denial: 'signature_invalid' });
    });
  });

  it('a signature that leaves a required component uncovered is signature_invalid', async () => {
    const narrow = { ...HMAC, components: ['@method', '@authority', '@path', 'content-digest'] };
    expect(await verdict(await signed({}, narrow))).toMatchObject({
      denial: 'signature_invalid',
      detail: 'a required component is not covered',
    });
  });

  it('another alg than the policy names is signature_invalid', async () => {
    const s = await signed({}, { ...HMAC, includeAlg: true });
    expect((await verdict(s)).ok).toBe(true);
    const input = s.headers['Signature-Input']!.replace('alg="hmac-sha256"', 'alg="ed25519"');
    expect(
      await verdict({ ...s, headers: { ...s.headers, 'Signature-Input': input } }),
    ).toMatchObject({ denial: 'signature_invalid' });
  });

  it('garbage signature fields, huge values and a missing host give a denial, never a throw', async () => {
    const s = await signed();
    const cases: Record<string, string>[] = [
      { 'signature-input': 'sig1=', signature: 'sig1=:x:' },
      { 'signature-input': 'sig1=("@method";created=1', signature: 'sig1=:AAAA:' },
      { 'signature-input': 'sig1=token', signature: 'sig1=:AAAA:' },
      { 'signature-input': s.headers['Signature-Input']!, signature: 'sig1=("a")' },
      {
        'signature-input': s.headers['Signature-Input']!,
        signature: `sig1=:${'A'.repeat(20000)}:`,
      },
      { 'signature-input': `sig1=(${'"x" '.repeat(6000)})`, signature: s.headers['Signature']! },
      {
        'signature-input': s.headers['Signature-Input']!.replace('"@query"', '"@query-param"'),
        signature: s.headers['Signature']!,
      },
      {
        'signature-input': s.headers['Signature-Input']!.replace('"@query"', '"@status"'),
        signature: s.headers['Signature']!,
      },
    ];
    for (const headers of cases) {
      const r = await verdict({ ...s, headers: { ...s.headers, ...headers } });
      expect(r.ok, JSON.stringify(headers).slice(0, 80)).toBe(false);
    }
    expect((await verdict({ ...s, host: '' })).ok).toBe(false);
    expect((await verdict({ ...s, host: 'a b/c' })).ok).toBe(false);
    expect((await verdict({ ...s, pathWithQuery: 'no-slash' })).ok).toBe(false);

    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 30 }),
        async (input, sig, host) => {
          const r = await rfc9421Signer.verify(
            HMAC,
            { ...received(s), host, headers: { 'signature-input': input, signature: sig } },
            keyOf,
            NOW,
          );
          expect(r.ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('rfc9421 ed25519', () => {
  const { privateKeyPem, publicKeyPem } = vectorKey('test-key-ed25519');
  const ED: Rfc9421Config = {
    ...HMAC,
    algorithm: 'ed25519',
    created: { skewSeconds: 60, boundary: 'exclusive' },
    expires: undefined,
  };
  const edKey: SigningKey = { keyId: 'ed-client', privateKeyPem, publicKeyPem };
  const edVerify = (req: SignableRequest, nowMs = NOW) =>
    rfc9421Signer.verify(
      ED,
      received(req),
      (id) => (id === 'ed-client' ? { keyId: id, publicKeyPem } : undefined),
      nowMs,
    );
  const edSigned = (controls: Partial<Parameters<typeof rfc9421Signer.sign>[3]> = {}) =>
    rfc9421Signer.sign(ED, REQ, edKey, { timeMs: NOW, nonce: NONCE, ...controls });

  it('signs with the private key and verifies with the public one', async () => {
    const s = await edSigned();
    expect(s.headers['Signature']).toMatch(/^sig1=:[A-Za-z0-9+/]{86}==:$/);
    expect(await edVerify(s)).toEqual({ ok: true, keyId: 'ed-client', nonce: NONCE });
  });
  it('refuses a tampered body and path, and a wrong key id', async () => {
    for (const signAs of [{ body: '{}' }, { pathWithQuery: '/v1/other' }])
      expect(await edVerify(await edSigned({ signAs }))).toMatchObject({
        denial: 'signature_invalid',
      });
    expect(await edVerify(await edSigned({ keyIdAs: 'nobody' }))).toMatchObject({
      denial: 'signature_invalid',
    });
  });
  it('exclusive 60 s window: 59 s accepted, 60 s refused', async () => {
    expect((await edVerify(await edSigned({ timeMs: NOW - 59_000 }))).ok).toBe(true);
    expect(await edVerify(await edSigned({ timeMs: NOW + 60_000 }))).toMatchObject({
      denial: 'timestamp_skew',
    });
  });
});

describe('rfc9421 accepts whatever it signed', () => {
  it('for random methods, paths, queries, bodies, content types, nonces and times', async () => {
    const seg = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.array(seg, { minLength: 1, maxLength: 4 }),
        fc.option(fc.array(fc.tuple(seg, seg), { maxLength: 3 }), { nil: undefined }),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        fc.option(fc.constantFrom('application/json', 'text/plain; charset=utf-8'), {
          nil: undefined,
        }),
        fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
        // created is written in whole seconds (floored): -300 000 ms to +300 999 ms is inside.
        fc.integer({ min: -300_000, max: 300_999 }),
        async (method, path, query, body, type, nonce, offset) => {
          const pathWithQuery =
            '/' +
            path.join('/') +
            (query ? '?' + query.map(([k, v]) => `${k}=${v}`).join('&') : '');
          const req: SignableRequest = {
            method,
            host: 'api.example.test',
            pathWithQuery,
            headers: type ? { 'Content-Type': type } : {},
            ...(body !== undefined ? { body } : {}),
          };
          const s = await rfc9421Signer.sign(HMAC, req, KEY, { timeMs: NOW + offset, nonce });
          const r = await rfc9421Signer.verify(HMAC, received(s), keyOf, NOW);
          expect(r).toEqual({ ok: true, keyId: KEY.keyId, nonce });
        },
      ),
      { numRuns: 150 },
    );
  });
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The base64 text with the character at `i` XOR-ed by `bits` (of its 6-bit value). */
function alterBase64Char(value: string, i: number, bits: number): string {
  const c = B64[B64.indexOf(value[i]!) ^ bits]!;
  return value.slice(0, i) + c + value.slice(i + 1);
}
