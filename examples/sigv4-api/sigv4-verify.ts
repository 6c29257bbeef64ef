/**
 * AWS Signature Version 4 verification, written by hand over node:crypto from AWS's own steps
 * ("Create a signed AWS API request", IAM User Guide): canonical request, string to sign,
 * derived signing key, signature. Not authconform's signer and not the AWS SDK's, so the harness
 * is checked against a third implementation. Non-S3 rules: the path is normalized and each
 * segment URI-encoded again (double encoding), the query sorted by encoded name then value.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Weakness } from './weaknesses.ts';

export interface Scope {
  region: string;
  service: string;
  skewSeconds: number;
}

export type Refusal =
  { kind: 'missing' } | { kind: 'invalid' } | { kind: 'expired'; message: string };

export interface SignedRequest {
  method: string;
  /** The request target as sent: path and query, encoding untouched. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

const AUTH = /^AWS4-HMAC-SHA256 (.*)$/s;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();

/** RFC 3986 unreserved characters stay; every other byte becomes %XX (upper-case hex). */
function uriEncode(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function canonicalPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const trailing = out.length > 0 && path.endsWith('/') ? '/' : '';
  // The segments as sent are already encoded once; encoding them again is AWS's non-S3 rule.
  return '/' + out.map(uriEncode).join('/') + trailing;
}

function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      return [uriEncode(decode(name)), uriEncode(decode(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function amzDateMs(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return new Date(ms).toISOString().replace(/[-:]|\.000/g, '') === text ? ms : undefined;
}

const amzText = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

/**
 * The access key id the request is verified under, or the refusal. `secretOf` looks up an
 * access key id; `now` is the server's clock (ms).
 */
export function verifySigv4(
  req: SignedRequest,
  scope: Scope,
  secretOf: (accessKeyId: string) => string | undefined,
  now: number,
  weakness?: Weakness,
): string | Refusal {
  const authorization = headerValue(req.headers, 'authorization');
  const date = headerValue(req.headers, 'x-amz-date');
  if (!authorization || !date) return { kind: 'missing' };
  const m = AUTH.exec(authorization);
  if (!m) return { kind: 'invalid' };
  const fields = new Map<string, string>();
  for (const part of m[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return { kind: 'invalid' };
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential')?.split('/');
  const signedHeaders = fields.get('SignedHeaders')?.split(';');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return { kind: 'missing' };
  if (!/^[0-9a-f]+$/.test(signature)) return { kind: 'invalid' };

  const at = amzDateMs(date);
  if (at === undefined) return { kind: 'invalid' };
  const skew = Math.floor(now / 1000) - Math.floor(at / 1000);
  const limit = scope.skewSeconds;
  const outside =
    weakness === 'window-exclusive' ? Math.abs(skew) >= limit : Math.abs(skew) > limit;
  if (outside && weakness !== 'skew-ignored') {
    // API Gateway's wording.
    const edge = amzText(now - Math.sign(skew) * limit * 1000);
    return skew > 0
      ? {
          kind: 'expired',
          message: `Signature expired: ${date} is now earlier than ${edge} (${amzText(now)} - 5 min.)`,
        }
      : {
          kind: 'expired',
          message: `Signature not yet current: ${date} is still later than ${edge} (${amzText(now)} + 5 min.)`,
        };
  }

  if (credential.length !== 5) return { kind: 'invalid' };
  const [accessKeyId, day, region, service, terminator] = credential as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (day !== date.slice(0, 8) || region !== scope.region || service !== scope.service)
    return { kind: 'invalid' };
  if (terminator !== 'aws4_request') return { kind: 'invalid' };
  // Host and the date must be signed; so must Content-Type and the body hash where sent.
  for (const must of ['host', 'x-amz-date', 'content-type', 'x-amz-content-sha256'])
    if (
      (must === 'host' || must === 'x-amz-date' || req.headers[must] !== undefined) &&
      !signedHeaders.includes(must)
    )
      return { kind: 'invalid' };

  const secret = secretOf(accessKeyId);
  if (secret === undefined) return { kind: 'invalid' };

  const bodyHash = sha256Hex(req.rawBody);
  const claimed = headerValue(req.headers, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== bodyHash && weakness !== 'body-hash-trusted')
    return { kind: 'invalid' };

  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 || weakness === 'query-not-signed' ? '' : req.url.slice(q + 1);
  const canonicalHeaders = signedHeaders.map((name) => {
    const v = headerValue(req.headers, name) ?? '';
    return `${name}:${v.trim().replace(/\s+/g, ' ')}\n`;
  });
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalPath(path),
    canonicalQuery(query),
    canonicalHeaders.join(''),
    signedHeaders.join(';'),
    claimed ?? bodyHash,
  ].join('\n');
  const credentialScope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    credentialScope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');

  const sent = weakness === 'signature-prefix' ? signature.slice(0, 16) : signature;
  const want = weakness === 'signature-prefix' ? expected.slice(0, 16) : expected;
  const a = Buffer.from(sent);
  const b = Buffer.from(want);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { kind: 'invalid' };
  return accessKeyId;
}
