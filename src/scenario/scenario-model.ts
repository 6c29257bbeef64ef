/** The typed form of specs/schemas/scenario.schema.json. */
import type { BindingKind, DenialReason } from '../model/profile.ts';
import type { CapRange } from '../generate/arb-cap-request.ts';

export type Capability =
  | 'api-key'
  | 'tenant-header'
  | 'merchant-header'
  | 'store-path'
  | 'organization-from-key'
  | 'scopes'
  | 'scope-aliases'
  | 'scope-wildcards'
  | 'key-types'
  | 'environments'
  | 'revoked-key'
  | 'used-up-records'
  | 'expired-key'
  | 'other-tenant-key'
  | 'other-merchant-key'
  | 'other-store-key'
  | 'other-organization-key'
  | 'publishable-key'
  | 'bearer-jwt'
  | 'jwt-minting'
  | 'asymmetric-jwt'
  | 'signing'
  | 'nonce-pattern'
  | 'nonce-shared-across-keys'
  | 'rate-limits'
  | 'session-tokens'
  | 'key-lifecycle'
  | 'token-refresh'
  | 'capped-fields'
  | 'authorization-scheme'
  | 'basic-auth'
  | 'client-credentials';

/** A part of a signing scheme a fault may target; a route whose scheme lacks it is N/A. */
export type SigningPart =
  | 'nonce'
  | 'timestamp'
  | 'expires'
  | 'version'
  | 'keyId'
  | 'method'
  | 'path'
  | 'query'
  | 'body'
  | 'header';

export interface RouteFilter {
  auth?: 'api_key' | 'jwt' | 'session_token' | 'basic' | 'any';
  /** Routes whose credential travels after an `Authorization` scheme word (ApiKey, Basic...). */
  authorizationScheme?: true;
  binding?: BindingKind;
  scoped?: boolean;
  signed?: boolean;
  /** Signed routes whose signing scheme has these parts (a nonce, a version, covers the body...). */
  signingHas?: SigningPart[];
  keyTypes?: boolean;
  rateLimited?: boolean;
  outsideScopesOf?: string;
  insideScopesOf?: string;
  viaAliasOrWildcard?: boolean;
  /** A key role's type, or 'any' type of the profile the route refuses. */
  deniesKeyType?: string;
  otherRecord?: OtherRecord;
  withBody?: boolean;
  /** Routes that use up their record (DELETE, cancel, void: see the profile's `consumes`). */
  consumes?: boolean;
  /** Routes whose bearer JWT carries a claim of this binding (the profile's token claims). */
  jwtBoundTo?: BindingKind;
  /** Routes with a capped field the answer shows (withDefault: one with a default too). */
  capped?: true | 'withDefault';
  /**
   * Routes whose bearer JWT the profile's token spec says is checked this way: iss, aud, the
   * route's scope in the `scopes` claim, kid against a JWKS, an allow-list short of a family.
   */
  jwtChecks?: 'issuer' | 'audience' | 'scope' | 'kid' | 'algorithmSize';
  /** Routes that take this binding from a header whose values must match a pattern. */
  patternOf?: BindingKind;
  /** The token endpoint of a client-credentials grant (a public route): its own request is sent. */
  tokenEndpoint?: 'client_credentials';
  /** Routes whose credential (the reference `credential`) travels in a header. */
  credentialInHeader?: true;
  /** Routes whose API key is also accepted in a body field (or another header). */
  credentialAlsoIn?: 'body' | 'header';
}

export type OtherRecord =
  'otherEnvironment' | 'otherTenant' | 'otherMerchant' | 'otherStore' | 'otherOrganization';

export type LengthBound = number | string | { from: number | string; to: number | string };

export type ArbitrarySpec =
  | { arb: 'integer'; min: number | string; max: number | string }
  | { arb: 'oneOf'; values: unknown[] }
  | { arb: 'nonce'; length: LengthBound; chars?: 'allowed' | 'disallowed' }
  | { arb: 'headerCase'; header: string }
  | { arb: 'malformedJwt' }
  | { arb: 'schemeCase' }
  | { arb: 'deniedKeyRole' }
  | { arb: 'capRequest'; range: CapRange }
  | { arb: 'outsidePattern'; binding: BindingKind };

export type FaultStep =
  /** A token the target issued for another scope: a session token, or a client-credentials JWT. */
  | { sessionTokenScope: 'other' }
  | { advanceClock: number | string }
  | { signTwinAt: 'future-inside' | 'past-inside' }
  | { useKey: string }
  | { capRequest: string }
  | { moveCredential: 'body' | 'header' }
  | { removeHeader: string }
  | { setHeader: string; value: unknown }
  | { renameHeader: string; to: string }
  | { otherRecord: OtherRecord }
  | { timestampOffset: number | string }
  | { nonce: string }
  | { acceptedNonce: true }
  | { timestampEdge: string }
  | { signatureExpired: true }
  | { replay: true }
  | { repeat: true }
  | { tamper: 'body' | 'query' | 'method' | 'path' | 'header' }
  | { wrongKeyId: true }
  | { signatureVersion: string }
  | { setBody: string }
  | { exhaustRate: true }
  | { alterKey: 'lastChar' | 'prefix' }
  | { alterSignature: 'lastChar' | 'half' | 'empty' | 'remove' }
  | { schemeWord: string }
  | { basic: 'wrong-secret' | 'unknown-id' | 'malformed-base64' | 'missing-colon' }
  | { clientSecret: 'wrong' }
  | { jwtValue: string }
  | {
      jwt:
        | 'expired'
        | 'not-yet-valid'
        | 'expired-past-leeway'
        | 'expired-within-leeway'
        | 'bad-signature'
        | 'alg-none'
        | 'hs256-with-public-key'
        | 'other-tenant'
        | 'other-merchant'
        | 'other-store'
        | 'other-organization'
        | 'wrong-issuer'
        | 'wrong-audience'
        | 'other-algorithm-size'
        | 'nbf-past-leeway'
        | 'nbf-within-leeway'
        | 'without-route-scope'
        | 'with-route-scope'
        | 'unknown-kid';
    };

export interface ScenarioFile {
  scenarios: Scenario[];
}

/**
 * One conformance requirement, as a scenario file (specs/scenarios/*.yaml, or a team's own
 * folder) states it: what it draws, the one fault it applies and what must come back.
 */
export interface Scenario {
  id: string;
  title: string;
  family: string;
  severity: 'MUST' | 'SHOULD';
  cites: { default: string } & Record<string, string>;
  requires: Capability[];
  routes?: RouteFilter;
  keyRole?: string;
  maxRuns?: number;
  /** A stateful requirement: the model the engine drives with fast-check commands. */
  model?: 'key-lifecycle' | 'rate-window' | 'token-refresh';
  draw?: Record<string, ArbitrarySpec>;
  fault?: FaultStep[];
  expect: {
    denial?: DenialReason;
    /** Another denial the requirement also allows (with the same binding). */
    orDenial?: DenialReason;
    binding?: BindingKind;
    credential?: 'api_key' | 'jwt' | 'session_token' | 'basic';
    accepted?: true;
    sameBinding?: BindingKind;
    /** With accepted: the answer shows the drawn cap request's held value at its `at` ($name). */
    capHeld?: string;
    agreesWithModel?: true;
    headers?: string[];
  };
}
