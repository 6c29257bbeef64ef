/**
 * The server's data: read once from a YAML file at start, then held in memory. API keys are kept
 * as SHA-256 hashes (a key is shown to its owner once, when issued), so the data file can be read
 * by anyone who runs the server without handing them working keys.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type Environment = 'test' | 'live';

export interface Store {
  id: string;
  name: string;
  currency: string;
  locale: string;
  logoUrl: string;
  primaryColor: string;
  guestCheckoutEnabled: boolean;
  requirePhoneVerification: boolean;
  paymentMethods: string[];
}

export interface ApiKey {
  id: string;
  sha256: string;
  type: 'secret' | 'publishable';
  environment: Environment;
  store: string;
  status: 'active' | 'revoked';
  revokedAt?: string;
  expiresAt?: string;
}

/** What every record of a store carries: whose it is and which environment it lives in. */
export interface StoreRecord {
  id: string;
  store: string;
  environment: Environment;
}

export interface Customer extends StoreRecord {
  email: string;
  phone: string;
  firstName: string;
  lastName: string;
  createdAt: string;
}

export interface Product extends StoreRecord {
  externalId: string;
  name: string;
  price: number;
  stockQuantity: number;
}

export interface Order extends StoreRecord {
  customerId: string;
  status: string;
  total: number;
  currency: string;
  createdAt: string;
}

export interface CartItem {
  productId: string;
  quantity: number;
  unitPrice: number;
}

export interface Cart extends StoreRecord {
  customerId: string;
  items: CartItem[];
  updatedAt: string;
}

export interface Webhook extends StoreRecord {
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
}

export interface CustomerTokenKeys {
  issuer: string;
  audience: string;
  keys: { kid: string; publicKeyPem: string }[];
}

export interface World {
  stores: Store[];
  keys: ApiKey[];
  customerTokens: CustomerTokenKeys;
  customers: Customer[];
  products: Product[];
  orders: Order[];
  carts: Cart[];
  webhooks: Webhook[];
}

export function loadWorld(file: string): World {
  const data = parse(readFileSync(file, 'utf8')) as Omit<World, 'carts' | 'webhooks'>;
  return { ...data, carts: [], webhooks: [] };
}

export function keyByValue(world: World, value: string): ApiKey | undefined {
  const hash = createHash('sha256').update(value).digest('hex');
  return world.keys.find((k) => k.sha256 === hash);
}
