/**
 * The canonical string and signature of an HMAC-signed request, built from the profile's
 * `signing` data alone. Checked against the known-answer vectors in specs/vectors/, never
 * against the mock.
 */
import { createHash, createHmac } from 'node:crypto';
import type { CanonicalPart, HmacSigning } from '../model/profile.ts';

export interface SignedRequestParts {
  method: string;
  /** Path and query exactly as sent on the wire. */
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  merchant: string;
  body: string | Uint8Array;
}

export function bodySha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalString(signing: HmacSigning, req: SignedRequestParts): string {
  const q = req.pathWithQuery.indexOf('?');
  const part = (p: CanonicalPart): string => {
    switch (p) {
      case 'method':
        return req.method.toUpperCase();
      case 'path_with_query':
        return req.pathWithQuery;
      case 'path':
        return q < 0 ? req.pathWithQuery : req.pathWithQuery.slice(0, q);
      case 'query':
        return q < 0 ? '' : req.pathWithQuery.slice(q + 1);
      case 'timestamp':
        return req.timestamp;
      case 'nonce':
        return req.nonce;
      case 'merchant':
        return req.merchant;
      case 'body_sha256_hex':
        return bodySha256Hex(req.body);
    }
  };
  return signing.canonical.parts.map(part).join(signing.canonical.joiner);
}

/** The value of the signature header: the profile's format with {hex} filled in. */
export function signatureHeaderValue(
  signing: HmacSigning,
  secret: string,
  canonical: string,
): string {
  const hex = createHmac(signing.algorithm, Buffer.from(secret, 'utf8'))
    .update(canonical, 'utf8')
    .digest('hex');
  return signing.signatureFormat.replace('{hex}', hex);
}
