/**
 * The canonical string and signature of an HMAC-signed request, built from the profile's
 * `signing` data alone. Checked against the known-answer vectors in specs/vectors/, never
 * against the mock.
 */
import { createHmac, hash } from 'node:crypto';
import type { CanonicalPart, HmacSigning } from '../model/profile.ts';

export interface SignedRequestParts {
  method: string;
  /** Path and query exactly as sent on the wire. */
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  merchant: string;
  body: string | Uint8Array;
  /** The Host the request is sent to (where the canonical string names it). */
  host?: string;
}

export function bodySha256Hex(body: string | Uint8Array): string {
  // One call, no Hash object: a mock checks one on every signed request.
  return hash('sha256', body, 'hex');
}

export function canonicalString(signing: HmacSigning, req: SignedRequestParts): string {
  const { parts, joiner } = signing.canonical;
  let out = '';
  for (let i = 0; i < parts.length; i++)
    out += (i > 0 ? joiner : '') + canonicalPart(parts[i]!, req);
  return out;
}

function canonicalPart(p: CanonicalPart, req: SignedRequestParts): string {
  switch (p) {
    case 'method':
      return req.method.toUpperCase();
    case 'path_with_query':
      return req.pathWithQuery;
    case 'path': {
      const q = req.pathWithQuery.indexOf('?');
      return q < 0 ? req.pathWithQuery : req.pathWithQuery.slice(0, q);
    }
    case 'query': {
      const q = req.pathWithQuery.indexOf('?');
      return q < 0 ? '' : req.pathWithQuery.slice(q + 1);
    }
    case 'timestamp':
      return req.timestamp;
    case 'nonce':
      return req.nonce;
    case 'merchant':
      return req.merchant;
    case 'host':
      return req.host ?? '';
    case 'body_sha256_hex':
      return bodySha256Hex(req.body);
  }
}

/** The HMAC of the canonical string, in the profile's digest encoding (hex by default). */
export function signatureDigest(signing: HmacSigning, secret: string, canonical: string): string {
  return createHmac(signing.algorithm, Buffer.from(secret, 'utf8'))
    .update(canonical, 'utf8')
    .digest(signing.digest ?? 'hex');
}

/** The signature header's value: the format with its digest and key id filled in. */
export function formatSignature(signing: HmacSigning, keyId: string, signature: string): string {
  return signing.signatureFormat
    .replace(/\{(?:hex|signature)\}/, signature)
    .replace('{keyId}', keyId);
}

/** The value of the signature header: the profile's format with the digest filled in. */
export function signatureHeaderValue(
  signing: HmacSigning,
  secret: string,
  canonical: string,
  keyId = '',
): string {
  return formatSignature(signing, keyId, signatureDigest(signing, secret, canonical));
}
