/**
 * The server's data: read once from a YAML file at start, then held in memory. API keys are kept
 * as SHA-256 hashes of the whole key; signing secrets as issued (the server recomputes HMACs).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type Environment = 'test' | 'live';

export interface ApiKey {
  id: string;
  sha256: string;
  type: 'secret' | 'publishable';
  environment: Environment;
  account: string;
  status: 'active' | 'revoked';
  expiresAt?: string;
  /** Absent: every scope. */
  scopes?: string[];
}

export interface SigningKey {
  id: string;
  account: string;
  secret: string;
}

export interface Address {
  postalCode: string;
  country: string;
}

export interface Shipment {
  id: string;
  account: string;
  livemode: boolean;
  reference: string;
  from: Address;
  to: Address;
  parcels: { weightGrams: number }[];
  status: 'created' | 'labelled' | 'in_transit' | 'delivered';
  createdAt: string;
}

export interface Label {
  id: string;
  shipment: string;
  carrier: string;
  service: 'economy' | 'express';
  trackingNumber: string;
  createdAt: string;
}

export interface Driver {
  id: string;
  account: string;
  assignments: { shipment: string; stop: number; window: string }[];
}

export interface World {
  accounts: { id: string; name: string }[];
  keys: ApiKey[];
  signingKeys: SigningKey[];
  driverTokens: { issuer: string; audience: string; publicKeyPem: string };
  shipments: Shipment[];
  labels: Label[];
  drivers: Driver[];
}

export function loadWorld(file: string): World {
  return parse(readFileSync(file, 'utf8')) as World;
}

export function keyByValue(world: World, value: string): ApiKey | undefined {
  const hash = createHash('sha256').update(value).digest('hex');
  return world.keys.find((k) => k.sha256 === hash);
}
