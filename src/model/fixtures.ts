/** The typed form of specs/schemas/fixtures.schema.json: the mock's seeded world. */
import type { Environment } from './profile.ts';
import type { KeyRole } from './credentials.ts';

export interface Party {
  id: string;
  name?: string;
  tenant?: string;
  organization?: string;
  numericId?: boolean;
}

export interface FixtureKey {
  id: string;
  value: string;
  format: string;
  status: 'active' | 'revoked';
  name?: string;
  description?: string;
  createdAt?: string;
  expiresAt?: string;
  revokedAt?: string;
  scopes?: string[];
  tenant?: string;
  merchant?: string;
  store?: string;
  organization?: string;
}

export interface FixtureUser {
  id: string;
  email: string;
  password: string;
  role?: string;
  tenant?: string;
  merchant?: string;
  store?: string;
  organization?: string;
  scopes?: string[];
}

/** An OAuth 2.0 client the mock's client-credentials token endpoint issues tokens to. */
export interface FixtureClient {
  id: string;
  secret: string;
  scopes?: string[];
  tenant?: string;
  merchant?: string;
  store?: string;
  organization?: string;
}

export interface FixtureJwtKey {
  kid: string;
  token: string;
  alg: string;
  secret?: string;
  privateKeyPem?: string;
  publicKeyPem?: string;
}

export interface FixtureHmacSecret {
  merchant: string;
  /** The key id the signature names, where it is not the merchant id. */
  keyId?: string;
  secret?: string;
  privateKeyPem?: string;
  publicKeyPem?: string;
  key?: string;
}

export interface FixtureRecord {
  id: string;
  environment?: Environment;
  tenant?: string;
  merchant?: string;
  store?: string;
  organization?: string;
  [field: string]: unknown;
}

export interface FixtureRoles {
  keys?: Partial<Record<Exclude<KeyRole, 'byType'>, string>> & { byType?: Record<string, string> };
  hmac?: string;
  otherMerchantHmac?: string;
  jwt?: string;
  login?: string;
  client?: string;
  resources?: Record<string, string>;
}

export interface Fixtures {
  profile: string;
  tenants?: Party[];
  merchants?: Party[];
  stores?: Party[];
  organizations?: Party[];
  keys: FixtureKey[];
  users?: FixtureUser[];
  clients?: FixtureClient[];
  jwtKeys?: FixtureJwtKey[];
  hmacSecrets?: FixtureHmacSecret[];
  records?: Record<string, FixtureRecord[]>;
  roles: FixtureRoles;
}
