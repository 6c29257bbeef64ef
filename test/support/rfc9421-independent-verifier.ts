/**
 * A second RFC 9421 verifier, written by hand from the RFC over node:crypto alone (no
 * http-message-signatures, no structured-headers), for the mock to use in place of the built-in
 * one: with no fault it must pass every scenario (a false alarm on it would be the harness's),
 * and with one fault switched on it is a server with one realistic mistake. Signing, parts and
 * the signature slot stay the built-in signer's: only the verifying side is under test.
 */
import { createHash, createHmac, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import { rfc9421Signer, type Rfc9421Config } from '../../src/sign/schemes/rfc9421.ts';
import { anchored } from '../../src/model/anchored-pattern.ts';
import type {
  SignableRequest,
  SignatureDenial,
  Signer,
  SigningKey,
  VerifyResult,
} from '../../src/sign/signer.ts';

export interface VerifierFaults {
  /** Content-Digest never compared with the body: the body is not covered. */
  digestUnchecked?: true;
  /** The HMAC compared on as many bytes as were sent (a prefix passes; nothing sent passes). */
  prefixCompare?: true;
  /** Every known key tried until one verifies: the keyid does not matter. */
  keyIdUnchecked?: true;
  /** created never compared with the clock. */
  createdUnchecked?: true;
  /** expires never compared with the clock. */
  expiresUnchecked?: true;
  /** The window's edge refused although the profile includes it. */
  edgeRefused?: true;
  /** The nonce's length and characters never checked. */
  nonceFormUnchecked?: true;
  /** The nonce checked but not handed back, so it is never remembered. */
  nonceNotRemembered?: true;
  /** tag never compared. */
  tagUnchecked?: true;
  /** @query taken from the router's parsed query, which holds only the route's declared params. */
  queryFromRouter?: true;
}

export function independentRfc9421(
  faults: VerifierFaults,
  allKeys: readonly SigningKey[],
): Signer<Rfc9421Config> {
  return {
    ...rfc9421Signer,
    verify: async (c, req, keyOf, nowMs) => {
      try {
        return verifyByHand(c, req, keyOf, nowMs, faults, allKeys);
      } catch {
        return deny('signature_invalid');
      }
    },
  };
}

function verifyByHand(
  c: Rfc9421Config,
  req: SignableRequest,
  keyOf: (id: string) => SigningKey | undefined,
  nowMs: number,
  f: VerifierFaults,
  allKeys: readonly SigningKey[],
): VerifyResult {
  const inputField = req.headers['signature-input'];
  const sigField = req.headers['signature'];
  if (!inputField || !sigField) return deny('signature_missing');
  const label = c.label.replace(/[.*]/g, '\\$&');
  const input = new RegExp(`(?:^|,)\\s*${label}=(\\(([^)]*)\\)((?:;[^,;]+)*))`).exec(inputField);
  const sig = new RegExp(`(?:^|,)\\s*${label}=:([A-Za-z0-9+/]*={0,2}):`).exec(sigField);
  if (!input || !sig) return deny('signature_missing');
  const components = input[2]!.trim() === '' ? [] : input[2]!.trim().split(/\s+/);
  if (!components.every((x) => /^"[a-z0-9@_.-]+"$/.test(x))) return deny('signature_invalid');
  const covered = components.map((x) => x.slice(1, -1));
  const params = new Map<string, string>();
  for (const p of input[3]!.split(';').slice(1)) {
    const eq = p.indexOf('=');
    params.set(p.slice(0, eq), p.slice(eq + 1));
  }
  const str = (name: string) => {
    const v = params.get(name);
    return v !== undefined && /^"[^"\\]*"$/.test(v) ? v.slice(1, -1) : undefined;
  };
  const int = (name: string) => {
    const v = params.get(name);
    return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
  };

  const keyId = str('keyid');
  if (!params.has('keyid') || !params.has('created')) return deny('signature_missing');
  if (c.nonce && !params.has('nonce')) return deny('signature_missing');
  if (c.tag !== undefined && !f.tagUnchecked) {
    if (!params.has('tag')) return deny('signature_missing');
    if (str('tag') !== c.tag) return deny('signature_version');
  }
  const now = Math.floor(nowMs / 1000);
  const created = int('created');
  if (created === undefined) return deny('timestamp_skew');
  if (!f.createdUnchecked) {
    const skew = Math.abs(now - created);
    const exclusive = f.edgeRefused || c.created.boundary === 'exclusive';
    if (exclusive ? skew >= c.created.skewSeconds : skew > c.created.skewSeconds)
      return deny('timestamp_skew');
  }
  if (c.expires && !f.expiresUnchecked) {
    const expires = int('expires');
    if (expires === undefined || now > expires) return deny('timestamp_skew');
  }
  const nonce = str('nonce');
  if (c.nonce && !f.nonceFormUnchecked) {
    if (nonce === undefined || nonce.length < c.nonce.minLength || nonce.length > c.nonce.maxLength)
      return deny('nonce_invalid');
    if (c.nonce.pattern && !anchored(c.nonce.pattern).test(nonce)) return deny('nonce_invalid');
  }
  for (const name of c.components)
    if ((name.startsWith('@') || req.headers[name] !== undefined) && !covered.includes(name))
      return deny('signature_invalid');
  if (keyId === undefined) return deny('signature_invalid');

  const q = req.pathWithQuery.indexOf('?');
  const lines = covered.map((name) => {
    const value = (() => {
      switch (name) {
        case '@method':
          return req.method.toUpperCase();
        case '@authority':
          return req.host.toLowerCase();
        case '@path':
          return q < 0 ? req.pathWithQuery : req.pathWithQuery.slice(0, q);
        case '@query':
          return f.queryFromRouter || q < 0 ? '?' : req.pathWithQuery.slice(q);
        default: {
          if (name.startsWith('@')) throw new Error(`unsupported ${name}`);
          const v = req.headers[name];
          if (v === undefined) throw new Error(`no ${name}`);
          return v.trim();
        }
      }
    })();
    return `"${name}": ${value}`;
  });
  const base = [...lines, `"@signature-params": ${input[1]}`].join('\n');

  if (covered.includes('content-digest') && !f.digestUnchecked) {
    const d = /^(sha-256|sha-512)=:([A-Za-z0-9+/=]+):$/.exec(req.headers['content-digest'] ?? '');
    const hash = d?.[1] === 'sha-512' ? 'sha512' : 'sha256';
    if (
      !d ||
      createHash(hash)
        .update(req.body ?? '')
        .digest('base64') !== d[2]
    )
      return deny('signature_invalid');
  }

  const sent = Buffer.from(sig[1]!, 'base64');
  const candidates = f.keyIdUnchecked ? allKeys : [keyOf(keyId)].filter((k) => k !== undefined);
  const ok = candidates.some((key) => {
    if (c.algorithm === 'ed25519')
      return verifySignature(null, Buffer.from(base), key!.publicKeyPem!, sent);
    const mac = createHmac(
      'sha256',
      Buffer.from(key!.secret!, c.secretEncoding === 'base64' ? 'base64' : 'utf8'),
    )
      .update(base)
      .digest();
    if (f.prefixCompare) return mac.subarray(0, sent.length).equals(sent);
    return sent.length === mac.length && timingSafeEqual(sent, mac);
  });
  if (!ok) return deny('signature_invalid');
  return { ok: true, keyId, ...(c.nonce && !f.nonceNotRemembered ? { nonce: nonce! } : {}) };
}

function deny(denial: SignatureDenial): VerifyResult {
  return { ok: false, denial };
}
