/**
 * The request-signing plug-in point. One Signer per scheme (header HMAC, AWS SigV4, Hawk,
 * RFC 9421, or a user's module): `sign` is what the harness sends, `verify` is what the mock
 * checks, and `parts` says which parts the scheme has, so a fault that targets a part the
 * scheme lacks (a nonce under SigV4) is N/A with a reason instead of forced.
 *
 * A signer is pure: no clock of its own (the time is an input), no store (a verified nonce is
 * returned; the caller remembers it and refuses a replay). It may be async (a library's signer,
 * WebCrypto).
 */

/** The request as it goes on the wire; what a scheme may cover. */
export interface SignableRequest {
  method: string;
  /** The authority the request is sent to, as its Host header carries it: `host[:port]`. */
  host: string;
  /** Path and query exactly as sent. */
  pathWithQuery: string;
  /** Header names as the sender spells them (a verifier receives them lower-cased). */
  headers: Record<string, string>;
  /**
   * The body as text; undefined or '' for none. Its bytes are its UTF-8 encoding (the mock
   * decodes a received body as UTF-8), so a body that is not UTF-8 text cannot be signed.
   */
  body?: string;
}

/** The signing credential: the key id the request names and the key material. */
export interface SigningKey {
  /** Access key id, Hawk id, RFC 9421 keyid, or LuxCore's merchant id. */
  keyId: string;
  /** The shared secret (HMAC schemes), as text; its bytes are its UTF-8 encoding. */
  secret?: string;
  /** A PEM private key, for asymmetric schemes (RFC 9421 ed25519). */
  privateKeyPem?: string;
  /** The matching PEM public key: what the verifying side holds. */
  publicKeyPem?: string;
}

/**
 * What the faults control. Everything else (a fresh nonce, the current time) the engine fills.
 */
export interface SignControls {
  /** The signing time, ms since the epoch; a scheme writes it at its own resolution. */
  timeMs: number;
  /** The nonce, for a scheme that has one. */
  nonce?: string;
  /**
   * Sign these parts as if they were different from what is sent: the signature covers
   * `signAs`, the request carries the original. The method, path and signed-header tamper faults
   * use it, so every scheme is tampered the same way. The body and query tamper faults do not:
   * they edit the request after it is signed (a space after the body, a parameter added to the
   * query), so a digest the scheme sends (Content-Digest, Hawk's hash, x-amz-content-sha256)
   * still names the body that was signed. A signer honours every field given all the same.
   */
  signAs?: Partial<Pick<SignableRequest, 'method' | 'pathWithQuery' | 'body'>> & {
    headers?: Record<string, string>;
  };
  /** The key id written into the request, where it is not the signing key's own (wrong keyid). */
  keyIdAs?: string;
  /** The version label to write, where the scheme has one (a wrong signature version). */
  versionAs?: string;
  /**
   * The expiry to write, ms since the epoch, where the scheme has one (`parts().expires`): in
   * place of the signing time plus the scheme's lifetime (a signature already expired).
   */
  expiresAs?: number;
}

/** What a scheme has: a fault aimed at a missing part is N/A with `reason`. */
export interface SignerParts {
  /** The nonce, with its bounds; absent where the scheme has none (SigV4). */
  nonce?: {
    minLength: number;
    maxLength: number;
    /** A pattern the whole nonce must match (RE2 syntax), where the scheme restricts it. */
    pattern?: string;
    replayWindowSeconds: number;
    /**
     * Whose nonces a nonce must be fresh among: the signing key id's (`signer`), the API key's
     * sent beside the signature (`key`), or everyone's (`global`).
     */
    scope: 'signer' | 'key' | 'global';
  };
  /** The timestamp window. */
  timestamp?: {
    /** The timestamp's resolution on the wire: 1000 for whole seconds, 1 for milliseconds. */
    resolutionMs: number;
    skewSeconds: number;
    boundary: 'inclusive' | 'exclusive';
  };
  /**
   * An expiry the request carries beside its timestamp (RFC 9421 `expires`), written
   * `lifetimeSeconds` after the signing time and refused once past; absent where there is none.
   */
  expires?: { lifetimeSeconds: number };
  /** A version label the verifier checks, where the scheme has one. */
  version?: string;
  /** Whether the request names its key (a wrong key id then must be refused). */
  keyId: boolean;
  /**
   * The header the key id travels in alone, where it has one of its own (LuxCore's
   * X-Merchant-Id): a server may read it as a binding too.
   */
  keyIdHeader?: string;
  /**
   * The scheme writes the Authorization header (SigV4, Hawk, an HMAC signature in it): no
   * credential of a route it signs may travel there too.
   */
  writesAuthorization?: boolean;
  /** What the signature covers. */
  covers: {
    method: boolean;
    path: boolean;
    query: boolean;
    body: boolean;
    /** Header names (lower-case) covered besides the scheme's own, that a tamper may change. */
    headers: string[];
  };
}

/** Where the signature sits in a request: read it, or write another in its place. */
export interface SignatureSlot {
  /** The signature's encoded bytes as sent (hex, base64, ...), without labels or quotes. */
  value: string;
  /** The encoding, so an altered signature stays well-formed (a hex digit for a hex digit). */
  encoding: 'hex' | 'base64' | 'base64url';
  /** The same request with `value` replaced (an empty string leaves the label: an empty signature). */
  replace(value: string): SignableRequest;
  /** The request without its signature (the header or parameter that carries it removed). */
  remove(): SignableRequest;
}

/** Why a signature check refused a request; the profile maps each to its error. */
export type SignatureDenial =
  | 'signature_missing'
  | 'signature_invalid'
  | 'signature_version'
  | 'timestamp_skew'
  | 'nonce_invalid';

/** A signature check's answer: accepted (with the key id and the nonce to remember) or a denial. */
export type VerifyResult =
  | {
      ok: true;
      /** The key id the request was verified under. */
      keyId: string;
      /**
       * The nonce to remember, where the scheme has one: for its replay window, or while a
       * request carrying it can still pass the time check, where that is longer.
       */
      nonce?: string;
    }
  | { ok: false; denial: SignatureDenial; detail?: string };

/**
 * One signing scheme. `C` is the scheme's configuration from the profile's `signing` entry.
 */
export interface Signer<C = unknown> {
  /** The scheme's name as a profile writes it (`hmac`, `sigv4`, `hawk`, `rfc9421`). */
  readonly scheme: string;
  parts(config: C): SignerParts;
  /** The request with its signature (and the scheme's headers) added. */
  sign(
    config: C,
    req: SignableRequest,
    key: SigningKey,
    controls: SignControls,
  ): Promise<SignableRequest>;
  /**
   * Checks a received request (header names lower-cased): present, version, time window, nonce
   * form, signature over what was sent, in constant time. `keyOf` looks up a key id the
   * verifying side knows; `nowMs` is its clock. Does not remember the nonce.
   */
  verify(
    config: C,
    req: SignableRequest,
    keyOf: (keyId: string) => SigningKey | undefined,
    nowMs: number,
  ): Promise<VerifyResult>;
  /** Where the signature of a signed request sits; undefined when it carries none. */
  signatureSlot(config: C, req: SignableRequest): SignatureSlot | undefined;
}
