/**
 * The profile model: the typed form of specs/schemas/profile.schema.json.
 * The loader validates a file against that schema (and cross-references) before it is
 * typed as a Profile, so code past the loader trusts these shapes. A test
 * (test/model/types-match-schema.test.ts) walks the schema and these types' required keys
 * so the two cannot drift silently.
 */

export type BindingKind = 'tenant' | 'merchant' | 'store' | 'organization';
export const BINDING_KINDS: readonly BindingKind[] = [
  'tenant',
  'merchant',
  'store',
  'organization',
];

export type Environment = 'live' | 'test';

export interface Credential {
  /** basic: HTTP Basic (RFC 7617), a key's id and its value as the secret. */
  kind: 'api_key' | 'jwt' | 'session_token' | 'basic';
  /**
   * authorization: `Authorization: <scheme> <value>`; bearer is the scheme Bearer. query: the
   * query parameter `name`; cookie: the cookie `name` in the Cookie header (both kind api_key).
   */
  in: 'header' | 'bearer' | 'body' | 'authorization' | 'query' | 'cookie';
  name?: string;
  /** The scheme word before the value (in: authorization); Basic for kind basic. */
  scheme?: string;
  alsoIn?: { in: 'header' | 'body'; name: string }[];
  token?: string;
  formats?: string[];
}

export interface KeyFormat {
  prefix: string;
  pattern: string;
  type: string;
  environment?: Environment;
  boundTo?: BindingKind[];
  example?: string;
  note?: string;
}

export interface Binding {
  from: 'header' | 'path' | 'key';
  name?: string;
  required?: 'always' | 'routes' | 'never';
  onMismatch?: 'reject' | 'ignore';
  resolvedAt?: string;
  otherRecords?: 'hidden' | 'denied';
  pattern?: string;
  note?: string;
}

export interface Scopes {
  vocabulary?: string[];
  resources?: string[];
  actions?: string[];
  separator?: string;
  aliases?: Record<string, string>;
  wildcard?: string;
  note?: string;
}

export interface JwtToken {
  kind: 'jwt';
  algorithms: string[];
  lifetimeSeconds: number;
  leewaySeconds: number;
  issuer?: string;
  audience?: string;
  /** How the claim of meaning `scopes` holds them (default: one space-separated string). */
  scopeFormat?: 'string' | 'array';
  /** Path where the verifying side publishes its public keys as a JWK Set; tokens name a kid. */
  jwks?: string;
  claims?: Record<
    string,
    'tenant' | 'merchant' | 'store' | 'organization' | 'user' | 'scopes' | 'role'
  >;
  issue?: {
    route: string;
    tokenAt?: string;
    refreshTokenAt?: string;
    /** OAuth 2.0 client credentials (RFC 6749 §4.4) instead of an e-mail/password login. */
    grant?: 'client_credentials';
    /** How the client authenticates (RFC 6749 §2.3.1): HTTP Basic (default) or form fields. */
    clientAuth?: 'basic' | 'body';
    /** The scope to request, where not the route's own. */
    scope?: string;
  };
  refresh?: { route: string; field?: string; lifetimeSeconds: number; rotates?: boolean };
  note?: string;
}

export interface SessionToken {
  kind: 'session_token';
  lifetimeSeconds: number;
  scopes: string[];
  issue?: { route: string; tokenAt: string; scopeField?: string };
  note?: string;
}

export type CanonicalPart =
  | 'method'
  | 'path_with_query'
  | 'path'
  | 'query'
  | 'host'
  | 'timestamp'
  | 'nonce'
  | 'body_sha256_hex'
  | 'merchant';

/**
 * A profile's `signing` entry: the header HMAC scheme (no `scheme`, or `scheme: hmac`), another
 * built-in scheme (`sigv4`, `hawk`, `rfc9421`: their configuration is in src/sign/schemes/), or
 * a user's signer module (`module: ./my-signer.ts`).
 */
export type Signing = HmacSigning | SchemeSigning;

/** A signing entry read by a non-HMAC signer: its own fields, checked by its own schema. */
export interface SchemeSigning {
  scheme: string;
  /** A user's signer module, relative to the profile file (with `scheme: module`). */
  module?: string;
  note?: string;
  [field: string]: unknown;
}

export interface HmacSigning {
  scheme?: 'hmac';
  algorithm: 'sha256' | 'sha384' | 'sha512';
  /** How the digest is written (default hex, lower case). */
  digest?: 'hex' | 'base64';
  headers: {
    /** The header naming the signing key id (LuxCore: the merchant); absent where the signature format holds {keyId}. */
    merchant?: string;
    timestamp: string;
    nonce?: string;
    version?: string;
    /** The header holding the signature; `Authorization` for a scheme word and the signature in it. */
    signature: string;
  };
  version?: string;
  /** The signature header's value, with {signature} (or {hex}) for the digest and {keyId} for the key id. */
  signatureFormat: string;
  canonical: { parts: CanonicalPart[]; joiner: string };
  timestamp: {
    unit: 'seconds' | 'milliseconds' | 'iso8601';
    skewSeconds: number;
    boundary: 'inclusive' | 'exclusive';
  };
  nonce?: {
    minLength: number;
    maxLength: number;
    pattern?: string;
    replayWindowSeconds: number;
    scope: 'merchant' | 'key' | 'global';
  };
  secretRole?: string;
  note?: string;
}

export interface RateLimit {
  per: 'key' | 'merchant' | 'tenant' | 'ip';
  limit: number;
  windowSeconds: number;
  burst?: { limit: number; windowSeconds: number };
  /**
   * When a window starts: with the first request after the last one ended (the default), or at
   * whole multiples of its length on the server's clock (`clock`).
   */
  windowStart?: 'first-request' | 'clock';
  retryAfter?: boolean;
  note?: string;
}

export interface LifecycleOp {
  route: string;
  idAt?: string;
  keyAt?: string;
  listAt?: string;
  format?: string;
  scopesField?: string;
  bindingFields?: Partial<Record<BindingKind, string>>;
}

export interface Lifecycle {
  create?: LifecycleOp;
  list?: LifecycleOp;
  get?: LifecycleOp;
  revoke?: LifecycleOp;
  rotate?: LifecycleOp;
  delete?: LifecycleOp;
  mask?: { showPrefix?: boolean; showLast: number };
  rotationGraceSeconds?: number;
  revokedCanReactivate?: boolean;
  note?: string;
}

export interface RouteParamRef {
  resource: string;
  otherEnvironment?: string;
  otherTenant?: string;
  otherMerchant?: string;
  otherStore?: string;
  otherOrganization?: string;
}
export type RouteParam = string | RouteParamRef;

/** 'public', or alternatives: each entry is one credential id, or a list that must all be sent. */
export type RouteAuth = 'public' | (string | string[])[];

export interface Route {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  summary?: string;
  auth: RouteAuth;
  keyTypes?: string[];
  scope?: string;
  bindings?: BindingKind[];
  environment?: 'key' | Environment;
  signing?: string;
  rateClass?: string;
  params?: Record<string, RouteParam>;
  requestBody?: unknown;
  /** The route creates a record of `resource`; its id is at `idAt` in the success body. */
  creates?: { resource: string; idAt: string };
  /** The route uses up the record it names (DELETE: by default). See routeConsumes. */
  consumes?: boolean;
  caps?: { field: string; max: number; default?: number; at?: string }[];
  success: { status: number; schema?: string; example?: unknown };
  note?: string;
}

/**
 * One error answer as written. With the profile's `errorShape`, most errors state only a code
 * and a message: resolving fills in the body, the schema and the status (derive-errors.ts).
 */
export interface ErrorSpec {
  /** Default: from the denials that answer with it (derive-errors.ts, DEFAULT_STATUS). */
  status?: number;
  /** The code the errorShape template fills in (default: the error's id). */
  code?: string;
  /** The message the errorShape template fills in. */
  message?: string;
  /** Its own schema (another shape than errorShape's), used as written. */
  schema?: string;
  /** Its own body, in place of errorShape's template filled in. */
  body?: unknown;
  headers?: Record<string, string>;
  note?: string;
}

/** The one shape of a profile's error bodies: the schema, where the code sits, the template. */
export interface ErrorShape {
  schema: string;
  /** A JSON Pointer into the body: each error's schema pins its code there. */
  codeAt: string;
  /** The body template: ${code}, ${message}, ${status}, ${statusText}. */
  body?: unknown;
}

export const DENIAL_REASONS = [
  'missing_credential',
  'malformed_credential',
  'unknown_credential',
  'revoked_credential',
  'expired_credential',
  'wrong_key_type',
  'wrong_environment',
  'missing_binding',
  'binding_mismatch',
  'insufficient_scope',
  'token_invalid',
  'token_expired',
  'signature_missing',
  'signature_invalid',
  'signature_version',
  'timestamp_skew',
  'nonce_invalid',
  'nonce_replay',
  'rate_limited',
  'not_found',
  'malformed_request',
  'invalid_login',
  'record_used_up',
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** An error id, or a default error id with per-credential overrides. */
export type Denial = string | ({ default: string } & Record<string, string>);

/** The guide a profile's scheme is documented in: what every report names as its source. */
export interface ProfileSource {
  title: string;
  version?: string;
  url?: string;
  /** A copy of the guide, relative to the profile file. */
  path?: string;
  /** SHA-256 of the guide's text, for a guide not shipped beside the profile. */
  sha256?: string;
}

/**
 * A profile as written (specs/profiles/<id>.yaml, docs/profile-fields.md): the auth scheme of one
 * API as data. `loadProfile()` and `resolveProfile()` give it validated.
 */
export interface Profile {
  id: string;
  name: string;
  version: string;
  /** A URL, a path or a title; or the guide's title, version, URL and path (profile-source.ts). */
  source: string | ProfileSource;
  description?: string;
  /** Per scenario id, the sentence of this profile's guide a report cites (profile-cites.ts). */
  cites?: Record<string, string>;
  credentials: Record<string, Credential>;
  keyFormats?: Record<string, KeyFormat>;
  bindings?: Partial<Record<BindingKind, Binding>>;
  scopes?: Scopes;
  tokens?: Record<string, JwtToken | SessionToken>;
  signing?: Record<string, Signing>;
  rateLimits?: Record<string, RateLimit>;
  lifecycle?: Lifecycle;
  routes: Route[];
  errorShape?: ErrorShape;
  errors: Record<string, ErrorSpec>;
  /**
   * As loaded: with the defaults of the reasons the file leaves out (spec/default-denials.ts).
   * A file may leave `denials` out altogether; the loader, and `resolveReferences` for a profile
   * built in code, make it `{}` first, so a loaded profile always has it.
   */
  denials: Partial<Record<DenialReason, Denial>>;
}

/** Whether a route uses up its record, so that the same call cannot succeed twice. */
export function routeConsumes(route: Route): boolean {
  return route.consumes ?? route.method === 'DELETE';
}
