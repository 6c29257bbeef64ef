// Masking after decoding (issue 12, item 10): a known secret a target echoes escaped or encoded is
// masked like a raw one. Every fixture secret, in every form, is searched for in the masked text
// by a reader that decodes independently of the masking (test/report/find-secrets.ts); the same
// reader finds each form in the unmasked text, so the search can fire.
import { describe, expect, it } from 'vitest';
import { maskKnownSecrets } from '../../src/secrets/mask-known-secrets.ts';
import { maskSecret } from '../../src/secrets/mask.ts';
import { secretFormIn } from '../../src/secrets/secret-forms.ts';
import { fixtureSecrets, readingsOf } from '../report/find-secrets.ts';

const secrets = fixtureSecrets();
const values = [...new Set(secrets.map((s) => s.value))].sort((a, b) => b.length - a.length);

const hex = (n: number, w: number, upper = false) => {
  const h = n.toString(16).padStart(w, '0');
  return upper ? h.toUpperCase() : h;
};
const jsonU = (c: string, upper = false) =>
  c
    .split('')
    .map((u) => `\\u${hex(u.charCodeAt(0), 4, upper)}`)
    .join('');
const pct = (c: string, upper = false) =>
  [...Buffer.from(c, 'utf8')].map((b) => `%${hex(b, 2, upper)}`).join('');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** Each form a server can echo a secret in, as the text around it would carry it. */
export const ECHO_FORMS: Record<string, (s: string) => string> = {
  raw: (s) => s,
  'JSON \\u escape of the first character only (the issue: "\\u0071p_test_sk_...")': (s) =>
    jsonU(s[0]!) + s.slice(1),
  'JSON \\u escapes of every character, lower-case hex': (s) =>
    [...s].map((c) => jsonU(c)).join(''),
  'JSON \\u escapes of every other character, upper-case hex': (s) =>
    [...s].map((c, i) => (i % 2 ? c : jsonU(c, true))).join(''),
  'a JSON string inside a JSON string (\\\\u0071)': (s) =>
    JSON.stringify(JSON.stringify(jsonU(s[0]!) + s.slice(1))).slice(2, -2),
  'JSON.stringify of it (\\n and \\/ short escapes)': (s) =>
    JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/'),
  'percent-encoded, every byte, upper-case hex': (s) => [...s].map((c) => pct(c, true)).join(''),
  'percent-encoded, every other character, lower-case hex': (s) =>
    [...s].map((c, i) => (i % 2 ? pct(c) : c)).join(''),
  encodeURIComponent: (s) => encodeURIComponent(s),
  'percent-encoded twice (%2571)': (s) => encodeURIComponent(pct(s[0]!) + s.slice(1)),
  'HTML decimal character references': (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join(''),
  'HTML hex character references, mixed with raw characters': (s) =>
    [...s].map((c, i) => (i % 3 ? c : `&#x${hex(c.codePointAt(0)!, 1, i % 2 === 0)};`)).join(''),
  'JSON and percent escapes mixed in one echo': (s) =>
    [...s].map((c, i) => (i % 3 === 0 ? jsonU(c) : i % 3 === 1 ? pct(c) : c)).join(''),
  base64: (s) => b64(s),
  'base64 without padding': (s) => b64(s).replace(/=+$/, ''),
  base64url: (s) => b64url(s),
  'base64 of user:secret (HTTP Basic)': (s) => `Basic ${b64(`merchant_7:${s}`)}`,
  'base64 of a text holding it at offset 1 of a 3-byte group': (s) => b64(`{${s}}`),
  'base64url of a text holding it at offset 2 of a 3-byte group': (s) => b64url(`k=${s}&x=1`),
};

describe('a known secret echoed in any form is masked', () => {
  it('the search finds every fixture secret in every form of the unmasked echo (positive control)', () => {
    const missed: string[] = [];
    for (const s of secrets)
      for (const [form, encode] of Object.entries(ECHO_FORMS))
        if (!readingsOf(`{"echo":"${encode(s.value)}"}`).some((r) => r.includes(s.value)))
          missed.push(`${s.where} as ${form}`);
    expect(missed).toEqual([]);
  });

  it('masks every fixture secret in every form, down to prefix and last four of the decoded secret', () => {
    const leaked: string[] = [];
    const unmasked: string[] = [];
    for (const s of secrets)
      for (const [form, encode] of Object.entries(ECHO_FORMS)) {
        const masked = maskKnownSecrets(`{"echo":"${encode(s.value)}"}`, values);
        if (readingsOf(masked).some((r) => r.includes(s.value)))
          leaked.push(`${s.where} as ${form}: ${masked.slice(0, 120)}`);
        if (!s.where.includes(' line ') && !masked.includes(maskSecret(s.value)))
          unmasked.push(`${s.where} as ${form}: ${masked.slice(0, 120)}`);
      }
    expect(leaked).toEqual([]);
    expect(unmasked).toEqual([]);
  });

  it('says how an encoded echo came back', () => {
    const key = values.find((v) => v.startsWith('qp_test_sk_'))!;
    expect(maskKnownSecrets(`{"m":"\\u0071${key.slice(1)}"}`, [key])).toBe(
      `{"m":"[escaped ${maskSecret(key)}]"}`,
    );
    expect(maskKnownSecrets(`Basic ${b64(`u:${key}`)}`, [key])).toMatch(
      new RegExp(`^Basic \\S{0,8}\\[base64 ${maskSecret(key)}\\]\\S{0,4}$`),
    );
    expect(maskKnownSecrets(`key ${key}.`, [key])).toBe(`key ${maskSecret(key)}.`);
  });

  it('masks a signed JWT it was not told about, echoed with its characters escaped', async () => {
    const { mintJwt } = await import('../../src/request/mint-jwt.ts');
    const jwt = await mintJwt(
      { secret: 'a-signing-secret-of-32-characters!!', alg: 'HS256' },
      { nowSeconds: 1_800_000_000, lifetimeSeconds: 3600, claims: { sub: 'user-1' } },
    );
    for (const echo of [
      jwt.replace(/\./g, '\\u002e'),
      encodeURIComponent(jwt).replace(/\./g, '%2E'),
      jsonU(jwt[0]!) + jwt.slice(1),
    ]) {
      const masked = maskKnownSecrets(`{"token":"${echo}"}`, []);
      expect(
        readingsOf(masked).some((r) => r.includes(jwt)),
        masked,
      ).toBe(false);
      expect(masked).toBe(`{"token":"[escaped ${maskSecret(jwt)}]"}`);
    }
  });

  it('leaves text that only resembles a secret as it is', () => {
    const key = values.find((v) => v.startsWith('qp_test_sk_'))!;
    const near = key.slice(0, -1) + (key.endsWith('x') ? 'y' : 'x');
    for (const text of [
      near,
      jsonU(near[0]!) + near.slice(1),
      b64(near),
      `%71${near.slice(1)}`,
      maskSecret(key),
    ])
      expect(maskKnownSecrets(text, [key])).toBe(text);
  });

  it('finds the form a check reports: raw, escaped or base64', () => {
    const key = values.find((v) => v.startsWith('qp_test_sk_'))!;
    expect(secretFormIn(`x ${key}`, key)).toBe('raw');
    expect(secretFormIn(`x %71${key.slice(1)}`, key)).toBe('escaped');
    expect(secretFormIn(`x ${b64url(`a${key}`)}`, key)).toBe('base64');
    expect(secretFormIn('nothing here', key)).toBeUndefined();
  });

  it('masks a 2,000-character answer against 40 secrets in well under a millisecond each', () => {
    const some = values.slice(0, 40);
    const body = JSON.stringify({
      error: 'x'.repeat(900),
      note: 'a&b %20 \\u0041',
      pad: 'y'.repeat(900),
    });
    maskKnownSecrets(body, some); // patterns built once, then kept
    const n = 200;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) maskKnownSecrets(body + i, some);
    const perCall = (performance.now() - t0) / n;
    expect(perCall).toBeLessThan(2);
  });
});
