/**
 * Key management for an organization key holding api_key scopes, on its own organization's keys:
 * create (the full "sk_<id>.<secret>" is shown in this answer only), list (masked: "sk_" and the
 * last four characters), rotate (a new secret for the same id; the old one keeps working for an
 * hour, "zero-downtime credential rotation"), revoke ("immediately invalid", never reactivated)
 * and delete.
 */
import { randomInt } from 'node:crypto';
import { Hono } from 'hono';
import { keyType, orgOf, scope } from './access.ts';
import { fail } from './errors.ts';
import { sha256, type GatewayEnv } from './key-auth.ts';
import { newId } from './organization-routes.ts';
import { fields, jsonBody, text } from './request-body.ts';
import type { ApiKey, World } from './world.ts';

const RESOURCES = [
  'checkout',
  'transaction',
  'client',
  'invoice',
  'data_io',
  'portal',
  'organization',
  'api_key',
];
const ACTIONS = ['create', 'read', 'update', 'delete', 'execute', '*'];
/** "zero-downtime credential rotation": the old secret works for an hour after a rotation. */
export const ROTATION_GRACE_MS = 3600_000;

export function keyRoutes(world: World, rotationGraceMs = ROTATION_GRACE_MS): Hono<GatewayEnv> {
  const r = new Hono<GatewayEnv>();
  r.use(keyType('organization'));
  const now = () => new Date().toISOString();

  r.post('/', scope('api_key:create'), async (c) => {
    const b = fields(await jsonBody(c), { name: text, scopes: isScopeList });
    const secret = newSecret();
    const key: ApiKey = {
      id: unusedKeyId(world),
      secretSha256: sha256(secret),
      last4: secret.slice(-4),
      type: 'organization',
      organization: orgOf(c.var.key),
      name: b.name as string,
      scopes: [...new Set(b.scopes as string[])],
      status: 'active',
      createdAt: now(),
    };
    world.keys.push(key);
    return c.json({ data: { ...shown(key), token: `sk_${key.id}.${secret}` } }, 201);
  });

  r.get('/', scope('api_key:read'), (c) => {
    const org = orgOf(c.var.key);
    const items = world.keys.filter((k) => k.organization === org).map(shown);
    return c.json({ data: { organizationId: org, items } });
  });

  r.post('/:keyId/rotate', scope('api_key:update'), async (c) => {
    const key = ownKey(world, c.req.param('keyId'), orgOf(c.var.key));
    await jsonBody(c);
    // A revoked key never comes back, not even with a new secret.
    if (key.status === 'revoked') fail('BAD_REQUEST');
    const secret = newSecret();
    key.previous = [
      ...(key.previous ?? []).filter((p) => p.untilMs > Date.now()),
      { secretSha256: key.secretSha256, untilMs: Date.now() + rotationGraceMs },
    ];
    key.secretSha256 = sha256(secret);
    key.last4 = secret.slice(-4);
    return c.json({
      data: {
        id: key.id,
        organizationId: key.organization,
        token: `sk_${key.id}.${secret}`,
        rotatedAt: now(),
      },
    });
  });

  r.post('/:keyId/revoke', scope('api_key:update'), async (c) => {
    const key = ownKey(world, c.req.param('keyId'), orgOf(c.var.key));
    await jsonBody(c);
    if (key.status !== 'revoked') {
      key.status = 'revoked';
      key.revokedAt = now();
    }
    return c.json({
      data: {
        id: key.id,
        organizationId: key.organization,
        status: 'revoked',
        revokedAt: key.revokedAt,
      },
    });
  });

  r.delete('/:keyId', scope('api_key:delete'), (c) => {
    const key = ownKey(world, c.req.param('keyId'), orgOf(c.var.key));
    world.keys.splice(world.keys.indexOf(key), 1);
    return c.body(null, 204);
  });

  return r;
}

/** A key as lists show it: never its secret, only "sk_…" and its last four characters. */
function shown(k: ApiKey) {
  return {
    id: k.id,
    organizationId: k.organization,
    name: k.name,
    scopes: k.scopes ?? [],
    token: `sk_…${k.last4}`,
    status: k.status,
    createdAt: k.createdAt,
  };
}

function ownKey(world: World, id: string, org: string): ApiKey {
  const key = world.keys.find((k) => k.id === id && k.organization === org);
  if (!key) fail('NOT_FOUND');
  return key;
}

function isScopeList(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((s) => {
      if (typeof s !== 'string') return false;
      const [resource, action, ...rest] = s.split(':');
      return rest.length === 0 && RESOURCES.includes(resource!) && ACTIONS.includes(action ?? '');
    })
  );
}

function newSecret(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 40; i++) s += chars[randomInt(chars.length)];
  return s;
}

function unusedKeyId(world: World): string {
  for (;;) {
    const id = newId('');
    if (!world.keys.some((k) => k.id === id)) return id;
  }
}
