/**
 * API v2 request signing: "Each request must be signed with HMAC-SHA256 using the payment HMAC
 * secret issued during onboarding". The guide is cut off at the canonical string; the profile
 * (specs/profiles/luxcore.yaml, `signing.v1`) decides it is
 *   METHOD \n path_with_query \n X-Timestamp \n X-Nonce \n sha256_hex(raw body bytes)
 * keyed with the secret's UTF-8 bytes, sent as "hmac_sha256=<lower-case hex>".
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.ts';
import type { NonceMemory } from './nonce-memory.ts';
import type { Weakness } from './weaknesses.ts';
import type { ApiKey, World } from './world.ts';

/** "Reject locally if the timestamp differs from current time by more than 300 seconds." */
const SKEW_SECONDS = 300;
const NONCE = /^[A-Za-z0-9_-]{8,128}$/;
const SIGNATURE = /^hmac_sha256=[0-9a-f]{64}$/;

export interface SignedRequest {
  method: string;
  /** The request target exactly as sent (path and query, encoding untouched). */
  pathWithQuery: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export function canonicalString(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  rawBody: Buffer,
): string {
  const bodyHex = createHash('sha256').update(rawBody).digest('hex');
  return [method.toUpperCase(), pathWithQuery, timestamp, nonce, bodyHex].join('\n');
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) throw new ApiError('bad_request');
  return value === '' ? undefined : value;
}

/**
 * Throws the profile's denial unless the request is signed by the key's merchant, in the window,
 * with a well-formed nonce not seen before for that merchant; then remembers the nonce.
 */
export function verifySignature(
  req: SignedRequest,
  key: ApiKey,
  world: World,
  nonces: NonceMemory,
  nowSeconds: number,
  weakness?: Weakness,
): void {
  const merchantId = header(req.headers, 'x-merchant-id');
  const timestamp = header(req.headers, 'x-timestamp');
  const nonce = header(req.headers, 'x-nonce');
  const version = header(req.headers, 'x-signature-version');
  const signature = header(req.headers, 'x-signature');
  if (!merchantId || !timestamp || !nonce || !version || !signature)
    throw new ApiError('missing_signature');
  // "X-Merchant-Id | Numeric merchant ID"
  if (!/^[0-9]+$/.test(merchantId)) throw new ApiError('bad_request');
  if (merchantId !== key.merchant && weakness !== 'merchant-header-trusted')
    throw new ApiError('merchant_mismatch');
  // "X-Signature-Version | Canonicalization version, currently v1"
  if (version !== 'v1') throw new ApiError('unsupported_signature_version');
  // "Unix timestamp in seconds"; anything but an integer is outside every window.
  if (!/^-?[0-9]{1,15}$/.test(timestamp)) throw new ApiError('timestamp_out_of_window');
  const skew = Math.abs(nowSeconds - Number(timestamp));
  const outside = weakness === 'window-exclusive' ? skew >= SKEW_SECONDS : skew > SKEW_SECONDS;
  if (outside) throw new ApiError('timestamp_out_of_window');
  if (!NONCE.test(nonce)) throw new ApiError('invalid_nonce');

  const merchant = world.merchants.get(merchantId);
  if (!merchant) throw new ApiError('invalid_signature');
  const expected =
    'hmac_sha256=' +
    createHmac('sha256', Buffer.from(merchant.hmacSecret, 'utf8'))
      .update(canonicalString(req.method, req.pathWithQuery, timestamp, nonce, req.rawBody))
      .digest('hex');
  if (!signatureMatches(signature, expected, weakness)) throw new ApiError('invalid_signature');

  const scope = weakness === 'nonce-per-key' ? `key:${key.id}` : `merchant:${merchant.id}`;
  const claim = nonces.claim(scope, nonce, nowSeconds, Number(timestamp));
  if (claim === 'replayed') throw new ApiError('nonce_replayed');
  // Memory full of nonces still inside their window: refuse rather than forget one.
  if (claim === 'full') throw new ApiError('rate_limit_exceeded', SKEW_SECONDS);
}

function signatureMatches(sent: string, expected: string, weakness?: Weakness): boolean {
  if (weakness === 'signature-prefix') {
    // "hmac_sha256=" and the first 16 hex digits only.
    const n = 'hmac_sha256='.length + 16;
    return sent.slice(0, n) === expected.slice(0, n);
  }
  if (!SIGNATURE.test(sent)) return false;
  // Same length (the pattern fixes it), compared in constant time.
  return timingSafeEqual(Buffer.from(sent, 'utf8'), Buffer.from(expected, 'utf8'));
}
