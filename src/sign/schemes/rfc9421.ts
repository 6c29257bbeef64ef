/**
 * HTTP Message Signatures (RFC 9421): a `Signature-Input` naming the covered components and the
 * signature parameters (`created`, `expires`, `keyid`, `nonce`, `alg`, `tag`) under a label, and a
 * `Signature` holding the hmac-sha256 or ed25519 signature of the signature base under the same
 * label. A covered `content-digest` (RFC 9530) is written by the signer and checked against the
 * body by the verifier, which is what makes the body covered.
 *
 * The signature base (component derivation and serialization, RFC 9421 §2) and the signing and
 * verifying primitives come from the `http-message-signatures` package; the structured fields
 * (RFC 8941) are read with `structured-headers`, its own parser. What is ours is the policy: the
 * label to verify, the components that must be covered, the `created` window and its boundary,
 * `expires`, the nonce's form, the tag, and which denial each failure is. The package's own
 * `verifyMessage` reads the wall clock and has a window of its own, so it is not used.
 *
 * Checked against the RFC's Appendix B examples (specs/vectors/rfc9421/).
 */
import { createPublicKey } from 'node:crypto';
import { createSigner, createVerifier, httpbis } from 'http-message-signatures';
import {
  isInnerList,
  parseDictionary,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  type InnerList,
} from 'structured-headers';
import { anchored } from '../../model/anchored-pattern.ts';
import { contentDigest, contentDigestMatches, type DigestAlgorithm } from '../content-digest.ts';
import type {
  SignableRequest,
  SignatureDenial,
  SignatureSlot,
  Signer,
  SignerParts,
  SigningKey,
  VerifyResult,
} from '../signer.ts';

/** A profile's `signing` entry for RFC 9421 (`$defs/signing_rfc9421` in profile.schema.json). */
export interface Rfc9421Config {
  scheme: 'rfc9421';
  note?: string;
  algorithm: 'hmac-sha256' | 'ed25519';
  /** How a shared secret's text is the HMAC key: its UTF-8 bytes (default) or base64 of them. */
  secretEncoding?: 'utf8' | 'base64';
  /** The signature's label in both fields (`sig1`); the verifier reads the signature under it. */
  label: string;
  /**
   * The component identifiers the signature must cover, in the signer's order: derived
   * components (`@method`, `@authority`, `@path`, `@query`, `@target-uri`, `@request-target`)
   * and lower-case field names (`content-digest`, `content-type`, ...). A field the request does
   * not carry is not covered, and not required by the verifier.
   */
  components: string[];
  /** The Content-Digest algorithm the signer writes where `content-digest` is covered. */
  contentDigest?: DigestAlgorithm;
  /** The window around the verifier's clock that `created` must fall in, in whole seconds. */
  created: { skewSeconds: number; boundary: 'inclusive' | 'exclusive' };
  /** `expires` written as `created` + lifetime and required; keep it >= skewSeconds. */
  expires?: { lifetimeSeconds: number };
  nonce?: {
    minLength: number;
    maxLength: number;
    pattern?: string;
    replayWindowSeconds: number;
    scope: 'signer' | 'key' | 'global';
  };
  /** An application tag the verifier requires (`tag="..."`); a wrong one is signature_version. */
  tag?: string;
  /** Write the `alg` parameter (RFC 9421 lets the key imply it; the examples omit it). */
  includeAlg?: boolean;
}

/** The largest Signature / Signature-Input value read; longer is refused unparsed. */
const MAX_FIELD_LENGTH = 16384;

const METHOD = ['@method', '@target-uri', '@request-target'];
const PATH = ['@path', '@target-uri', '@request-target'];
const QUERY = ['@query', '@target-uri', '@request-target'];

export const rfc9421Signer: Signer<Rfc9421Config> = {
  scheme: 'rfc9421',

  parts(c): SignerParts {
    const has = (names: string[]) => c.components.some((n) => names.includes(n));
    return {
      // The profile's nonce block has the parts' shape (its schema allows no other field).
      ...(c.nonce !== undefined ? { nonce: { ...c.nonce } } : {}),
      timestamp: {
        resolutionMs: 1000,
        skewSeconds: c.created.skewSeconds,
        boundary: c.created.boundary,
      },
      ...(c.expires !== undefined
        ? { expires: { lifetimeSeconds: c.expires.lifetimeSeconds } }
        : {}),
      ...(c.tag !== undefined ? { version: c.tag } : {}),
      keyId: true,
      covers: {
        method: has(METHOD),
        path: has(PATH),
        query: has(QUERY),
        body: c.components.includes('content-digest'),
        headers: c.components.filter((n) => !n.startsWith('@') && n !== 'content-digest'),
      },
    };
  },

  async sign(c, req, key, controls) {
    const as = controls.signAs ?? {};
    // The Content-Digest sent is the one signed: a tampered body then arrives with the digest of
    // the body that was signed, and only a verifier that checks it against the body notices.
    const signedBody = as.body ?? req.body;
    const digest = c.components.includes('content-digest')
      ? contentDigest(c.contentDigest ?? 'sha-256', signedBody)
      : undefined;
    let sent = { ...req.headers };
    let signed = { ...req.headers };
    for (const [name, value] of Object.entries(as.headers ?? {}))
      signed = withHeader(signed, name, value);
    if (digest !== undefined) {
      sent = withHeader(sent, 'Content-Digest', digest);
      signed = withHeader(signed, 'Content-Digest', digest);
    }
    const view: SignableRequest = {
      method: as.method ?? req.method,
      host: req.host,
      pathWithQuery: as.pathWithQuery ?? req.pathWithQuery,
      headers: signed,
    };
    const fields = c.components.filter(
      (n) => n.startsWith('@') || headerValue(signed, n) !== undefined,
    );
    const created = Math.floor(controls.timeMs / 1000);
    const expires =
      controls.expiresAs !== undefined
        ? Math.floor(controls.expiresAs / 1000)
        : c.expires !== undefined
          ? created + c.expires.lifetimeSeconds
          : undefined;
    const input =
      `(${fields.map((f) => `"${f}"`).join(' ')})` +
      `;created=${created}` +
      (expires !== undefined ? `;expires=${expires}` : '') +
      `;keyid=${sfString(controls.keyIdAs ?? key.keyId)}` +
      (c.nonce !== undefined && controls.nonce !== undefined
        ? `;nonce=${sfString(controls.nonce)}`
        : '') +
      (c.includeAlg ? `;alg="${c.algorithm}"` : '') +
      (c.tag !== undefined ? `;tag=${sfString(controls.versionAs ?? c.tag)}` : '');
    const base = signatureBase(fields, view, input);
    const signature = await createSigner(signingKeyMaterial(c, key), c.algorithm).sign(
      Buffer.from(base, 'utf8'),
    );
    sent = withHeader(sent, 'Signature-Input', `${c.label}=${input}`);
    sent = withHeader(sent, 'Signature', `${c.label}=:${signature.toString('base64')}:`);
    return { ...req, headers: sent };
  },

  async verify(c, req, keyOf, nowMs): Promise<VerifyResult> {
    try {
      return await verifyRequest(c, req, keyOf, nowMs);
    } catch (err) {
      // Whatever a hostile request makes the base or the key material throw is a bad signature.
      return deny('signature_invalid', err instanceof Error ? err.message : 'unverifiable');
    }
  },

  signatureSlot(c, req): SignatureSlot | undefined {
    const name = headerName(req.headers, 'signature');
    if (name === undefined) return undefined;
    const sent = req.headers[name]!;
    const member = new RegExp(`(^|,)(\\s*)${escapeRegExp(c.label)}=:([A-Za-z0-9+/=]*):`).exec(sent);
    if (member === null) return undefined;
    const at = member.index + member[1]!.length + member[2]!.length + c.label.length + 2;
    const value = member[3]!;
    return {
      value,
      encoding: 'base64',
      replace: (v) => ({
        ...req,
        headers: { ...req.headers, [name]: sent.slice(0, at) + v + sent.slice(at + value.length) },
      }),
      remove: () => {
        const headers = { ...req.headers };
        delete headers[name];
        try {
          const others = parseDictionary(sent);
          others.delete(c.label);
          if (others.size > 0) headers[name] = serializeDictionary(others);
        } catch {
          // an unreadable field is dropped whole
        }
        return { ...req, headers };
      },
    };
  },
};

async function verifyRequest(
  c: Rfc9421Config,
  req: SignableRequest,
  keyOf: (keyId: string) => SigningKey | undefined,
  nowMs: number,
): Promise<VerifyResult> {
  const inputField = headerValue(req.headers, 'signature-input');
  const signatureField = headerValue(req.headers, 'signature');
  if (!inputField || !signatureField) return deny('signature_missing');
  if (inputField.length > MAX_FIELD_LENGTH || signatureField.length > MAX_FIELD_LENGTH)
    return deny('signature_invalid', 'signature field too long');
  let inputs, signatures;
  try {
    inputs = parseDictionary(inputField);
    signatures = parseDictionary(signatureField);
  } catch {
    // A nonce with a character no String can hold (the signer writes it as it is) makes the
    // whole field unreadable; where it is the only fault, say so: it is the nonce's form.
    if (c.nonce !== undefined && onlyTheNonceUnreadable(inputField, signatureField))
      return deny('nonce_invalid', 'the nonce holds a character a String cannot');
    return deny('signature_invalid', 'not a structured-field dictionary');
  }
  const input = inputs.get(c.label);
  const signature = signatures.get(c.label);
  if (input === undefined || signature === undefined)
    return deny('signature_missing', `no signature labelled ${c.label}`);
  if (!isInnerList(input) || !(signature[0] instanceof ArrayBuffer))
    return deny('signature_invalid', 'malformed signature member');

  const params = input[1];
  const keyId = params.get('keyid');
  const created = params.get('created');
  const expires = params.get('expires');
  const nonce = params.get('nonce');
  const tag = params.get('tag');
  if (
    keyId === undefined ||
    created === undefined ||
    (c.expires !== undefined && expires === undefined) ||
    (c.nonce !== undefined && nonce === undefined) ||
    (c.tag !== undefined && tag === undefined)
  )
    return deny('signature_missing', 'a required signature parameter is absent');
  if (c.tag !== undefined && tag !== c.tag) return deny('signature_version');
  const alg = params.get('alg');
  if (alg !== undefined && alg !== c.algorithm) return deny('signature_invalid', 'another alg');

  const now = Math.floor(nowMs / 1000);
  if (typeof created !== 'number' || !Number.isInteger(created))
    return deny('timestamp_skew', 'created is not an integer');
  const skew = Math.abs(now - created);
  const limit = c.created.skewSeconds;
  if (c.created.boundary === 'inclusive' ? skew > limit : skew >= limit)
    return deny('timestamp_skew');
  if (expires !== undefined) {
    if (typeof expires !== 'number' || !Number.isInteger(expires))
      return deny('timestamp_skew', 'expires is not an integer');
    if (now > expires) return deny('timestamp_skew', 'expired');
  }

  if (c.nonce !== undefined) {
    if (typeof nonce !== 'string') return deny('nonce_invalid', 'nonce is not a string');
    if (nonce.length < c.nonce.minLength || nonce.length > c.nonce.maxLength)
      return deny('nonce_invalid');
    if (c.nonce.pattern !== undefined && !anchored(c.nonce.pattern).test(nonce))
      return deny('nonce_invalid');
  }

  const covered = input[0].map(([name]) => name);
  const required = c.components.filter(
    (n) => n.startsWith('@') || headerValue(req.headers, n) !== undefined,
  );
  if (!required.every((n) => covered.some((m) => m === n && typeof m === 'string')))
    return deny('signature_invalid', 'a required component is not covered');

  if (typeof keyId !== 'string') return deny('signature_invalid', 'keyid is not a string');
  const key = keyOf(keyId);
  if (key === undefined) return deny('signature_invalid', 'unknown keyid');

  if (covered.includes('content-digest')) {
    const sent = headerValue(req.headers, 'content-digest');
    if (sent === undefined || !contentDigestMatches(sent, req.body))
      return deny('signature_invalid', 'Content-Digest does not match the body');
  }

  const fields = input[0].map((item) => serializeItem(item));
  const base = signatureBase(fields, req, serializeInnerList(input as InnerList));
  const verifier = createVerifier(verifyingKeyMaterial(c, key), c.algorithm);
  const ok = await verifier(Buffer.from(base, 'utf8'), Buffer.from(signature[0]));
  if (ok !== true) return deny('signature_invalid');
  return { ok: true, keyId, ...(c.nonce !== undefined ? { nonce: nonce as string } : {}) };
}

/** The signature base (RFC 9421 §2.5) of `fields` over the request, `@signature-params` last. */
function signatureBase(fields: string[], req: SignableRequest, input: string): string {
  if (!req.pathWithQuery.startsWith('/')) throw new Error('the path is not absolute');
  const message = {
    method: req.method,
    // The scheme is not part of what is signed here: @authority is the host as sent.
    url: `http://${req.host}${req.pathWithQuery}`,
    headers: req.headers,
  };
  const base = httpbis.createSignatureBase({ fields }, message);
  base.push(['"@signature-params"', [input]]);
  return httpbis.formatSignatureBase(base);
}

function signingKeyMaterial(c: Rfc9421Config, key: SigningKey): Buffer | string {
  if (c.algorithm === 'ed25519') {
    if (key.privateKeyPem === undefined) throw new Error('ed25519 signing needs a private key');
    return key.privateKeyPem;
  }
  if (key.secret === undefined) throw new Error('hmac-sha256 signing needs the key secret');
  return secretBytes(c, key.secret);
}

function verifyingKeyMaterial(c: Rfc9421Config, key: SigningKey): Buffer | string {
  if (c.algorithm === 'ed25519') {
    if (key.publicKeyPem !== undefined) return key.publicKeyPem;
    if (key.privateKeyPem === undefined) throw new Error('no ed25519 key for this keyid');
    return createPublicKey(key.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  }
  if (key.secret === undefined) throw new Error('no shared secret for this keyid');
  return secretBytes(c, key.secret);
}

function secretBytes(c: Rfc9421Config, secret: string): Buffer {
  return Buffer.from(secret, c.secretEncoding === 'base64' ? 'base64' : 'utf8');
}

/**
 * A String parameter (RFC 8941 §3.3.3). A value no String can hold (a nonce with `é`, drawn to
 * be refused) is written quoted as it is, so the field arrives unparseable instead of the
 * signer throwing.
 */
function sfString(value: string): string {
  try {
    return serializeItem(value);
  } catch {
    return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  }
}

/** Whether both fields parse once the nonce parameter's value is replaced by a plain one. */
function onlyTheNonceUnreadable(inputField: string, signatureField: string): boolean {
  const m = /;\s*nonce="((?:[^"\\]|\\.)*)"/.exec(inputField);
  if (m === null || /^[\x20-\x7e]*$/.test(m[1]!)) return false;
  try {
    parseDictionary(
      inputField.slice(0, m.index) + ';nonce="x"' + inputField.slice(m.index + m[0].length),
    );
    parseDictionary(signatureField);
    return true;
  } catch {
    return false;
  }
}

function deny(denial: SignatureDenial, detail?: string): VerifyResult {
  return { ok: false, denial, ...(detail !== undefined ? { detail } : {}) };
}

function headerName(headers: Record<string, string>, name: string): string | undefined {
  return Object.keys(headers).find((k) => k.toLowerCase() === name);
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const k = headerName(headers, name.toLowerCase());
  return k === undefined ? undefined : headers[k];
}

/** The headers with `name` set to `value`, replacing it under whatever case it was spelled. */
function withHeader(
  headers: Record<string, string>,
  name: string,
  value: string,
): Record<string, string> {
  const out = { ...headers };
  const existing = headerName(out, name.toLowerCase());
  if (existing !== undefined) delete out[existing];
  out[existing ?? name] = value;
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
