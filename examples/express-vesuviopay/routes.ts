/**
 * The VesuvioPay SDK routes. Each declares who may call it (key types, customer JWT, store in the
 * path) as middleware in its definition; the handlers only read and write the store's data.
 * A record is looked up in the key's environment first ("Isolated test data": another
 * environment's record does not exist for the key) and then in its store (another store's record
 * is NO_STORE_ACCESS, as the guide's "accessing wrong store" example).
 */
import { randomUUID } from 'node:crypto';
import express, { Router, type Response } from 'express';
import { keyOf, keyTypes, storeInPath, apiKeyAuth } from './api-key-auth.ts';
import { customerJwt, customerOf } from './customer-jwt.ts';
import { ApiError } from './errors.ts';
import type { RateWindow } from './rate-window.ts';
import type { Cart, StoreRecord, World } from './world.ts';

export function vesuvioRoutes(world: World, rate: RateWindow): Router {
  const r = Router();
  const key = apiKeyAuth(world, rate);
  const jwt = customerJwt(world.customerTokens);
  // Bodies are parsed only once the caller is known (after the key check).
  const json = express.json({ limit: '100kb' });
  const any = keyTypes('publishable', 'secret');
  const secret = keyTypes('secret');
  const now = () => new Date().toISOString();

  r.get('/api/v1/customers/:customerId', key, secret, (req, res) => {
    const c = ownRecord(world.customers, req.params.customerId, res);
    const { store: storeId, environment: _env, ...rest } = c;
    res.json({ success: true, data: { ...rest, storeId } });
  });

  r.get('/api/v1/sdk/cart/:storeId', key, any, storeInPath, jwt, (_req, res) => {
    res.json({ success: true, data: cartBody(cartOf(world, res)) });
  });

  r.post('/api/v1/sdk/cart/:storeId/items', key, any, storeInPath, jwt, json, (req, res) => {
    const { productId, quantity } = (req.body ?? {}) as { productId?: unknown; quantity?: unknown };
    if (typeof productId !== 'string' || !Number.isInteger(quantity) || (quantity as number) < 1)
      throw new ApiError('BAD_REQUEST');
    const k = keyOf(res);
    const product = world.products.find(
      (p) => p.id === productId && p.store === k.store && p.environment === k.environment,
    );
    if (!product) throw new ApiError('NOT_FOUND');
    const cart = cartOf(world, res);
    const line = cart.items.find((i) => i.productId === productId);
    if (line) line.quantity += quantity as number;
    else cart.items.push({ productId, quantity: quantity as number, unitPrice: product.price });
    cart.updatedAt = now();
    res.json({ success: true, data: cartBody(cart) });
  });

  r.get('/api/v1/sdk/store/:storeId/config', key, any, storeInPath, (req, res) => {
    const s = storeOf(world, req.params.storeId as string);
    res.json({
      success: true,
      data: {
        storeId: s.id,
        name: s.name,
        currency: s.currency,
        locale: s.locale,
        branding: { logoUrl: s.logoUrl, primaryColor: s.primaryColor },
      },
    });
  });

  r.get('/api/v1/sdk/products/:productId/availability', key, any, (req, res) => {
    const p = ownRecord(world.products, req.params.productId, res);
    res.json({
      success: true,
      data: {
        productId: p.id,
        storeId: p.store,
        available: p.stockQuantity > 0,
        stockQuantity: p.stockQuantity,
        checkedAt: now(),
      },
    });
  });

  r.get('/api/v1/sdk/store/:storeId/checkout-settings', key, any, storeInPath, (req, res) => {
    const s = storeOf(world, req.params.storeId as string);
    res.json({
      success: true,
      data: {
        storeId: s.id,
        currency: s.currency,
        guestCheckoutEnabled: s.guestCheckoutEnabled,
        requirePhoneVerification: s.requirePhoneVerification,
        paymentMethods: s.paymentMethods,
      },
    });
  });

  r.post('/api/v1/products/sync', key, secret, json, (req, res) => {
    const products = (req.body as { products?: unknown } | undefined)?.products;
    if (!Array.isArray(products) || !products.every(isProductInput))
      throw new ApiError('BAD_REQUEST');
    const k = keyOf(res);
    let created = 0;
    for (const input of products) {
      const existing = world.products.find(
        (p) =>
          p.externalId === input.externalId &&
          p.store === k.store &&
          p.environment === k.environment,
      );
      if (existing) Object.assign(existing, { name: input.name, price: input.price });
      else {
        created++;
        world.products.push({
          id: randomUUID(),
          store: k.store,
          environment: k.environment,
          externalId: input.externalId,
          name: input.name,
          price: input.price,
          stockQuantity: input.stockQuantity ?? 0,
        });
      }
    }
    res.json({
      success: true,
      data: {
        storeId: k.store,
        received: products.length,
        created,
        updated: products.length - created,
        syncedAt: now(),
      },
    });
  });

  r.get('/api/v1/orders', key, secret, (_req, res) => {
    const k = keyOf(res);
    const orders = world.orders
      .filter((o) => o.store === k.store && o.environment === k.environment)
      .map(({ store, environment: _env, ...o }) => ({ ...o, storeId: store }));
    res.json({ success: true, data: { storeId: k.store, orders } });
  });

  r.post('/api/v1/webhooks', key, secret, json, (req, res) => {
    const { url, events } = (req.body ?? {}) as { url?: unknown; events?: unknown };
    if (!isHttpUrl(url) || !Array.isArray(events) || events.length === 0)
      throw new ApiError('BAD_REQUEST');
    if (!events.every((e) => typeof e === 'string' && e.length > 0))
      throw new ApiError('BAD_REQUEST');
    const k = keyOf(res);
    const hook = {
      id: randomUUID(),
      store: k.store,
      environment: k.environment,
      url,
      events: events as string[],
      active: true,
      createdAt: now(),
    };
    world.webhooks.push(hook);
    const { store, environment: _env, ...data } = hook;
    res.status(201).json({ success: true, data: { ...data, storeId: store } });
  });

  return r;
}

/** A record of the key's environment and store, by id. */
function ownRecord<T extends StoreRecord>(list: T[], id: unknown, res: Response): T {
  const k = keyOf(res);
  const record = list.find((x) => x.id === id && x.environment === k.environment);
  if (!record) throw new ApiError('NOT_FOUND');
  if (record.store !== k.store) throw new ApiError('NO_STORE_ACCESS');
  return record;
}

function storeOf(world: World, id: string) {
  const s = world.stores.find((x) => x.id === id);
  if (!s) throw new ApiError('NOT_FOUND');
  return s;
}

/** The calling customer's cart in the path's store, created empty on first use. */
function cartOf(world: World, res: Response): Cart {
  const k = keyOf(res);
  const customer = customerOf(res);
  let cart = world.carts.find(
    (c) => c.store === k.store && c.environment === k.environment && c.customerId === customer.id,
  );
  if (!cart) {
    cart = {
      id: randomUUID(),
      store: k.store,
      environment: k.environment,
      customerId: customer.id,
      items: [],
      updatedAt: new Date().toISOString(),
    };
    world.carts.push(cart);
  }
  return cart;
}

function cartBody(cart: Cart) {
  const subtotal = cart.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
  return {
    id: cart.id,
    storeId: cart.store,
    customerId: cart.customerId,
    items: cart.items,
    subtotal,
    currency: 'EUR',
    updatedAt: cart.updatedAt,
  };
}

interface ProductInput {
  externalId: string;
  name: string;
  price: number;
  stockQuantity?: number;
}

function isProductInput(x: unknown): x is ProductInput {
  const p = x as Partial<ProductInput> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.externalId === 'string' &&
    typeof p.name === 'string' &&
    typeof p.price === 'number' &&
    p.price >= 0 &&
    (p.stockQuantity === undefined || (Number.isInteger(p.stockQuantity) && p.stockQuantity >= 0))
  );
}

function isHttpUrl(x: unknown): x is string {
  if (typeof x !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(x).protocol);
  } catch {
    return false;
  }
}
