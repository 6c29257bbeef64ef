/**
 * Hawk (the HTTP holder-of-key scheme of hapi, now mozilla/hawk): `Authorization: Hawk id="",
 * ts="", nonce="", hash="", ext="", mac=""`, the mac a base64 HMAC over the normalized string
 * `hawk.1.header\n ts\n nonce\n METHOD\n resource\n host\n port\n hash\n ext\n`, and the hash a
 * base64 digest of `hawk.1.payload\n content-type\n body\n`.
 *
 * Written with node:crypto rather than the `hawk` package: its server reads its own clock
 * (a process-wide time function), compares the window in milliseconds with a fixed boundary,
 * accepts a non-numeric ts, and reports failures as Boom messages; its client re-parses the URL
 * (escaping what was sent) and treats a 0 timestamp or an empty nonce as "make one up". The
 * package is the interoperability oracle in test/sign/hawk.test.ts instead, and the published
 * examples are in specs/vectors/hawk/.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { anchored } from '../../model/anchored-pattern.ts';
import type {
  SignableRequest,
  SignatureSlot,
  Signer,
  SignerParts,
  SigningKey,
  VerifyResult,
} from '../signer.ts';

/** A profile's `signing` entry for Hawk. */
export interface HawkConfig {
  scheme: 'hawk';
  /** The credentials' MAC algorithm (Hawk knows these two). */
  algorithm: 'sha256' | 'sha1';
  /**
   * required: every request carries `hash` (of the body and its content type, an empty body
   * included) and the verifier checks it. optional: Hawk's plain mode, a `hash` is checked where
   * one is sent but a request without one is accepted, so the body is not covered.
   */
  payload: 'required' | 'optional';
  timestamp: { skewSeconds: number; boundary: 'inclusive' | 'exclusive' };
  nonce: {
    minLength: number;
    maxLength: number;
    pattern?: string;
    replayWindowSeconds: number;
    /** Per Hawk id (`signer`, what the hawk package's nonceFunc is given) or for everyone. */
    scope: 'signer' | 'global';
  };
  /** The port signed when the Host header names none (default 443: an https target). */
  defaultPort?: number;
  /** Application data sent as `ext` and covered by the mac. */
  ext?: string;
  note?: string;
}

/** Longest Authorization or Host value read, as in the hawk package (`maxMatchLength`). */
const MAX_HEADER = 4096;
const ATTRIBUTES = new Set(['id', 'ts', 'nonce', 'hash', 'ext', 'mac', 'app', 'dlg']);
/** The characters a Hawk attribute value may hold (the hawk package's `attributeRegex`). */
const ATTRIBUTE_VALUE = /^[ \w!#$%&'()*+,\-./:;<=>?@[\]^`{|}~]+$/;

export interface HawkArtifacts {
  ts: string;
  nonce: string;
  method: string;
  /** Path and query exactly as sent. */
  resource: string;
  host: string;
  port: string;
  hash?: string;
  ext?: string;
  app?: string;
  dlg?: string;
}

/** The string the request mac is computed over (Hawk API.md, "Protocol Example"). */
export function normalizedString(a: HawkArtifacts): string {
  let s =
    `hawk.1.header\n${a.ts}\n${a.nonce}\n${a.method.toUpperCase()}\n${a.resource}\n` +
    `${a.host.toLowerCase()}\n${a.port}\n${a.hash ?? ''}\n`;
  if (a.ext) s += a.ext.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  s += '\n';
  if (a.app) s += `${a.app}\n${a.dlg ?? ''}\n`;
  return s;
}

/** The payload hash (Hawk API.md, "Payload Validation"): content type without parameters. */
export function payloadHash(
  algorithm: HawkConfig['algorithm'],
  body: string,
  contentType: string | undefined,
): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return createHash(algorithm)
    .update(`hawk.1.payload\n${type}\n`)
    .update(body)
    .update('\n')
    .digest('base64');
}

export function requestMac(
  algorithm: HawkConfig['algorithm'],
  key: string,
  a: HawkArtifacts,
): string {
  return createHmac(algorithm, Buffer.from(key, 'utf8'))
    .update(normalizedString(a))
    .digest('base64');
}

export const hawkSigner: Signer<HawkConfig> = {
  scheme: 'hawk',

  parts(c): SignerParts {
    const required = c.payload === 'required';
    return {
      writesAuthorization: true,
      // The profile's nonce block has the parts' shape (its schema allows no other field).
      nonce: { ...c.nonce },
      timestamp: {
        resolutionMs: 1000,
        skewSeconds: c.timestamp.skewSeconds,
        boundary: c.timestamp.boundary,
      },
      keyId: true,
      covers: {
        method: true,
        path: true,
        query: true,
        // The content type is covered through the payload hash, so only where a hash is required.
        body: required,
        headers: required ? ['content-type'] : [],
      },
    };
  },

  async sign(c, req, key, controls) {
    if (key.secret === undefined) throw new Error('Hawk signing needs the key secret');
    const host = parseHost(req.host, c);
    if (host === undefined) throw new Error(`Hawk signs the Host; cannot read host "${req.host}"`);
    const as = controls.signAs ?? {};
    const body = as.body ?? req.body ?? '';
    const contentType =
      headerValue(as.headers ?? {}, 'content-type') ?? headerValue(req.headers, 'content-type');
    const artifacts: HawkArtifacts = {
      ts: String(Math.floor(controls.timeMs / 1000)),
      nonce: controls.nonce ?? '',
      method: as.method ?? req.method,
      resource: as.pathWithQuery ?? req.pathWithQuery,
      host: host.name,
      port: host.port,
      ...(c.payload === 'required' || body !== ''
        ? { hash: payloadHash(c.algorithm, body, contentType) }
        : {}),
      ...(c.ext ? { ext: c.ext } : {}),
    };
    const mac = requestMac(c.algorithm, key.secret, artifacts);
    const id = controls.keyIdAs ?? key.keyId;
    const value =
      `Hawk id="${id}", ts="${artifacts.ts}", nonce="${artifacts.nonce}"` +
      (artifacts.hash ? `, hash="${artifacts.hash}"` : '') +
      (artifacts.ext ? `, ext="${artifacts.ext}"` : '') +
      `, mac="${mac}"`;
    const headers = withoutHeader(req.headers, 'authorization');
    headers['Authorization'] = value;
    return { ...req, headers };
  },

  async verify(c, req, keyOf, nowMs): Promise<VerifyResult> {
    try {
      return verifyHawk(c, req, keyOf, nowMs);
    } catch {
      // Hostile input the checks below did not foresee is a refusal, never a crash of the caller.
      return deny('signature_invalid', 'unreadable request');
    }
  },

  signatureSlot(_c, req): SignatureSlot | undefined {
    const name = Object.keys(req.headers).find((k) => k.toLowerCase() === 'authorization');
    if (name === undefined) return undefined;
    const sent = req.headers[name]!;
    const mac = tokenize(sent)?.find((t) => t.name === 'mac');
    if (mac === undefined) return undefined;
    const put = (value: string): SignableRequest => ({
      ...req,
      headers: { ...req.headers, [name]: value },
    });
    return {
      value: mac.value,
      encoding: 'base64',
      replace: (value) => put(sent.slice(0, mac.valueStart) + value + sent.slice(mac.valueEnd)),
      // The mac attribute and its separator; the rest of the header stays as sent.
      remove: () => put((sent.slice(0, mac.start) + sent.slice(mac.end)).replace(/,\s*$/, '')),
    };
  },
};

function verifyHawk(
  c: HawkConfig,
  req: SignableRequest,
  keyOf: (keyId: string) => SigningKey | undefined,
  nowMs: number,
): VerifyResult {
  const sent = headerValue(req.headers, 'authorization');
  if (sent === undefined || !/^\s*hawk(\s|$)/i.test(sent)) return deny('signature_missing');
  if (sent.length > MAX_HEADER) return deny('signature_invalid', 'Authorization too long');
  const tokens = tokenize(sent);
  if (tokens === undefined) return deny('signature_invalid', 'unreadable Hawk header');
  const attrs: Record<string, string> = {};
  for (const t of tokens) {
    if (!ATTRIBUTES.has(t.name) || Object.hasOwn(attrs, t.name))
      return deny('signature_invalid', `unknown or repeated attribute ${t.name}`);
    attrs[t.name] = t.value;
  }
  // Present means the attribute is there: an empty mac is a wrong mac, an empty ts an unreadable
  // one, an empty nonce too short.
  const { id, ts, nonce, mac, hash } = attrs;
  if (id === undefined || ts === undefined || nonce === undefined || mac === undefined)
    return deny('signature_missing');
  if (c.payload === 'required' && hash === undefined)
    return deny('signature_missing', 'payload hash');
  for (const [name, value] of Object.entries(attrs))
    if (name !== 'nonce' && value !== '' && !ATTRIBUTE_VALUE.test(value))
      return deny('signature_invalid', `bad ${name} characters`);

  if (!/^\d{1,16}$/.test(ts)) return deny('timestamp_skew', 'unreadable ts');
  // Compared in whole seconds, the resolution ts is written in.
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(ts));
  const limit = c.timestamp.skewSeconds;
  if (c.timestamp.boundary === 'inclusive' ? skew > limit : skew >= limit)
    return deny('timestamp_skew');

  if (
    nonce.length < c.nonce.minLength ||
    nonce.length > c.nonce.maxLength ||
    !ATTRIBUTE_VALUE.test(nonce) ||
    (c.nonce.pattern !== undefined && !anchored(c.nonce.pattern).test(nonce))
  )
    return deny('nonce_invalid');

  const host = typeof req.host === 'string' ? parseHost(req.host, c) : undefined;
  if (host === undefined) return deny('signature_invalid', 'no readable Host');
  const key = id === '' ? undefined : keyOf(id);
  if (key?.secret === undefined) return deny('signature_invalid', 'unknown id');
  const artifacts: HawkArtifacts = {
    ts,
    nonce,
    method: req.method,
    resource: req.pathWithQuery,
    host: host.name,
    port: host.port,
    ...(hash !== undefined ? { hash } : {}),
    ...(attrs.ext !== undefined ? { ext: attrs.ext } : {}),
    ...(attrs.app !== undefined ? { app: attrs.app } : {}),
    ...(attrs.dlg !== undefined ? { dlg: attrs.dlg } : {}),
  };
  if (!sameText(requestMac(c.algorithm, key.secret, artifacts), mac))
    return deny('signature_invalid');
  // The mac proves the hash is the one signed; the hash must also be the body's.
  if (hash !== undefined) {
    const expected = payloadHash(
      c.algorithm,
      req.body ?? '',
      headerValue(req.headers, 'content-type'),
    );
    if (!sameText(expected, hash)) return deny('signature_invalid', 'payload hash');
  }
  return { ok: true, keyId: id, nonce };
}

function deny(
  denial: Exclude<VerifyResult, { ok: true }>['denial'],
  detail?: string,
): VerifyResult {
  return detail === undefined ? { ok: false, denial } : { ok: false, denial, detail };
}

interface HawkAttribute {
  name: string;
  value: string;
  /** Where the attribute and its separator start and end, and where its value does. */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * The attributes of a Hawk header, read as the hawk package reads them: `name="value"` pairs
 * separated by commas, no quote or backslash inside a value. Undefined where anything else is
 * left over.
 */
function tokenize(header: string): HawkAttribute[] | undefined {
  const m = /^\s*hawk(?:\s+|$)/i.exec(header);
  if (m === null) return undefined;
  const out: HawkAttribute[] = [];
  const re = /(\w+)="([^"\\]*)"\s*(?:,\s*|$)/gy;
  re.lastIndex = m[0].length;
  while (re.lastIndex < header.length) {
    const start = re.lastIndex;
    const a = re.exec(header);
    if (a === null) return undefined;
    const valueStart = start + a[1]!.length + 2;
    out.push({
      name: a[1]!,
      value: a[2]!,
      start,
      end: re.lastIndex,
      valueStart,
      valueEnd: valueStart + a[2]!.length,
    });
  }
  return out;
}

/** The host name and port a Host value names; the port is `defaultPort` where none is written. */
function parseHost(host: string, c: HawkConfig): { name: string; port: string } | undefined {
  if (host.length > MAX_HEADER) return undefined;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:\s[\]]+)(?::(\d{1,5}))?$/.exec(host.trim());
  if (m === null) return undefined;
  return { name: m[1]!, port: m[2] ?? String(c.defaultPort ?? 443) };
}

function headerValue(headers: Record<string, string>, lower: string): string | undefined {
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === lower && typeof v === 'string') return v;
  return undefined;
}

function withoutHeader(headers: Record<string, string>, lower: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== lower));
}

function sameText(expected: string, sent: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(sent, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
