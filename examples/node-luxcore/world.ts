/**
 * The server's data: read once from a YAML file, then held in memory and changed by the API
 * (payments created and cancelled, webhooks created, modified and deleted). Every record belongs
 * to one merchant and one environment: "Balance operations use test balances isolated from
 * production", and the environment "is determined by your API key type".
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type Environment = 'test' | 'live';

export interface Merchant {
  id: string;
  name: string;
  /** The payment HMAC secret "issued during onboarding or API v2 enablement". */
  hmacSecret: string;
}

export interface ApiKey {
  id: string;
  /** SHA-256 (hex) of the key as sent; the key itself is never stored. */
  sha256: string;
  merchant: string;
  environment: Environment;
  status: 'active' | 'revoked';
  /** Absent: every scope of the guide's table. */
  scopes?: string[];
}

/** Who a record belongs to: a key sees only records of its own merchant and environment. */
export interface Owned {
  merchant: string;
  environment: Environment;
}

export interface Payment extends Owned {
  id: string;
  amount: number;
  currency: string;
  description?: string;
  status: 'pending' | 'cancelled';
  created_at: string;
}

export interface Webhook extends Owned {
  id: string;
  url: string;
  created_at: string;
}

export interface Balance extends Owned {
  currency: string;
  available: number;
  pending: number;
}

export interface PaymentMethod {
  method: string;
  currencies: string[];
  enabled: boolean;
}

export interface World {
  merchants: Map<string, Merchant>;
  /** By the SHA-256 of the key. */
  keysByHash: Map<string, ApiKey>;
  payments: Map<string, Payment>;
  webhooks: Map<string, Webhook>;
  balances: Balance[];
  paymentMethods: PaymentMethod[];
}

interface WorldFile {
  merchants: Merchant[];
  keys: ApiKey[];
  payments: Payment[];
  webhooks: Webhook[];
  balances: Balance[];
  paymentMethods: PaymentMethod[];
}

/** A fresh world from `file`: each call gives its own copy, so servers never share state. */
export function loadWorld(file: string): World {
  const data = parse(readFileSync(file, 'utf8')) as WorldFile;
  return {
    merchants: new Map(data.merchants.map((m) => [m.id, m])),
    keysByHash: new Map(data.keys.map((k) => [k.sha256, k])),
    payments: new Map(data.payments.map((p) => [p.id, p])),
    webhooks: new Map(data.webhooks.map((w) => [w.id, w])),
    balances: data.balances,
    paymentMethods: data.paymentMethods,
  };
}

/** The record if it exists and belongs to the caller's merchant and environment. */
export function ownRecord<T extends Owned>(
  records: Map<string, T>,
  id: string,
  caller: Owned,
): T | undefined {
  const record = records.get(id);
  if (!record) return undefined;
  return record.merchant === caller.merchant && record.environment === caller.environment
    ? record
    : undefined;
}
