/**
 * Bearer JWTs the harness draws from the credentials file's signing material: valid ones, and
 * the faulty ones scenarios need (expired, not yet valid, wrongly signed, alg none, HS256 signed
 * with the public key where RS256 is expected).
 */
import { createHmac } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import type { JwtMaterial } from '../model/credentials.ts';

export interface MintOptions {
  /** Seconds since the epoch the token is issued at. */
  nowSeconds: number;
  /** exp - iat (seconds). */
  lifetimeSeconds: number;
  /** Claims beyond iss/aud/iat/exp (subject, tenant, store...). */
  claims?: Record<string, unknown>;
  /** nbf relative to now (seconds). */
  notBeforeOffsetSeconds?: number;
}

export async function mintJwt(material: JwtMaterial, opts: MintOptions): Promise<string> {
  const alg = material.alg ?? 'HS256';
  const payload: Record<string, unknown> = { ...(material.claims ?? {}), ...(opts.claims ?? {}) };
  let jwt = new SignJWT(payload)
    .setProtectedHeader({ alg, typ: 'JWT', ...(material.kid ? { kid: material.kid } : {}) })
    .setIssuedAt(opts.nowSeconds)
    .setExpirationTime(opts.nowSeconds + opts.lifetimeSeconds);
  if (opts.notBeforeOffsetSeconds !== undefined)
    jwt = jwt.setNotBefore(opts.nowSeconds + opts.notBeforeOffsetSeconds);
  if (material.issuer !== undefined) jwt = jwt.setIssuer(material.issuer);
  if (material.audience !== undefined) jwt = jwt.setAudience(material.audience);
  const key = alg.startsWith('HS')
    ? new TextEncoder().encode(material.secret ?? '')
    : await privateKey(material.privateKeyPem ?? '', alg);
  return jwt.sign(key);
}

/** Importing a PEM costs more than signing with it: each key is imported once. */
const imported = new Map<string, Promise<CryptoKey>>();
function privateKey(pem: string, alg: string): Promise<CryptoKey> {
  const id = `${alg}\n${pem}`;
  let key = imported.get(id);
  if (!key) {
    key = importPKCS8(pem, alg);
    imported.set(id, key);
  }
  return key;
}

/** The same claims with `alg: none` and no signature. */
export function unsignedJwt(token: string): string {
  const [, payload] = token.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${payload}.`;
}

/** HS256 over the same claims with `secret` as the key (for RS256 targets: the public key PEM). */
export function hs256WithSecret(token: string, secret: string, kid?: string): string {
  const [, payload] = token.split('.');
  const header = Buffer.from(
    JSON.stringify({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) }),
  ).toString('base64url');
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

/** The token with one character of its signature changed. */
export function tamperedSignature(token: string): string {
  const i = token.lastIndexOf('.') + 2;
  const c = token[i] === 'A' ? 'B' : 'A';
  return token.slice(0, i) + c + token.slice(i + 1);
}
