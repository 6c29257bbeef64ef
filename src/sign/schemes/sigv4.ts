/**
 * AWS Signature Version 4, header form: `Authorization: AWS4-HMAC-SHA256 Credential=<key id>/
 * <date>/<region>/<service>/aws4_request, SignedHeaders=<names>, Signature=<hex>` with the time in
 * `X-Amz-Date` (ISO 8601 basic, whole seconds). No nonce and no version label: a replayed request
 * is refused only by its time window. The canonical request, string to sign and derived key are
 * AWS's own signer's (@smithy/signature-v4, the AWS SDK v3 signer), both to sign and to verify;
 * what is ours is which headers are signed and what the verifying side insists on.
 * Checked against the AWS SigV4 test suite in specs/vectors/sigv4/.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  SignableRequest,
  SignatureSlot,
  SigningKey,
  Signer,
  SignerParts,
  VerifyResult,
} from '../signer.ts';

/** A profile's `signing` entry for SigV4. */
export interface Sigv4Config {
  scheme: 'sigv4';
  /** The credential scope's region (`us-east-1`). */
  region: string;
  /** The credential scope's service name (`execute-api`, `s3`, or the API's own). */
  service: string;
  /**
   * Largest accepted |X-Amz-Date - now|. Default 300: "In most cases, a request must reach AWS
   * within five minutes of the time stamp in the request" (IAM User Guide, AWS Signature Version 4
   * for API requests); S3 allows 900.
   */
  skewSeconds?: number;
  /** Whether a difference of exactly skewSeconds is accepted. AWS does not say; default inclusive. */
  boundary?: 'inclusive' | 'exclusive';
  /**
   * Headers signed besides host and x-amz-date (and x-amz-content-sha256 when sent), where the
   * request carries them (`content-type`). The verifying side refuses a request that carries one
   * without signing it.
   */
  signedHeaders?: string[];
  /** Whether `x-amz-content-sha256` (the body's SHA-256, hex) is sent and signed, as S3 requires. */
  sendContentSha256?: boolean;
}

/** The library's request shape (its @smithy/types HttpRequest). */
type HttpRequest = Parameters<SignatureV4['presign']>[0];
type QueryParameterBag = HttpRequest['query'];

const ALGORITHM = 'AWS4-HMAC-SHA256';
const DEFAULT_SKEW_SECONDS = 300;
const CONTENT_SHA256 = 'x-amz-content-sha256';
/** Headers the scheme itself writes; a request's own copies (any spelling) are replaced. */
const OWN_HEADERS = new Set(['host', 'x-amz-date', 'authorization', CONTENT_SHA256]);

export const sigv4Signer: Signer<Sigv4Config> = {
  scheme: 'sigv4',

  parts(c): SignerParts {
    return {
      writesAuthorization: true,
      timestamp: {
        resolutionMs: 1000,
        skewSeconds: c.skewSeconds ?? DEFAULT_SKEW_SECONDS,
        boundary: c.boundary ?? 'inclusive',
      },
      keyId: true,
      covers: {
        method: true,
        path: true,
        query: true,
        body: true,
        headers: ['host', ...extraHeaders(c)],
      },
    };
  },

  async sign(c, req, key, controls) {
    if (key.secret === undefined) throw new Error('SigV4 signing needs the secret access key');
    const as = controls.signAs ?? {};
    const sent = withHeaders(req.headers, { host: req.host });
    const signedOver = withHeaders(sent, as.headers ?? {});
    const body = as.body ?? req.body ?? '';
    if (c.sendContentSha256) {
      // The hash of what is signed: a body changed after signing no longer matches it.
      sent[CONTENT_SHA256] = sha256Hex(body);
      signedOver[CONTENT_SHA256] = sent[CONTENT_SHA256];
    }
    const names = ['host', ...(c.sendContentSha256 ? [CONTENT_SHA256] : [])];
    for (const name of extraHeaders(c))
      if (headerOf(signedOver, name) !== undefined) names.push(name);
    const authorization = await authorizationFor(c, {
      method: as.method ?? req.method,
      host: req.host,
      pathWithQuery: as.pathWithQuery ?? req.pathWithQuery,
      headers: pick(signedOver, names),
      body,
      timeMs: controls.timeMs,
      keyId: controls.keyIdAs ?? key.keyId,
      secret: key.secret,
    });
    sent['x-amz-date'] = amzDate(controls.timeMs);
    sent.authorization = authorization;
    return { ...req, headers: sent };
  },

  async verify(c, req, keyOf, nowMs): Promise<VerifyResult> {
    try {
      return await verifySigv4(c, req, keyOf, nowMs);
    } catch {
      // A value the library cannot take (a date it cannot format): refused, never thrown.
      return { ok: false, denial: 'signature_invalid', detail: 'unreadable request' };
    }
  },

  signatureSlot(_c, req): SignatureSlot | undefined {
    const name = Object.keys(req.headers).find((k) => k.toLowerCase() === 'authorization');
    if (name === undefined) return undefined;
    const sent = req.headers[name]!;
    const m = /(?:^|[\s,])Signature=([0-9A-Fa-f]*)/d.exec(sent);
    if (!m) return undefined;
    const [from, to] = m.indices![1]!;
    return {
      value: m[1]!,
      encoding: 'hex',
      replace: (value) => ({
        ...req,
        headers: { ...req.headers, [name]: sent.slice(0, from) + value + sent.slice(to) },
      }),
      remove: () => {
        const headers = { ...req.headers };
        delete headers[name];
        return { ...req, headers };
      },
    };
  },
};

async function verifySigv4(
  c: Sigv4Config,
  req: SignableRequest,
  keyOf: (keyId: string) => SigningKey | undefined,
  nowMs: number,
): Promise<VerifyResult> {
  const deny = (
    denial: 'signature_missing' | 'signature_invalid' | 'timestamp_skew',
    detail: string,
  ) => ({ ok: false, denial, detail }) as const;
  const authorization = headerOf(req.headers, 'authorization');
  const date = headerOf(req.headers, 'x-amz-date');
  if (!authorization || !date) return deny('signature_missing', 'Authorization or X-Amz-Date');
  const auth = parseAuthorization(authorization);
  if (auth === 'missing')
    return deny('signature_missing', 'Credential, SignedHeaders or Signature');
  if (auth === undefined) return deny('signature_invalid', 'malformed Authorization');

  const timeMs = parseAmzDate(date);
  if (timeMs === undefined) return deny('timestamp_skew', 'unreadable X-Amz-Date');
  if (!insideWindow(c, timeMs, nowMs)) return deny('timestamp_skew', 'outside the window');

  // The credential scope must be this day's, region's and service's: a signature derived for
  // another scope is not one for this API.
  const [keyId, day, region, service, terminator] = auth.credential;
  if (day !== date.slice(0, 8) || region !== c.region || service !== c.service)
    return deny('signature_invalid', 'credential scope');
  if (terminator !== 'aws4_request') return deny('signature_invalid', 'credential scope');

  // What must be signed: host, the date, the body hash where sent, and every configured header
  // the request carries. A header the signature leaves out could be changed in flight.
  const signed = new Set(auth.signedHeaders);
  const host = headerOf(req.headers, 'host') ?? req.host;
  const received = withHeaders(req.headers, { host });
  const required = ['host', 'x-amz-date', ...extraHeaders(c)].filter(
    (n) => n === 'host' || n === 'x-amz-date' || headerOf(received, n) !== undefined,
  );
  const contentSha256 = headerOf(received, CONTENT_SHA256);
  if (c.sendContentSha256 || contentSha256 !== undefined) required.push(CONTENT_SHA256);
  if (required.some((n) => !signed.has(n)))
    return deny('signature_invalid', 'a header is not signed');
  if (auth.signedHeaders.some((n) => headerOf(received, n) === undefined))
    return deny('signature_invalid', 'a signed header is absent');
  if (!host) return deny('signature_invalid', 'no host');

  const body = req.body ?? '';
  if (contentSha256 !== undefined && !sameText(contentSha256, sha256Hex(body)))
    return deny('signature_invalid', 'x-amz-content-sha256 is not the body hash');

  const key = keyOf(keyId!);
  if (key?.secret === undefined) return deny('signature_invalid', 'unknown key id');
  const expected = await authorizationFor(c, {
    method: req.method,
    host,
    pathWithQuery: req.pathWithQuery,
    headers: pick(
      received,
      auth.signedHeaders.filter((n) => n !== 'x-amz-date'),
    ),
    body,
    timeMs,
    keyId: keyId!,
    secret: key.secret,
  });
  const expectedSignature = /Signature=([0-9a-f]+)$/.exec(expected)![1]!;
  if (!sameText(expectedSignature, auth.signature)) return deny('signature_invalid', 'signature');
  return { ok: true, keyId: keyId! };
}

interface ToSign {
  method: string;
  host: string;
  pathWithQuery: string;
  /** Exactly the headers to sign (x-amz-date is added from timeMs). */
  headers: Record<string, string>;
  body: string;
  timeMs: number;
  keyId: string;
  secret: string;
}

/** The Authorization value for `r`, from AWS's own signer. */
async function authorizationFor(c: Sigv4Config, r: ToSign): Promise<string> {
  const signer = new SignatureV4({
    service: c.service,
    region: c.region,
    credentials: { accessKeyId: r.keyId, secretAccessKey: r.secret },
    sha256: Hash.bind(null, 'sha256'),
    // The hash header is ours to write (or not); the library must not add it.
    applyChecksum: false,
  });
  const q = r.pathWithQuery.indexOf('?');
  const path = q < 0 ? r.pathWithQuery : r.pathWithQuery.slice(0, q);
  const request: HttpRequest = {
    method: r.method.toUpperCase(),
    protocol: 'https:',
    hostname: r.host,
    path: path === '' ? '/' : path,
    query: q < 0 ? {} : queryOf(r.pathWithQuery.slice(q + 1)),
    headers: r.headers,
    body: r.body,
  };
  const signed = await signer.sign(request, {
    signingDate: new Date(r.timeMs),
    // Sign exactly these, also where the library would leave one out by default (user-agent).
    signableHeaders: new Set(Object.keys(r.headers)),
  });
  return signed.headers.authorization!;
}

/**
 * The query as sent, decoded into the library's map (it re-encodes each name and value the AWS
 * way and sorts them). `+` stays a plus sign: AWS signers send a space as %20. A `%` that starts
 * no escape is kept as it is (then encoded as %25), so garbage never throws.
 */
function queryOf(query: string): QueryParameterBag {
  const bag: Record<string, string | string[]> = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const prev = bag[name];
    bag[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return bag;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface ParsedAuthorization {
  /** key id, date, region, service, terminator. */
  credential: string[];
  signedHeaders: string[];
  signature: string;
}

/** The Authorization value's parts; 'missing' where a part is absent or empty. */
function parseAuthorization(value: string): ParsedAuthorization | 'missing' | undefined {
  if (value.length > 16384) return undefined;
  const space = value.indexOf(' ');
  // The scheme word is case-insensitive (RFC 9110 §11.1): aws4-hmac-sha256 is the same scheme.
  if (space < 0 || value.slice(0, space).toUpperCase() !== ALGORITHM) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) return undefined;
    fields.set(name, part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return 'missing';
  const scope = credential.split('/');
  if (scope.length !== 5 || scope.some((s) => s === '')) return undefined;
  const names = signedHeaders.split(';');
  if (names.some((n) => !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(n))) return undefined;
  if (!/^[0-9a-f]{64}$/.test(signature)) return undefined;
  return { credential: scope, signedHeaders: names, signature };
}

/** `YYYYMMDDTHHMMSSZ` for the second `timeMs` falls in. */
function amzDate(timeMs: number): string {
  return new Date(Math.floor(timeMs / 1000) * 1000).toISOString().replace(/[-:]|\.000/g, '');
}

/** ms since the epoch of an X-Amz-Date value, or undefined where it is not a real UTC time. */
function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return amzDate(ms) === text ? ms : undefined;
}

/** Compared at the wire's resolution, whole seconds. */
function insideWindow(c: Sigv4Config, timeMs: number, nowMs: number): boolean {
  const skew = Math.abs(Math.floor(nowMs / 1000) - Math.floor(timeMs / 1000));
  const limit = c.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  return (c.boundary ?? 'inclusive') === 'inclusive' ? skew <= limit : skew < limit;
}

function extraHeaders(c: Sigv4Config): string[] {
  return (c.signedHeaders ?? []).map((n) => n.toLowerCase()).filter((n) => !OWN_HEADERS.has(n));
}

/** `headers` with `set` written over it, names lower-cased where they are set. */
function withHeaders(
  headers: Record<string, string>,
  set: Record<string, string>,
): Record<string, string> {
  const names = new Set(Object.keys(set).map((n) => n.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(headers)) if (!names.has(n.toLowerCase())) out[n] = v;
  for (const [n, v] of Object.entries(set)) out[n.toLowerCase()] = v;
  return out;
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  for (const [n, v] of Object.entries(headers)) if (n.toLowerCase() === name) return v;
  return undefined;
}

/** The named headers (lower-case) with their values in `headers`. */
function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = headerOf(headers, n);
    if (v !== undefined) out[n] = v;
  }
  return out;
}

function sha256Hex(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Constant-time equality of two texts. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
