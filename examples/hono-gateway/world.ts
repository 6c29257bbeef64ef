/**
 * The gateway's data: read once from a YAML file, then held in memory. A key is stored as its id
 * and the SHA-256 of its secret (the full "sk_<id>.<secret>" is shown once, when created or
 * rotated); a rotated key remembers its previous secrets and until when each still works.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ApiKey {
  id: string;
  secretSha256: string;
  last4: string;
  type: 'organization' | 'system';
  /** Absent on system keys: they "transcend individual organizations". */
  organization?: string;
  name: string;
  scopes?: string[];
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt?: string;
  /** Secrets replaced by a rotation, each working until `untilMs`. */
  previous?: { secretSha256: string; untilMs: number }[];
}

export interface OrgRecord {
  id: string;
  organization: string;
  createdAt: string;
}

export interface Transaction extends OrgRecord {
  amount: number;
  currency: string;
  status: string;
}

export interface Client extends OrgRecord {
  name: string;
  email: string;
}

export interface Invoice extends OrgRecord {
  clientId: string;
  amount: number;
  currency: string;
  status: string;
  dueDate: string;
  updatedAt?: string;
}

export interface Schedule extends OrgRecord {
  clientId: string;
  amount: number;
  currency: string;
  interval: string;
  startDate: string;
  status: string;
}

export interface World {
  organizations: { id: string; name: string; status: string; createdAt?: string }[];
  keys: ApiKey[];
  transactions: Transaction[];
  clients: Client[];
  invoices: Invoice[];
  schedules: Schedule[];
  settings: { portalMagicLinkTtlMinutes: number };
}

export function loadWorld(file: string): World {
  return parse(readFileSync(file, 'utf8')) as World;
}
