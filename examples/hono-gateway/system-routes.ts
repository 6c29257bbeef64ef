/**
 * System routes, for system keys only ("Provisioning entirely new Organizations ... Managing global
 * system settings ... System-wide health monitoring"). System keys hold no scopes: the key type
 * is the whole gate.
 */
import { Hono } from 'hono';
import { keyType } from './access.ts';
import type { GatewayEnv } from './key-auth.ts';
import { newId } from './organization-routes.ts';
import { fields, jsonBody, positiveInt, text } from './request-body.ts';
import type { World } from './world.ts';

export function systemRoutes(world: World): Hono<GatewayEnv> {
  const r = new Hono<GatewayEnv>();
  r.use(keyType('system'));
  const now = () => new Date().toISOString();

  r.post('/organizations', async (c) => {
    const b = fields(await jsonBody(c), { name: text });
    const org = { id: newId('org'), name: b.name as string, status: 'active', createdAt: now() };
    world.organizations.push(org);
    return c.json({ data: org }, 201);
  });

  r.get('/health', (c) => c.json({ data: { status: 'ok', checkedAt: now() } }));

  r.patch('/settings', async (c) => {
    const b = fields(await jsonBody(c), { portalMagicLinkTtlMinutes: positiveInt });
    world.settings.portalMagicLinkTtlMinutes = b.portalMagicLinkTtlMinutes as number;
    return c.json({ data: { ...world.settings, updatedAt: now() } });
  });

  return r;
}
