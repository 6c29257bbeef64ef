/**
 * The LuxCore routes of specs/profiles/luxcore.yaml, each declaring its scope, rate class and
 * whether it is signed (API v2) as data. Handlers see only the authenticated key's merchant and
 * environment: an id of another merchant or environment is answered like an id that never
 * existed (not_found), as is a deleted webhook or an already cancelled payment.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from './errors.ts';
import type { RateClass } from './rate-limit.ts';
import type { Weakness } from './weaknesses.ts';
import { ownRecord, type ApiKey, type Payment, type Webhook, type World } from './world.ts';

export interface Call {
  key: ApiKey;
  params: Record<string, string>;
  /** The parsed JSON body; undefined when none was sent. */
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  path: RegExp;
  scope: string;
  rateClass: RateClass;
  signed: boolean;
  handle: (call: Call) => Reply;
}

const UUID = '([0-9a-fA-F-]{36})';

function fields(body: unknown, required: boolean): Record<string, unknown> {
  if (body === undefined && !required) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError('bad_request');
  return body as Record<string, unknown>;
}

function paymentJson(p: Payment) {
  return {
    id: p.id,
    merchant_id: p.merchant,
    amount: p.amount,
    currency: p.currency,
    ...(p.description !== undefined ? { description: p.description } : {}),
    status: p.status,
    created_at: p.created_at,
  };
}

function webhookJson(w: Webhook) {
  return { id: w.id, merchant_id: w.merchant, url: w.url, created_at: w.created_at };
}

function httpsUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) throw new ApiError('bad_request');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiError('bad_request');
  }
  if (url.protocol !== 'https:') throw new ApiError('bad_request');
  return value;
}

export function luxcoreRoutes(world: World, weakness?: Weakness): Route[] {
  const createPayment = ({ key, body }: Call): Reply => {
    const { amount, currency, description } = fields(body, true);
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1)
      throw new ApiError('bad_request');
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
      throw new ApiError('bad_request');
    if (description !== undefined && (typeof description !== 'string' || description.length > 500))
      throw new ApiError('bad_request');
    const payment: Payment = {
      id: randomUUID(),
      merchant: key.merchant,
      environment: key.environment,
      amount,
      currency,
      ...(description !== undefined ? { description } : {}),
      status: 'pending',
      created_at: new Date().toISOString(),
    };
    world.payments.set(payment.id, payment);
    return { status: 201, body: paymentJson(payment) };
  };

  const findPayment = (id: string, key: ApiKey): Payment => {
    const payment =
      weakness === 'environment-blind'
        ? (ownRecord(world.payments, id, { merchant: key.merchant, environment: 'test' }) ??
          ownRecord(world.payments, id, { merchant: key.merchant, environment: 'live' }))
        : ownRecord(world.payments, id, key);
    if (!payment) throw new ApiError('not_found');
    return payment;
  };

  const findWebhook = (id: string, key: ApiKey): Webhook => {
    const webhook = ownRecord(world.webhooks, id, key);
    if (!webhook) throw new ApiError('not_found');
    return webhook;
  };

  const route = (
    method: string,
    path: string,
    scope: string,
    handle: Route['handle'],
    more: Partial<Pick<Route, 'rateClass' | 'signed'>> = {},
  ): Route => ({
    method,
    path: new RegExp(`^${path.replaceAll('{id}', UUID)}$`),
    scope,
    rateClass: more.rateClass ?? 'standard',
    signed: more.signed ?? false,
    handle,
  });

  return [
    route('POST', '/api/v1/payments', 'payments.create', createPayment, { rateClass: 'payment' }),
    route('GET', '/api/v1/payments', 'payments.read', ({ key }) => ({
      status: 200,
      body: {
        data: [...world.payments.values()]
          .filter((p) => p.merchant === key.merchant && p.environment === key.environment)
          .map(paymentJson),
        has_more: false,
      },
    })),
    route('GET', '/api/v1/payments/{id}', 'payments.read', ({ key, params }) => ({
      status: 200,
      body: paymentJson(findPayment(params.id!, key)),
    })),
    // "payments.cancel | Cancel pending payments": only a pending payment is cancellable; a
    // cancelled one is no cancellable payment by that id (not_found).
    route('POST', '/api/v1/payments/{id}/cancel', 'payments.cancel', ({ key, params, body }) => {
      const { reason } = fields(body, false);
      if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500))
        throw new ApiError('bad_request');
      const payment = findPayment(params.id!, key);
      if (payment.status !== 'pending') throw new ApiError('not_found');
      payment.status = 'cancelled';
      return { status: 200, body: paymentJson(payment) };
    }),
    route('GET', '/api/v1/payment-methods', 'payments.methods', () => ({
      status: 200,
      body: { data: world.paymentMethods },
    })),
    route('POST', '/api/v1/webhooks', 'webhooks.create', ({ key, body }) => {
      const webhook: Webhook = {
        id: randomUUID(),
        merchant: key.merchant,
        environment: key.environment,
        url: httpsUrl(fields(body, true).url),
        created_at: new Date().toISOString(),
      };
      world.webhooks.set(webhook.id, webhook);
      return { status: 201, body: webhookJson(webhook) };
    }),
    route('GET', '/api/v1/webhooks', 'webhooks.read', ({ key }) => ({
      status: 200,
      body: {
        data: [...world.webhooks.values()]
          .filter((w) => w.merchant === key.merchant && w.environment === key.environment)
          .map(webhookJson),
        has_more: false,
      },
    })),
    route('GET', '/api/v1/webhooks/{id}', 'webhooks.read', ({ key, params }) => ({
      status: 200,
      body: webhookJson(findWebhook(params.id!, key)),
    })),
    route('PATCH', '/api/v1/webhooks/{id}', 'webhooks.update', ({ key, params, body }) => {
      const { url } = fields(body, true);
      const webhook = findWebhook(params.id!, key);
      if (url !== undefined) webhook.url = httpsUrl(url);
      return { status: 200, body: webhookJson(webhook) };
    }),
    route('DELETE', '/api/v1/webhooks/{id}', 'webhooks.delete', ({ key, params }) => {
      const webhook = findWebhook(params.id!, key);
      if (weakness !== 'webhook-delete-keeps') world.webhooks.delete(webhook.id);
      return { status: 204 };
    }),
    route('GET', '/api/v1/balance', 'balance.read', ({ key }) => ({
      status: 200,
      body: {
        merchant_id: key.merchant,
        balances: world.balances
          .filter((b) => b.merchant === key.merchant && b.environment === key.environment)
          .map(({ currency, available, pending }) => ({ currency, available, pending })),
      },
    })),
    route('POST', '/api/v2/payments', 'payments.create', createPayment, {
      rateClass: 'payment',
      signed: true,
    }),
  ];
}
