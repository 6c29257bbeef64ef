// The Hawk signer: the published examples of the Hawk specification sign to their published
// values and verify; every fault the harness applies is refused with its denial; and the `hawk`
// package (the scheme's reference implementation) accepts what we sign and signs what we accept.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hawkSigner,
  normalizedString,
  payloadHash,
  type HawkConfig,
} from '../../src/sign/schemes/hawk.ts';
import type { SignableRequest, SigningKey, VerifyResult } from '../../src/sign/signer.ts';

interface HawkVector {
  name: string;
  from: string;
  credentials: { id: string; key: string; algorithm: 'sha1' | 'sha256' };
  payload: 'required' | 'optional';
  ext?: string;
  defaultPort?: number;
  request: {
    method: string;
    host: string;
    pathWithQuery: string;
    contentType?: string;
    body?: string;
  };
  ts: number;
  nonce: string;
  normalized?: string;
  hash?: string;
  mac: string;
  authorization: string;
}

const doc = JSON.parse(readFileSync('specs/vectors/hawk/hawk-examples.json', 'utf8')) as {
  source: { repository: string; commit: string };
  vectors: HawkVector[];
};

const WINDOW = { skewSeconds: 60, boundary: 'inclusive' } as const;

function vectorConfig(v: HawkVector): HawkConfig {
  return {
    scheme: 'hawk',
    algorithm: v.credentials.algorithm,
    payload: v.payload,
    timestamp: WINDOW,
    nonce: { minLength: 1, maxLength: 128, replayWindowSeconds: 120, scope: 'signer' },
    ...(v.defaultPort !== undefined ? { defaultPort: v.defaultPort } : {}),
    ...(v.ext !== undefined ? { ext: v.ext } : {}),
  };
}

function vectorRequest(v: HawkVector, authorization?: string): SignableRequest {
  const headers: Record<string, string> = {};
  if (v.request.contentType !== undefined) headers['content-type'] = v.request.contentType;
  if (authorization !== undefined) headers['authorization'] = authorization;
  return {
    method: v.request.method,
    host: v.request.host,
    pathWithQuery: v.request.pathWithQuery,
    headers,
    ...(v.request.body !== undefined ? { body: v.request.body } : {}),
  };
}

/** The request as the verifying side receives it: header names lower-cased. */
function received(req: SignableRequest): SignableRequest {
  return {
    ...req,
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v])),
  };
}

function macOf(authorization: string): string | undefined {
  return /mac="([^"]*)"/.exec(authorization)?.[1];
}

describe('Hawk published examples (specs/vectors/hawk/hawk-examples.json)', () => {
  it('name their source and cover GET, payload, sha1, default ports and an empty payload', () => {
    expect(doc.source.repository).toMatch(/github\.com\/mozilla\/hawk/);
    expect(doc.source.commit).toMatch(/^[0-9a-f]{40}$/);
    const v = doc.vectors;
    expect(v.some((x) => x.request.method === 'GET' && x.hash === undefined)).toBe(true);
    expect(v.some((x) => x.credentials.algorithm === 'sha1')).toBe(true);
    expect(v.some((x) => x.request.body === '' && x.hash !== undefined)).toBe(true);
    expect(v.map((x) => x.defaultPort)).toEqual(expect.arrayContaining([80, 443]));
  });

  for (const v of doc.vectors) {
    const config = vectorConfig(v);
    const key: SigningKey = { keyId: v.credentials.id, secret: v.credentials.key };
    const keyOf = (id: string) => (id === v.credentials.id ? key : undefined);

    it(`${v.name}: signs to the published mac and header`, async () => {
      const signed = await hawkSigner.sign(config, vectorRequest(v), key, {
        timeMs: v.ts * 1000,
        nonce: v.nonce,
      });
      const header = signed.headers['Authorization']!;
      expect(macOf(header)).toBe(v.mac);
      // A Hawk client writes mac last; the server tests' headers carry it elsewhere.
      if (v.authorization.endsWith(`mac="${v.mac}"`)) expect(header).toBe(v.authorization);
    });

    if (v.normalized !== undefined || v.hash !== undefined) {
      it(`${v.name}: gives the published normalized string and payload hash`, () => {
        const host = /^([^:]+)(?::(\d+))?$/.exec(v.request.host)!;
        if (v.hash !== undefined)
          expect(
            payloadHash(v.credentials.algorithm, v.request.body ?? '', v.request.contentType),
          ).toBe(v.hash);
        if (v.normalized !== undefined)
          expect(
            normalizedString({
              ts: String(v.ts),
              nonce: v.nonce,
              method: v.request.method,
              resource: v.request.pathWithQuery,
              host: host[1]!,
              port: host[2] ?? String(v.defaultPort),
              ...(v.hash !== undefined ? { hash: v.hash } : {}),
              ...(v.ext !== undefined ? { ext: v.ext } : {}),
            }),
          ).toBe(v.normalized);
      });
    }

    it(`${v.name}: the published header verifies, returning its id and nonce`, async () => {
      const result = await hawkSigner.verify(
        config,
        vectorRequest(v, v.authorization),
        keyOf,
        v.ts * 1000,
      );
      expect(result).toEqual({ ok: true, keyId: v.credentials.id, nonce: v.nonce });
    });
  }
});

// ---- faults -------------------------------------------------------------------------------

const CONFIG: HawkConfig = {
  scheme: 'hawk',
  algorithm: 'sha256',
  payload: 'required',
  timestamp: { skewSeconds: 60, boundary: 'inclusive' },
  nonce: {
    minLength: 6,
    maxLength: 64,
    pattern: '[A-Za-z0-9_-]+',
    replayWindowSeconds: 120,
    scope: 'signer',
  },
};
const KEY: SigningKey = { keyId: 'hk_live_7f3a', secret: 'a-shared-secret-of-the-client-1234' };
const OTHER: SigningKey = { keyId: 'hk_live_0b91', secret: 'another-clients-secret-5678' };
const KEYS = new Map([KEY, OTHER].map((k) => [k.keyId, k]));
const keyOf = (id: string) => KEYS.get(id);
const T = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const REQ: SignableRequest = {
  method: 'POST',
  host: 'api.example.test:8443',
  pathWithQuery: '/v1/orders?currency=EUR&dry_run=false',
  headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' },
  body: '{"sku":"tea-42","qty":2}',
};

type Controls = Parameters<typeof hawkSigner.sign>[3];

async function signedAt(
  controls: Partial<Controls> = {},
  config: HawkConfig = CONFIG,
  req: SignableRequest = REQ,
): Promise<SignableRequest> {
  return received(
    await hawkSigner.sign(config, req, KEY, { timeMs: T, nonce: 'n0nce-abc', ...controls }),
  );
}

async function verdict(
  req: SignableRequest,
  nowMs = T,
  config: HawkConfig = CONFIG,
): Promise<VerifyResult> {
  return hawkSigner.verify(config, req, keyOf, nowMs);
}

const refused = (denial: string) => expect.objectContaining({ ok: false, denial });

describe('Hawk verify accepts what sign produced', () => {
  it('accepts the signed request and returns the nonce for the caller to remember', async () => {
    expect(await verdict(await signedAt())).toEqual({
      ok: true,
      keyId: KEY.keyId,
      nonce: 'n0nce-abc',
    });
  });

  it('signs the Host it is given without adding a Host header (the verifier reads Host)', async () => {
    const signed = await signedAt();
    expect(Object.keys(signed.headers)).not.toContain('host');
    expect(await verdict({ ...signed, host: 'api.example.test:8443' })).toMatchObject({ ok: true });
  });

  it('replaces an Authorization header the request already had, whatever its case', async () => {
    const signed = await hawkSigner.sign(
      CONFIG,
      { ...REQ, headers: { ...REQ.headers, authorization: 'Bearer x' } },
      KEY,
      { timeMs: T, nonce: 'n0nce-abc' },
    );
    expect(Object.keys(signed.headers).filter((k) => k.toLowerCase() === 'authorization')).toEqual([
      'Authorization',
    ]);
  });

  it('accepts any request it signed, at any time, under either payload mode', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE');
    const segment = fc.string({
      unit: fc.constantFrom(...'abcxyz019-_.~%'),
      minLength: 1,
      maxLength: 12,
    });
    const query = fc.option(fc.string({ unit: fc.constantFrom(...'ab=&%2F+'), maxLength: 20 }));
    const nonce = fc.string({
      unit: fc.constantFrom(...'abcXYZ019_-'),
      minLength: 6,
      maxLength: 64,
    });
    await fc.assert(
      fc.asyncProperty(
        method,
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        query,
        fc.option(fc.string({ maxLength: 80 })),
        fc.option(fc.constantFrom('application/json', 'text/plain; charset=utf-8', 'TEXT/CSV')),
        nonce,
        fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 }),
        fc.constantFrom<HawkConfig['payload']>('required', 'optional'),
        fc.constantFrom(
          'api.example.test',
          'API.Example.test:8080',
          '127.0.0.1:3000',
          '[::1]:9000',
        ),
        async (m, segs, q, body, ct, n, timeMs, payload, host) => {
          const config = { ...CONFIG, payload };
          const req: SignableRequest = {
            method: m,
            host,
            pathWithQuery: '/' + segs.join('/') + (q === null ? '' : `?${q}`),
            headers: ct === null ? {} : { 'Content-Type': ct },
            ...(body === null ? {} : { body }),
          };
          const signed = await signedAt({ timeMs, nonce: n }, config, req);
          const r = await verdict(signed, timeMs + 999, config);
          expect(r).toEqual({ ok: true, keyId: KEY.keyId, nonce: n });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Hawk verify refuses a tampered request (signature_invalid)', () => {
  const cases: [string, Partial<Controls>][] = [
    ['the method', { signAs: { method: 'PUT' } }],
    ['the path', { signAs: { pathWithQuery: '/v1/orders/other?currency=EUR&dry_run=false' } }],
    ['the query', { signAs: { pathWithQuery: '/v1/orders?currency=USD&dry_run=false' } }],
    [
      'the query, reordered',
      { signAs: { pathWithQuery: '/v1/orders?dry_run=false&currency=EUR' } },
    ],
    ['the body', { signAs: { body: '{"sku":"tea-42","qty":20}' } }],
    ['the body, emptied', { signAs: { body: '' } }],
    ['the signed content-type header', { signAs: { headers: { 'Content-Type': 'text/plain' } } }],
  ];
  for (const [part, controls] of cases) {
    it(`refuses ${part} changed after signing`, async () => {
      expect(await verdict(await signedAt(controls))).toEqual(refused('signature_invalid'));
    });
  }

  it('refuses another Host or port than the one signed', async () => {
    const signed = await signedAt();
    expect(await verdict({ ...signed, host: 'evil.example.test:8443' })).toEqual(
      refused('signature_invalid'),
    );
    expect(await verdict({ ...signed, host: 'api.example.test:8444' })).toEqual(
      refused('signature_invalid'),
    );
    expect(await verdict({ ...signed, host: 'api.example.test' })).toEqual(
      refused('signature_invalid'),
    );
  });

  it('refuses a request without a readable Host', async () => {
    const signed = await signedAt();
    for (const host of ['', ' ', 'a:b:c', 'x'.repeat(5000)])
      expect(await verdict({ ...signed, host })).toEqual(refused('signature_invalid'));
    expect(await verdict({ ...signed, host: undefined as unknown as string })).toEqual(
      refused('signature_invalid'),
    );
  });

  it('refuses a body sent without the payload hash where the hash is required', async () => {
    const signed = await signedAt({}, { ...CONFIG, payload: 'optional' }, REQ);
    const withoutHash = signed.headers['authorization']!.replace(/hash="[^"]*", /, '');
    const req = { ...signed, headers: { ...signed.headers, authorization: withoutHash } };
    expect(await verdict(req)).toEqual(refused('signature_missing'));
  });

  it('covers the body only where the payload hash is required', () => {
    expect(hawkSigner.parts(CONFIG).covers).toMatchObject({
      body: true,
      headers: ['content-type'],
    });
    expect(hawkSigner.parts({ ...CONFIG, payload: 'optional' }).covers).toMatchObject({
      body: false,
      headers: [],
    });
  });
});

describe('Hawk verify refuses a key id it cannot verify under (signature_invalid)', () => {
  it('refuses an unknown id', async () => {
    expect(await verdict(await signedAt({ keyIdAs: 'hk_live_nobody' }))).toEqual(
      refused('signature_invalid'),
    );
  });

  it('refuses the id of another client (signed with this client secret)', async () => {
    expect(await verdict(await signedAt({ keyIdAs: OTHER.keyId }))).toEqual(
      refused('signature_invalid'),
    );
  });

  it('refuses an empty id', async () => {
    expect(await verdict(await signedAt({ keyIdAs: '' }))).toEqual(refused('signature_invalid'));
  });
});

describe('Hawk timestamp window (60 s, compared in whole seconds)', () => {
  const at = async (
    offsetSeconds: number,
    nowExtraMs: number,
    boundary: 'inclusive' | 'exclusive',
  ) => {
    const config: HawkConfig = { ...CONFIG, timestamp: { skewSeconds: 60, boundary } };
    const signed = await signedAt({ timeMs: T + offsetSeconds * 1000 }, config);
    return verdict(signed, T + nowExtraMs, config);
  };

  it('inclusive: accepts exactly 60 s in the past or future, even 999 ms into the clock second', async () => {
    for (const off of [-60, 60]) {
      expect(await at(off, 0, 'inclusive')).toMatchObject({ ok: true });
      expect(await at(off, 999, 'inclusive')).toMatchObject({ ok: true });
    }
  });

  it('inclusive: refuses 61 s in the past or future', async () => {
    for (const off of [-61, 61])
      expect(await at(off, 0, 'inclusive')).toEqual(refused('timestamp_skew'));
  });

  it('exclusive: accepts 59 s and refuses exactly 60 s, past and future', async () => {
    for (const off of [-59, 59]) expect(await at(off, 0, 'exclusive')).toMatchObject({ ok: true });
    for (const off of [-60, 60])
      expect(await at(off, 0, 'exclusive')).toEqual(refused('timestamp_skew'));
  });

  it('refuses an unreadable ts', async () => {
    const signed = await signedAt();
    for (const ts of ['', 'abc', '1.5', '-60', '1'.repeat(17)]) {
      const authorization = signed.headers['authorization']!.replace(/ts="\d+"/, `ts="${ts}"`);
      expect(await verdict({ ...signed, headers: { ...signed.headers, authorization } })).toEqual(
        refused('timestamp_skew'),
      );
    }
  });

  it('says the timestamp is whole seconds with the configured window', () => {
    expect(hawkSigner.parts(CONFIG).timestamp).toEqual({
      resolutionMs: 1000,
      skewSeconds: 60,
      boundary: 'inclusive',
    });
  });
});

describe('Hawk nonce form (nonce_invalid)', () => {
  const cases: [string, string][] = [
    ['empty', ''],
    ['shorter than 6', 'abcde'],
    ['longer than 64', 'a'.repeat(65)],
    ['with a character outside the pattern', 'abc.def'],
    ['with a character Hawk cannot carry', 'abcédef'],
  ];
  for (const [what, nonce] of cases) {
    it(`refuses a nonce ${what}`, async () => {
      expect(await verdict(await signedAt({ nonce }))).toEqual(refused('nonce_invalid'));
    });
  }

  it('accepts nonces at both length bounds', async () => {
    for (const nonce of ['a'.repeat(6), 'b'.repeat(64)])
      expect(await verdict(await signedAt({ nonce }))).toMatchObject({ ok: true, nonce });
  });

  it('says it has a nonce, per Hawk id, and does not remember it itself', async () => {
    expect(hawkSigner.parts(CONFIG).nonce).toMatchObject({ scope: 'signer', minLength: 6 });
    const signed = await signedAt();
    expect(await verdict(signed)).toMatchObject({ ok: true });
    expect(await verdict(signed)).toMatchObject({ ok: true }); // the caller refuses the replay
  });
});

describe('Hawk signature slot and signature faults', () => {
  it('reads the mac as base64 and changes nothing else when it replaces it', async () => {
    const signed = await signedAt();
    const slot = hawkSigner.signatureSlot(CONFIG, signed)!;
    expect(slot.encoding).toBe('base64');
    expect(slot.value).toBe(macOf(signed.headers['authorization']!));
    expect(slot.replace(slot.value)).toEqual(signed);
  });

  it('has no slot on a request without a Hawk header', () => {
    expect(hawkSigner.signatureSlot(CONFIG, REQ)).toBeUndefined();
  });

  it('refuses the mac removed (signature_missing)', async () => {
    const slot = hawkSigner.signatureSlot(CONFIG, await signedAt())!;
    const removed = slot.remove();
    expect(removed.headers['authorization']).not.toMatch(/mac=/);
    expect(removed.headers['authorization']).toMatch(/^Hawk id="[^"]+", ts=/);
    expect(await verdict(removed)).toEqual(refused('signature_missing'));
  });

  it('refuses a request without Authorization, or with another scheme (signature_missing)', async () => {
    const signed = await signedAt();
    const { authorization, ...rest } = signed.headers;
    expect(await verdict({ ...signed, headers: rest })).toEqual(refused('signature_missing'));
    const bearer = { ...signed, headers: { ...rest, authorization: `Bearer ${authorization}` } };
    expect(await verdict(bearer)).toEqual(refused('signature_missing'));
  });

  it('refuses an empty, truncated or last-character-changed mac (signature_invalid)', async () => {
    const slot = hawkSigner.signatureSlot(CONFIG, await signedAt())!;
    const v = slot.value;
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    const lastData = v.replace(/=+$/, '').length - 1;
    for (const mac of [
      '',
      v.slice(0, v.length / 2),
      v.slice(0, -1) + flip(v.at(-1)!),
      v.slice(0, lastData) + flip(v[lastData]!) + v.slice(lastData + 1),
    ])
      expect(await verdict(slot.replace(mac))).toEqual(refused('signature_invalid'));
  });

  it('accepts the attributes in any order and the scheme word in any case', async () => {
    const signed = await signedAt();
    const a = signed.headers['authorization']!;
    const attrs = a.slice('Hawk '.length).split(', ').reverse().join(', ');
    for (const authorization of [`hawk ${attrs}`, `HAWK  ${a.slice(5)}`])
      expect(
        await verdict({ ...signed, headers: { ...signed.headers, authorization } }),
      ).toMatchObject({
        ok: true,
      });
  });
});

describe('Hawk verify on hostile input returns a denial, never throws', () => {
  it('refuses repeated, unknown or malformed attributes', async () => {
    const signed = await signedAt();
    const a = signed.headers['authorization']!;
    const cases: [string, string][] = [
      [`${a}, mac="AAAA"`, 'signature_invalid'],
      [`${a}, evil="1"`, 'signature_invalid'],
      [a.replace(', ', ' '), 'signature_invalid'],
      [a.replace('ts="', 'ts=\\"'), 'signature_invalid'],
      ['Hawk id', 'signature_invalid'],
      [`Hawk ${'id="x", '.repeat(2000)}`, 'signature_invalid'],
      ['Hawk', 'signature_missing'],
      ['Hawk ', 'signature_missing'],
    ];
    for (const [authorization, denial] of cases) {
      const r = await verdict({ ...signed, headers: { ...signed.headers, authorization } });
      expect(r).toEqual(refused(denial));
    }
  });

  it('answers any header values, however long or odd, with a denial', async () => {
    const signed = await signedAt();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ maxLength: 300 }).map((s) => `Hawk ${s}`),
          fc
            .array(
              fc.tuple(
                fc.constantFrom('id', 'ts', 'nonce', 'hash', 'ext', 'mac', 'app', 'dlg', 'x'),
                fc.string({ maxLength: 20 }),
              ),
              { maxLength: 10 },
            )
            .map((as) => `Hawk ${as.map(([k, v]) => `${k}="${v}"`).join(', ')}`),
        ),
        fc.option(fc.string({ maxLength: 40 })),
        fc.string({ maxLength: 40 }),
        async (authorization, contentType, host) => {
          const headers: Record<string, string> = { authorization };
          if (contentType !== null) headers['content-type'] = contentType;
          const r = await verdict({ ...signed, host, headers });
          expect(r.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
    const odd: Record<string, string>[] = [
      { authorization: 'Hawk ' + 'a'.repeat(1 << 20) },
      { authorization: 42 as unknown as string },
      { authorization: ['Hawk id="x"'] as unknown as string },
      {},
    ];
    for (const headers of odd) expect((await verdict({ ...signed, headers })).ok).toBe(false);
  });
});

// ---- interoperability with the scheme's reference implementation ---------------------------

interface HawkPackage {
  client: {
    header(
      uri: string,
      method: string,
      options: {
        credentials: { id: string; key: string; algorithm: string };
        timestamp: number;
        nonce: string;
        payload?: string;
        contentType?: string;
        ext?: string;
      },
    ): { header: string };
  };
  server: {
    authenticate(
      req: {
        method: string;
        url: string;
        host: string;
        port: number | string;
        authorization: string;
        contentType?: string;
      },
      credentialsFunc: (id: string) => Promise<object | null>,
      options: {
        localtimeOffsetMsec: number;
        timestampSkewSec: number;
        payload?: string;
        nonceFunc?: (key: string, nonce: string, ts: string) => Promise<void>;
      },
    ): Promise<{ credentials: object; artifacts: { nonce: string } }>;
  };
}
const Hawk = createRequire(import.meta.url)('hawk') as HawkPackage;

describe('Hawk interoperability with the hawk package (mozilla/hawk)', () => {
  const inputs = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
    path: fc.stringMatching(
      /^\/[a-z0-9_.~-]{1,10}(\/[a-z0-9_.~-]{1,10}){0,2}(\?[a-z0-9=&]{0,15})?$/,
    ),
    body: fc.string({ unit: 'grapheme', maxLength: 60 }),
    contentType: fc.constantFrom('application/json', 'text/plain; charset=utf-8'),
    nonce: fc.stringMatching(/^[A-Za-z0-9_-]{6,40}$/),
    ts: fc.integer({ min: 1_000_000_000, max: 3_000_000_000 }),
    port: fc.integer({ min: 1, max: 65535 }),
  });

  it('the hawk package authenticates what we sign, payload included', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (x) => {
        const signed = await hawkSigner.sign(
          CONFIG,
          {
            method: x.method,
            host: `api.example.test:${x.port}`,
            pathWithQuery: x.path,
            headers: { 'Content-Type': x.contentType },
            body: x.body,
          },
          KEY,
          { timeMs: x.ts * 1000, nonce: x.nonce },
        );
        let seenNonce: string | undefined;
        const { artifacts } = await Hawk.server.authenticate(
          {
            method: x.method,
            url: x.path,
            host: 'api.example.test',
            port: x.port,
            authorization: signed.headers['Authorization']!,
            contentType: x.contentType,
          },
          async (id) => (id === KEY.keyId ? { key: KEY.secret, algorithm: 'sha256' } : null),
          {
            localtimeOffsetMsec: x.ts * 1000 - Date.now(),
            timestampSkewSec: 60,
            payload: x.body,
            nonceFunc: async (_k, n) => void (seenNonce = n),
          },
        );
        expect(artifacts.nonce).toBe(x.nonce);
        expect(seenNonce).toBe(x.nonce);
      }),
      { numRuns: 100 },
    );
  });

  it('we verify what the hawk package signs, and refuse it when its body is changed', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (x) => {
        const { header } = Hawk.client.header(
          `http://api.example.test:${x.port}${x.path}`,
          x.method,
          {
            credentials: { id: KEY.keyId, key: KEY.secret!, algorithm: 'sha256' },
            timestamp: x.ts,
            nonce: x.nonce,
            payload: x.body,
            contentType: x.contentType,
          },
        );
        const req: SignableRequest = {
          method: x.method,
          host: `api.example.test:${x.port}`,
          pathWithQuery: x.path,
          headers: { authorization: header, 'content-type': x.contentType },
          body: x.body,
        };
        expect(await verdict(req, x.ts * 1000)).toEqual({
          ok: true,
          keyId: KEY.keyId,
          nonce: x.nonce,
        });
        expect(await verdict({ ...req, body: `${x.body}!` }, x.ts * 1000)).toEqual(
          refused('signature_invalid'),
        );
      }),
      { numRuns: 100 },
    );
  });
});
