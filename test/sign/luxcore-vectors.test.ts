// The LuxCore known-answer vectors, recomputed here straight from node's crypto and the
// decision written in specs/profiles/luxcore.yaml (METHOD\npath_with_query\ntimestamp\nnonce\n
// sha256_hex(raw body)), independently of src/sign/hmac-canonical.ts.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { canonicalString, signatureHeaderValue } from '../../src/sign/hmac-canonical.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import type { HmacVectors } from '../../src/spec/load-vectors.ts';
import { hmacSigning } from '../support/hmac-signing.ts';

const doc = parse(readFileSync('specs/vectors/luxcore-hmac-v1.yaml', 'utf8')) as HmacVectors;
const signing = hmacSigning(resolveProfile('luxcore').profile, doc.signing);

describe('LuxCore HMAC v1 known-answer vectors', () => {
  it('cover the cases the guide makes tricky', () => {
    expect(doc.vectors.length).toBeGreaterThanOrEqual(6);
    expect(doc.vectors.some((v) => v.body === '')).toBe(true);
    expect(doc.vectors.some((v) => v.pathWithQuery.includes('?'))).toBe(true);
    expect(doc.vectors.some((v) => Buffer.byteLength(v.body) !== v.body.length)).toBe(true);
    expect(doc.vectors.map((v) => v.nonce.length)).toEqual(expect.arrayContaining([8, 128]));
  });

  for (const v of doc.vectors) {
    it(`${v.name}: node's crypto gives the recorded canonical string and signature`, () => {
      const bodyHash = createHash('sha256').update(Buffer.from(v.body, 'utf8')).digest('hex');
      const canonical = [
        v.method.toUpperCase(),
        v.pathWithQuery,
        v.timestamp,
        v.nonce,
        bodyHash,
      ].join('\n');
      expect(canonical).toBe(v.canonical);
      const hex = createHmac('sha256', Buffer.from(v.secret, 'utf8'))
        .update(canonical)
        .digest('hex');
      expect(`hmac_sha256=${hex}`).toBe(v.signature);
    });

    it(`${v.name}: the harness's canonicalization from the profile agrees`, () => {
      expect(canonicalString(signing, v)).toBe(v.canonical);
      expect(signatureHeaderValue(signing, v.secret, v.canonical)).toBe(v.signature);
    });
  }

  it('a one-byte change of body, query or secret changes the signature', () => {
    const v =
      doc.vectors.find((x) => x.body !== '' && x.pathWithQuery.includes('?')) ?? doc.vectors[0]!;
    const sign = (parts: typeof v) =>
      signatureHeaderValue(signing, parts.secret, canonicalString(signing, parts));
    expect(sign(v)).toBe(v.signature);
    expect(sign({ ...v, body: v.body + ' ' })).not.toBe(v.signature);
    expect(sign({ ...v, pathWithQuery: v.pathWithQuery + '&x=1' })).not.toBe(v.signature);
    expect(sign({ ...v, secret: v.secret.slice(0, -1) + 'x' })).not.toBe(v.signature);
  });
});
