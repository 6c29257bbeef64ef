/**
 * Header-based HMAC signing, the LuxCore shape generalized: a canonical string built from the
 * profile's parts, an HMAC over it in hex or base64, written through `signatureFormat` into its
 * own header or into `Authorization`, with the key id, timestamp (seconds, milliseconds or
 * ISO 8601), nonce and version each in a header of its own where the scheme has them.
 * Checked against specs/vectors/luxcore-hmac-v1.yaml.
 */
import { timingSafeEqual } from 'node:crypto';
import type { HmacSigning } from '../../model/profile.ts';
import { anchored } from '../../model/anchored-pattern.ts';
import { canonicalString, formatSignature, signatureDigest } from '../hmac-canonical.ts';
import type {
  SignableRequest,
  SignatureSlot,
  Signer,
  SignerParts,
  VerifyResult,
} from '../signer.ts';

/**
 * A scheme's header names as a verified request has them (lower case): lower-cased once per
 * scheme, not at every verification. Kept with the names they were read from and used only while
 * the entry still has those: a profile is plain data a test may change in place (signers.ts).
 */
type HeaderNames = HmacSigning['headers'];
const PARTS = ['signature', 'timestamp', 'nonce', 'version', 'merchant'] as const;
const lowerCasedNames = new WeakMap<HeaderNames, { from: HeaderNames; lower: HeaderNames }>();

function lowerCased(headers: HeaderNames): HeaderNames {
  const known = lowerCasedNames.get(headers);
  if (known !== undefined && PARTS.every((p) => known.from[p] === headers[p])) return known.lower;
  const lower = { ...headers };
  for (const p of PARTS) {
    const name = headers[p];
    if (name !== undefined) lower[p] = name.toLowerCase();
  }
  lowerCasedNames.set(headers, { from: { ...headers }, lower });
  return lower;
}

export const hmacSigner: Signer<HmacSigning> = {
  scheme: 'hmac',

  parts(c): SignerParts {
    const covered = new Set(c.canonical.parts);
    return {
      ...(c.nonce !== undefined && c.headers.nonce !== undefined
        ? {
            nonce: {
              minLength: c.nonce.minLength,
              maxLength: c.nonce.maxLength,
              ...(c.nonce.pattern !== undefined ? { pattern: c.nonce.pattern } : {}),
              replayWindowSeconds: c.nonce.replayWindowSeconds,
              scope: c.nonce.scope === 'merchant' ? 'signer' : c.nonce.scope,
            },
          }
        : {}),
      ...(covered.has('timestamp')
        ? {
            timestamp: {
              resolutionMs: c.timestamp.unit === 'milliseconds' ? 1 : 1000,
              skewSeconds: c.timestamp.skewSeconds,
              boundary: c.timestamp.boundary,
            },
          }
        : {}),
      ...(c.version !== undefined && c.headers.version !== undefined ? { version: c.version } : {}),
      keyId: true,
      ...(c.headers.merchant !== undefined ? { keyIdHeader: c.headers.merchant } : {}),
      writesAuthorization: c.headers.signature.toLowerCase() === 'authorization',
      covers: {
        method: covered.has('method'),
        path: covered.has('path') || covered.has('path_with_query'),
        query: covered.has('query') || covered.has('path_with_query'),
        body: covered.has('body_sha256_hex'),
        headers: [],
      },
    };
  },

  async sign(c, req, key, controls) {
    if (key.secret === undefined) throw new Error('HMAC signing needs the key secret');
    const keyId = controls.keyIdAs ?? key.keyId;
    const timestamp = timestampText(c, controls.timeMs);
    const nonce = controls.nonce ?? '';
    const as = controls.signAs ?? {};
    const signature = digest(c, key.secret, {
      method: as.method ?? req.method,
      pathWithQuery: as.pathWithQuery ?? req.pathWithQuery,
      body: as.body ?? req.body ?? '',
      host: req.host,
      timestamp,
      nonce,
      merchant: keyId,
    });
    const headers: Record<string, string> = { ...req.headers };
    if (c.headers.merchant !== undefined) headers[c.headers.merchant] = keyId;
    headers[c.headers.timestamp] = timestamp;
    if (c.headers.nonce !== undefined) headers[c.headers.nonce] = nonce;
    if (c.headers.version !== undefined && c.version !== undefined)
      headers[c.headers.version] = controls.versionAs ?? c.version;
    headers[c.headers.signature] = formatSignature(c, keyId, signature);
    return { ...req, headers };
  },

  async verify(c, req, keyOf, nowMs): Promise<VerifyResult> {
    const names = lowerCased(c.headers);
    const h = (name: string | undefined) => (name === undefined ? undefined : req.headers[name]);
    const sent = h(names.signature);
    const timestamp = h(names.timestamp);
    const nonce = h(names.nonce);
    const version = h(names.version);
    const parsed = sent === undefined ? undefined : parseSignature(c, sent);
    const keyId = c.headers.merchant !== undefined ? h(names.merchant) : parsed?.keyId;
    const missing =
      !sent ||
      !timestamp ||
      !keyId ||
      (c.headers.nonce !== undefined && !nonce) ||
      (c.headers.version !== undefined && c.version !== undefined && !version);
    if (missing) return { ok: false, denial: 'signature_missing' };
    if (c.version !== undefined && c.headers.version !== undefined && version !== c.version)
      return { ok: false, denial: 'signature_version' };

    const timeMs = parseTimestamp(c, timestamp);
    if (timeMs === undefined) return { ok: false, denial: 'timestamp_skew', detail: 'unreadable' };
    if (!insideWindow(c, timeMs, nowMs)) return { ok: false, denial: 'timestamp_skew' };

    if (c.headers.nonce !== undefined && c.nonce !== undefined) {
      const n = nonce!;
      if (n.length < c.nonce.minLength || n.length > c.nonce.maxLength)
        return { ok: false, denial: 'nonce_invalid' };
      if (c.nonce.pattern !== undefined && !anchored(c.nonce.pattern).test(n))
        return { ok: false, denial: 'nonce_invalid' };
    }

    const key = keyOf(keyId);
    if (key?.secret === undefined || parsed === undefined)
      return { ok: false, denial: 'signature_invalid' };
    // The digest is compared, not the whole value: the format's scheme word is matched without
    // regard to case (RFC 9110 §11.1), the digest byte for byte.
    const expected = digest(c, key.secret, {
      method: req.method,
      pathWithQuery: req.pathWithQuery,
      body: req.body ?? '',
      host: req.host,
      timestamp,
      nonce: nonce ?? '',
      merchant: keyId,
    });
    const a = Buffer.from(expected, 'utf8');
    const b = Buffer.from(parsed.signature, 'utf8');
    if (a.length !== b.length || !timingSafeEqual(a, b))
      return { ok: false, denial: 'signature_invalid' };
    return { ok: true, keyId, ...(nonce !== undefined ? { nonce } : {}) };
  },

  signatureSlot(c, req): SignatureSlot | undefined {
    const name = Object.keys(req.headers).find(
      (k) => k.toLowerCase() === c.headers.signature.toLowerCase(),
    );
    if (name === undefined) return undefined;
    const sent = req.headers[name]!;
    const parsed = parseSignature(c, sent, 'at');
    if (parsed === undefined) return undefined;
    const without = (): SignableRequest => {
      const headers = { ...req.headers };
      delete headers[name];
      return { ...req, headers };
    };
    return {
      value: parsed.signature,
      encoding: c.digest ?? 'hex',
      replace: (value) => ({
        ...req,
        headers: {
          ...req.headers,
          [name]:
            sent.slice(0, parsed.at) + value + sent.slice(parsed.at + parsed.signature.length),
        },
      }),
      remove: without,
    };
  },
};

interface DigestInput {
  method: string;
  pathWithQuery: string;
  body: string;
  host: string;
  timestamp: string;
  nonce: string;
  merchant: string;
}

function digest(c: HmacSigning, secret: string, input: DigestInput): string {
  return signatureDigest(c, secret, canonicalString(c, input));
}

/**
 * The digest (and key id, where the format holds it) read back out of a signature header, and
 * where the digest starts when `at` is asked for (the `d` flag's indices cost every match).
 */
function parseSignature(
  c: HmacSigning,
  sent: string,
  at?: 'at',
): { signature: string; at: number; keyId?: string } | undefined {
  const { re, reAt, signatureAt, keyIdAt } = signatureParser(c.digest ?? 'hex', c.signatureFormat);
  const m = (at ? reAt : re).exec(sent);
  if (!m) return undefined;
  return {
    signature: m[signatureAt]!,
    at: at ? m.indices![signatureAt]![0] : -1,
    ...(keyIdAt > 0 ? { keyId: m[keyIdAt]! } : {}),
  };
}

interface SignatureParser {
  re: RegExp;
  /** The same with the `d` flag: where each group starts. */
  reAt: RegExp;
  /** The groups holding the digest and the key id (0: the format has none). */
  signatureAt: number;
  keyIdAt: number;
}

/**
 * Compiled once per digest encoding and format (format -> encoding -> parser): a mock verifies
 * one on every signed request.
 */
const parsers = new Map<string, Map<string, SignatureParser>>();

function signatureParser(digest: 'hex' | 'base64', format: string): SignatureParser {
  let ofFormat = parsers.get(format);
  if (ofFormat === undefined) parsers.set(format, (ofFormat = new Map()));
  const known = ofFormat.get(digest);
  if (known !== undefined) return known;
  const chars = digest === 'hex' ? '[0-9A-Fa-f]*' : '[A-Za-z0-9+/=]*';
  let pattern = '';
  const order: string[] = [];
  for (const piece of format.split(/(\{(?:hex|signature|keyId)\})/)) {
    if (piece === '{hex}' || piece === '{signature}') {
      pattern += `(${chars})`;
      order.push('signature');
    } else if (piece === '{keyId}') {
      pattern += '([^\\s,;:"]+)';
      order.push('keyId');
    } else pattern += piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const parser = {
    // The scheme word of an Authorization value is case-insensitive (RFC 9110 §11.1).
    re: new RegExp(`^${pattern}$`, 'is'),
    reAt: new RegExp(`^${pattern}$`, 'isd'),
    signatureAt: order.indexOf('signature') + 1,
    keyIdAt: order.indexOf('keyId') + 1,
  };
  ofFormat.set(digest, parser);
  return parser;
}

function timestampText(c: HmacSigning, timeMs: number): string {
  switch (c.timestamp.unit) {
    case 'milliseconds':
      return String(Math.floor(timeMs));
    case 'iso8601':
      return new Date(Math.floor(timeMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    default:
      return String(Math.floor(timeMs / 1000));
  }
}

/** The timestamp as ms since the epoch, or undefined where it is not one of the unit's form. */
function parseTimestamp(c: HmacSigning, text: string): number | undefined {
  if (c.timestamp.unit === 'iso8601') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) return undefined;
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (!/^\d{1,16}$/.test(text)) return undefined;
  return c.timestamp.unit === 'milliseconds' ? Number(text) : Number(text) * 1000;
}

/**
 * Whether the timestamp is inside the window, compared at the unit's own resolution: "differs
 * from current time by more than 300 seconds" is about whole seconds on the wire, so the clock
 * is read in whole seconds too.
 */
function insideWindow(c: HmacSigning, timeMs: number, nowMs: number): boolean {
  const resolution = c.timestamp.unit === 'milliseconds' ? 1 : 1000;
  const now = Math.floor(nowMs / resolution);
  const ts = Math.floor(timeMs / resolution);
  const limit = (c.timestamp.skewSeconds * 1000) / resolution;
  const skew = Math.abs(now - ts);
  return c.timestamp.boundary === 'inclusive' ? skew <= limit : skew < limit;
}
