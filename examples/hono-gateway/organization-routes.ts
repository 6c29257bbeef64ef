/**
 * The routes an organization key calls for its own organization: checkouts, transactions,
 * clients, invoices, recurring schedules, data exports, portal links. The organization always
 * comes from the key ("The backend resolves the organization from the key automatically"): an
 * X-Organization-ID header is never read, and a record of another organization is NOT_FOUND.
 */
import { randomInt } from 'node:crypto';
import { Hono } from 'hono';
import { keyType, orgOf, scope } from './access.ts';
import { fail } from './errors.ts';
import type { GatewayEnv } from './key-auth.ts';
import {
  currency,
  email,
  fields,
  isoDate,
  jsonBody,
  oneOf,
  optionalText,
  positiveInt,
  text,
} from './request-body.ts';
import type { OrgRecord, World } from './world.ts';

export function organizationRoutes(world: World): Hono<GatewayEnv> {
  const r = new Hono<GatewayEnv>();
  // Per route, not r.use(): this app is mounted at /api/v1 beside the system routes.
  const orgKey = keyType('organization');
  const now = () => new Date().toISOString();

  r.post('/checkouts', orgKey, scope('checkout:create'), async (c) => {
    const b = fields(await jsonBody(c), {
      amount: positiveInt,
      currency,
      description: optionalText,
    });
    const id = newId('chk');
    return c.json(
      {
        data: {
          id,
          organizationId: orgOf(c.var.key),
          amount: b.amount,
          currency: b.currency,
          ...(b.description !== undefined ? { description: b.description } : {}),
          status: 'open',
          url: `https://pay.gateway.example/c/${id}`,
          createdAt: now(),
        },
      },
      201,
    );
  });

  r.get('/transactions/:transactionId', orgKey, scope('transaction:read'), (c) => {
    const { organization, ...t } = own(world.transactions, c.req.param('transactionId'), c.var.key);
    return c.json({ data: { ...t, organizationId: organization } });
  });

  // Refunds are queued for the processor, which settles them against the captured amount later.
  r.post('/transactions/:transactionId/refunds', orgKey, scope('transaction:update'), async (c) => {
    const t = own(world.transactions, c.req.param('transactionId'), c.var.key);
    const b = fields(await jsonBody(c), { amount: positiveInt, reason: optionalText });
    return c.json(
      {
        data: {
          id: newId('rfd'),
          organizationId: t.organization,
          transactionId: t.id,
          amount: b.amount,
          ...(b.reason !== undefined ? { reason: b.reason } : {}),
          status: 'pending',
          createdAt: now(),
        },
      },
      201,
    );
  });

  r.get('/clients', orgKey, scope('client:read'), (c) => {
    const org = orgOf(c.var.key);
    const items = world.clients
      .filter((x) => x.organization === org)
      .map(({ organization, ...x }) => ({ ...x, organizationId: organization }));
    return c.json({ data: { organizationId: org, items } });
  });

  r.post('/clients', orgKey, scope('client:create'), async (c) => {
    const b = fields(await jsonBody(c), { name: text, email });
    const client = {
      id: newId('cli'),
      organization: orgOf(c.var.key),
      name: b.name as string,
      email: b.email as string,
      createdAt: now(),
    };
    world.clients.push(client);
    const { organization, ...data } = client;
    return c.json({ data: { ...data, organizationId: organization } }, 201);
  });

  r.get('/invoices', orgKey, scope('invoice:read'), (c) => {
    const org = orgOf(c.var.key);
    const items = world.invoices
      .filter((x) => x.organization === org)
      .map(({ organization, ...x }) => ({ ...x, organizationId: organization }));
    return c.json({ data: { organizationId: org, items } });
  });

  r.post('/invoices', orgKey, scope('invoice:create'), async (c) => {
    const b = fields(await jsonBody(c), {
      clientId: text,
      amount: positiveInt,
      currency,
      dueDate: isoDate,
    });
    own(world.clients, b.clientId, c.var.key);
    const invoice = {
      id: newId('inv'),
      organization: orgOf(c.var.key),
      clientId: b.clientId as string,
      amount: b.amount as number,
      currency: b.currency as string,
      status: 'open',
      dueDate: b.dueDate as string,
      createdAt: now(),
    };
    world.invoices.push(invoice);
    const { organization, ...data } = invoice;
    return c.json({ data: { ...data, organizationId: organization } }, 201);
  });

  r.patch('/invoices/:invoiceId', orgKey, scope('invoice:update'), async (c) => {
    const invoice = own(world.invoices, c.req.param('invoiceId'), c.var.key);
    const b = await jsonBody(c);
    const ok = (k: string, check: (v: unknown) => boolean) => b[k] === undefined || check(b[k]);
    if (
      !ok('dueDate', isoDate) ||
      !ok('amount', positiveInt) ||
      !ok('status', oneOf('draft', 'open', 'paid', 'void'))
    )
      fail('BAD_REQUEST');
    Object.assign(invoice, pick(b, ['dueDate', 'amount', 'status']), { updatedAt: now() });
    const { organization, ...data } = invoice;
    return c.json({ data: { ...data, organizationId: organization } });
  });

  // "Recurring schedules are part of the invoice scope family."
  r.post('/recurring-schedules', orgKey, scope('invoice:create'), async (c) => {
    const b = fields(await jsonBody(c), {
      clientId: text,
      amount: positiveInt,
      currency,
      interval: oneOf('weekly', 'monthly', 'yearly'),
      startDate: isoDate,
    });
    own(world.clients, b.clientId, c.var.key);
    const schedule = {
      id: newId('sch'),
      organization: orgOf(c.var.key),
      clientId: b.clientId as string,
      amount: b.amount as number,
      currency: b.currency as string,
      interval: b.interval as string,
      startDate: b.startDate as string,
      status: 'active',
      createdAt: now(),
    };
    world.schedules.push(schedule);
    const { organization, ...data } = schedule;
    return c.json({ data: { ...data, organizationId: organization } }, 201);
  });

  r.post('/recurring-schedules/:scheduleId/run', orgKey, scope('invoice:execute'), async (c) => {
    const s = own(world.schedules, c.req.param('scheduleId'), c.var.key);
    await jsonBody(c);
    const invoice = {
      id: newId('inv'),
      organization: s.organization,
      clientId: s.clientId,
      amount: s.amount,
      currency: s.currency,
      status: 'open',
      dueDate: new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10),
      createdAt: now(),
    };
    world.invoices.push(invoice);
    return c.json({
      data: {
        scheduleId: s.id,
        organizationId: s.organization,
        invoiceId: invoice.id,
        runAt: now(),
      },
    });
  });

  r.post('/data-io/exports', orgKey, scope('data_io:execute'), async (c) => {
    const b = fields(await jsonBody(c), {
      entity: oneOf('transactions', 'clients', 'invoices'),
      format: oneOf('csv', 'json'),
    });
    return c.json(
      {
        data: {
          id: newId('exp'),
          organizationId: orgOf(c.var.key),
          entity: b.entity,
          format: b.format,
          status: 'queued',
          createdAt: now(),
        },
      },
      202,
    );
  });

  // "The backend will cap that value to the system portal magic-link TTL."
  r.post('/portal/magic-links', orgKey, scope('portal:create'), async (c) => {
    const b = fields(await jsonBody(c), {
      clientId: text,
      ttlMinutes: (v) => v === undefined || positiveInt(v),
    });
    const client = own(world.clients, b.clientId, c.var.key);
    const cap = world.settings.portalMagicLinkTtlMinutes;
    const ttl = Math.min((b.ttlMinutes as number | undefined) ?? cap, cap);
    return c.json(
      {
        data: {
          organizationId: client.organization,
          clientId: client.id,
          url: `https://portal.gateway.example/magic/${newId('ml')}`,
          ttlMinutes: ttl,
          expiresAt: new Date(Date.now() + ttl * 60_000).toISOString(),
        },
      },
      201,
    );
  });

  r.get('/organization', orgKey, scope('organization:read'), (c) => {
    const org = world.organizations.find((o) => o.id === orgOf(c.var.key));
    if (!org) fail('NOT_FOUND');
    return c.json({ data: { organizationId: org.id, status: org.status } });
  });

  return r;
}

/** A record of the key's organization; another organization's is answered as if absent. */
export function own<T extends OrgRecord>(
  list: T[],
  id: unknown,
  key: { organization?: string },
): T {
  const record = list.find((x) => x.id === id && x.organization === key.organization);
  if (!record) fail('NOT_FOUND');
  return record;
}

/** prefix + "_" + 16 lower-case letters and digits, the id style of this API. */
export function newId(prefix: string): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 16; i++) id += chars[randomInt(chars.length)];
  return prefix ? `${prefix}_${id}` : id;
}

function pick(body: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => body[n] !== undefined).map((n) => [n, body[n]]));
}
