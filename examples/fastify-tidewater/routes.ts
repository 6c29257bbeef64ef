/**
 * The Tidewater v2 routes. Each route's options declare who may call it: the key types and scope
 * (serverKey), request signing (signed), or the driver token. Handlers only read and write the
 * account's data, in the key's mode: a test key sees test shipments only.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { driverToken } from './driver-jwt.ts';
import { Problem } from './problem.ts';
import { signedRequest } from './request-signature.ts';
import { RateWindow, serverKeyAuth } from './server-key.ts';
import type { Address, ApiKey, Label, Shipment, World } from './world.ts';
import type { Clock } from './server.ts';

/** Registers the routes; `forget` drops their nonces and rate windows (a test deployment's reset). */
export function tidewaterRoutes(
  app: FastifyInstance,
  world: World,
  clock: Clock,
  opts: { replayWindowMs?: number } = {},
): { forget(): void } {
  const rate = new RateWindow(120, 60);
  const serverKey = serverKeyAuth(world, rate, clock);
  const signing = signedRequest(world, clock, opts.replayWindowMs);
  const signed = signing.check;
  const now = () => new Date(clock.now()).toISOString();

  app.get(
    '/v2/shipments',
    { onRequest: serverKey({ types: ['secret'], scope: 'read:shipments' }) },
    async (req) => ({
      object: 'list',
      data: world.shipments.filter((s) => visibleTo(s, keyOf(req))).map(shipmentBody),
      hasMore: false,
    }),
  );

  app.get<{ Params: { shipmentId: string } }>(
    '/v2/shipments/:shipmentId',
    { onRequest: serverKey({ types: ['secret'], scope: 'read:shipments' }) },
    async (req) => shipmentBody(ownShipment(world, req.params.shipmentId, keyOf(req))),
  );

  app.post(
    '/v2/shipments',
    { onRequest: serverKey({ types: ['secret'], scope: 'write:shipments' }), preHandler: signed },
    async (req, reply) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const reference = b.reference;
      if (typeof reference !== 'string' || reference === '' || !isRoute(b))
        throw new Problem('invalid_request');
      const key = keyOf(req);
      const shipment: Shipment = {
        id: newId('shp_', 14),
        account: key.account,
        livemode: key.environment === 'live',
        reference,
        from: b.from,
        to: b.to,
        parcels: b.parcels,
        status: 'created',
        createdAt: now(),
      };
      world.shipments.push(shipment);
      return reply.code(201).send(shipmentBody(shipment));
    },
  );

  // One label per parcel sent: buying again adds a label with its own tracking number.
  app.post<{ Params: { shipmentId: string } }>(
    '/v2/shipments/:shipmentId/labels',
    { onRequest: serverKey({ types: ['secret'], scope: 'write:labels' }), preHandler: signed },
    async (req, reply) => {
      const shipment = ownShipment(world, req.params.shipmentId, keyOf(req));
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (b.carrier !== 'nordline' && b.carrier !== 'fjordpost')
        throw new Problem('invalid_request');
      if (b.service !== 'economy' && b.service !== 'express') throw new Problem('invalid_request');
      const label: Label = {
        id: newId('lbl_', 14),
        shipment: shipment.id,
        carrier: b.carrier,
        service: b.service,
        trackingNumber: `TW${newId('', 10, '0123456789')}NO`,
        createdAt: now(),
      };
      world.labels.push(label);
      if (shipment.status === 'created') shipment.status = 'labelled';
      return reply.code(201).send({
        object: 'label',
        ...label,
        labelUrl: `https://files.tidewater.example/labels/${label.id}.pdf`,
      });
    },
  );

  app.post(
    '/v2/rates/quote',
    { onRequest: serverKey({ types: ['secret', 'publishable'], scope: 'read:rates' }) },
    async (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (!isRoute(b)) throw new Problem('invalid_request');
      const grams = b.parcels.reduce((sum, p) => sum + p.weightGrams, 0);
      const base = 4900 + Math.ceil(grams / 1000) * 1500;
      return {
        object: 'list',
        data: [
          {
            carrier: 'nordline',
            service: 'economy',
            amount: base,
            currency: 'NOK',
            estimatedDays: 3,
          },
          {
            carrier: 'nordline',
            service: 'express',
            amount: base * 2,
            currency: 'NOK',
            estimatedDays: 1,
          },
        ],
      };
    },
  );

  app.get<{ Params: { trackingNumber: string } }>(
    '/v2/tracking/:trackingNumber',
    { onRequest: serverKey({ types: ['secret', 'publishable'], scope: 'read:tracking' }) },
    async (req) => {
      const label = world.labels.find((l) => l.trackingNumber === req.params.trackingNumber);
      const s = world.shipments.find((x) => x.id === label?.shipment);
      if (!label || !s || !visibleTo(s, keyOf(req))) throw new Problem('not_found');
      const inTransit = s.status === 'in_transit' || s.status === 'delivered';
      return {
        object: 'tracking',
        trackingNumber: label.trackingNumber,
        status: inTransit ? 'in_transit' : 'label_created',
        events: [
          {
            at: s.createdAt,
            status: 'label_created',
            location: `${s.from.postalCode} ${s.from.country}`,
          },
          ...(inTransit
            ? [{ at: s.createdAt, status: 'in_transit', location: 'Nordline hub Oslo' }]
            : []),
        ],
      };
    },
  );

  app.get('/v2/driver/assignments', { onRequest: driverToken(clock) }, async (req) => {
    const driver = world.drivers.find(
      (d) => d.id === req.user.sub && d.account === req.user.account,
    );
    return { object: 'list', driver: req.user.sub, data: driver?.assignments ?? [] };
  });
  return {
    forget: () => {
      rate.clear();
      signing.forget();
    },
  };
}

function keyOf(req: FastifyRequest): ApiKey {
  return req.apiKey!;
}

function visibleTo(s: Shipment, key: ApiKey): boolean {
  return s.account === key.account && s.livemode === (key.environment === 'live');
}

/** A shipment of the key's account and mode; any other is answered as absent. */
function ownShipment(world: World, id: string, key: ApiKey): Shipment {
  const s = world.shipments.find((x) => x.id === id && visibleTo(x, key));
  if (!s) throw new Problem('not_found');
  return s;
}

function shipmentBody(s: Shipment) {
  return { object: 'shipment', ...s };
}

function isAddress(a: unknown): a is Address {
  const x = a as Partial<Address> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.postalCode === 'string' &&
    x.postalCode !== '' &&
    typeof x.country === 'string' &&
    /^[A-Z]{2}$/.test(x.country)
  );
}

function isRoute(
  b: Record<string, unknown>,
): b is { from: Address; to: Address; parcels: { weightGrams: number }[] } {
  return (
    isAddress(b.from) &&
    isAddress(b.to) &&
    Array.isArray(b.parcels) &&
    b.parcels.length > 0 &&
    b.parcels.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        Number.isInteger((p as { weightGrams?: unknown }).weightGrams) &&
        (p as { weightGrams: number }).weightGrams >= 1,
    )
  );
}

function newId(
  prefix: string,
  length: number,
  chars = 'abcdefghijklmnopqrstuvwxyz0123456789',
): string {
  let id = prefix;
  for (let i = 0; i < length; i++) id += chars[randomInt(chars.length)];
  return id;
}
