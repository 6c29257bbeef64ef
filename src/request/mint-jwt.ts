/**
 * Bearer JWTs the harness draws from the credentials file's signing material: valid ones, and
 * the faulty ones scenarios need (expired, not yet valid, wrongly signed, alg none, HS256 signed
 * with the public key where RS256 is expected).
 */
import { constants, createHmac, createPrivateKey, sign as cryptoSign } from 'node:crypto';
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
    ? await hmacJwtKey(material.secret ?? '', alg)
    : await jwtPrivateKey(material.privateKeyPem ?? '', alg);
  return jwt.sign(key);
}

/** Importing a PEM costs more than signing with it: each key is imported once. */
const imported = new Map<string, Promise<CryptoKey>>();
const IMPORTED_MAX = 1024;

function importedOnce(id: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let key = imported.get(id);
  if (!key) {
    if (imported.size >= IMPORTED_MAX) imported.delete(imported.keys().next().value!);
    key = load();
    imported.set(id, key);
    // A key that fails to import is not remembered: the next call fails as this one did.
    key.catch(() => imported.delete(id));
  }
  return key;
}

/** A PKCS#8 private key for `alg` (RS256, ES256...), imported once. */
export function jwtPrivateKey(pem: string, alg: string): Promise<CryptoKey> {
  return importedOnce(`${alg}\n${pem}`, () => importPKCS8(pem, alg));
}

/**
 * An HMAC secret as the key of `alg` (HS256, HS384, HS512), imported once: given the secret's
 * bytes, jose imports them into WebCrypto again at every sign and verify, which was a third of
 * the cost of each. An empty secret or another alg stays bytes, so jose refuses it as before.
 */
export async function hmacJwtKey(secret: string, alg: string): Promise<Uint8Array | CryptoKey> {
  const bits = /^HS(256|384|512)$/.exec(alg)?.[1];
  const bytes = new TextEncoder().encode(secret);
  if (bits === undefined || bytes.length === 0) return bytes;
  return importedOnce(`${alg}\nhmac\n${secret}`, () =>
    crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: `SHA-${bits}` }, false, [
      'sign',
      'verify',
    ]),
  );
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

/**
 * The same header and claims signed again with the same key under `alg`, another size of the
 * token's family (HS512 with the HS256 secret, RS512 with the RS256 key, ES384 with the P-256
 * key). Signed with node's crypto, not jose: jose refuses an ES384 signature by a P-256 key, and
 * the fault is exactly a token the allow-list, not the key, must refuse.
 */
export function resignedAs(token: string, alg: string, material: JwtMaterial): string {
  const [headerPart, payload] = token.split('.');
  const header = JSON.parse(Buffer.from(headerPart!, 'base64url').toString()) as object;
  const head = Buffer.from(JSON.stringify({ ...header, alg })).toString('base64url');
  const input = `${head}.${payload}`;
  const hash = `sha${alg.slice(2)}`;
  let sig: Buffer;
  if (alg.startsWith('HS'))
    sig = createHmac(hash, material.secret ?? '')
      .update(input)
      .digest();
  else {
    const key = createPrivateKey(material.privateKeyPem ?? '');
    sig = cryptoSign(hash, Buffer.from(input), {
      key,
      ...(alg.startsWith('ES') ? { dsaEncoding: 'ieee-p1363' as const } : {}),
      ...(alg.startsWith('PS')
        ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }
        : {}),
    });
  }
  return `${input}.${sig.toString('base64url')}`;
}

/** Scopes as a token's scope claim holds them: one space-separated string, or an array. */
export function scopeClaimValue(
  scopes: readonly string[],
  format: 'string' | 'array' = 'string',
): string | string[] {
  return format === 'array' ? [...scopes] : scopes.join(' ');
}

/** The token with one character of its signature changed. */
export function tamperedSignature(token: string): string {
  const i = token.lastIndexOf('.') + 2;
  const c = token[i] === 'A' ? 'B' : 'A';
  return token.slice(0, i) + c + token.slice(i + 1);
}
