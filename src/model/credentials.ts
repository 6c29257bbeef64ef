/** The typed form of specs/schemas/credentials.schema.json: what a run is given, by role. */
import type { Environment } from './profile.ts';

export const KEY_ROLES = [
  'valid',
  'revoked',
  'expired',
  'scopeLimited',
  'wildcard',
  'otherTenant',
  'otherMerchant',
  'sameMerchant',
  'second',
  'otherStore',
  'otherOrganization',
  'publishable',
  'test',
  'live',
  'system',
] as const;
export type KeyRole = (typeof KEY_ROLES)[number] | 'byType';

export interface CredentialKey {
  value: string;
  id?: string;
  format?: string;
  type?: string;
  environment?: Environment;
  tenant?: string;
  merchant?: string;
  store?: string;
  organization?: string;
  scopes?: string[];
}

export interface HmacIdentity {
  /** The merchant header's value: the key id of the header HMAC scheme. */
  merchant?: string;
  /** The key id, where it is not a merchant id (an access key id, a Hawk id, a keyid). */
  keyId?: string;
  secret?: string;
  privateKeyPem?: string;
  publicKeyPem?: string;
  keyRole?: string;
}

export interface JwtMaterial {
  token?: string;
  alg?: string;
  kid?: string;
  secret?: string;
  privateKeyPem?: string;
  publicKeyPem?: string;
  issuer?: string;
  audience?: string;
  claims?: Record<string, unknown>;
}

/**
 * The keys and secrets provisioned for a run against a target (a credentials file, as
 * `loadCredentials()` reads it): one entry per role a scenario draws on. A role left out makes
 * the scenarios that need it SKIP, saying so.
 */
export interface Credentials {
  profile: string;
  keys?: Partial<Record<(typeof KEY_ROLES)[number], CredentialKey>> & {
    byType?: Record<string, CredentialKey>;
  };
  hmac?: HmacIdentity;
  otherMerchantHmac?: HmacIdentity;
  jwt?: JwtMaterial;
  login?: { email: string; password: string; tenant?: string };
  /** An OAuth 2.0 client (RFC 6749 §2.3.1), for tokens obtained by a client-credentials grant. */
  client?: { id: string; secret: string };
  resources?: Record<string, string>;
}
