/**
 * Tidewater-Key authentication for a route, as one Fastify onRequest hook built from what the
 * route declares (the key types it accepts and the scope it needs). In order: the key (shape,
 * known, not revoked, not expired), its rate window, the Tidewater-Account header (present and
 * the key's own account), the key type, the scope. The key is left on request.apiKey.
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { Problem } from './problem.ts';
import { keyByValue, type ApiKey, type World } from './world.ts';
import type { Clock } from './server.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

const KEY_SHAPE = /^tw[kp]_(?:test|live)_[0-9a-f]{40}$/;
/** v1's scope names, still honoured. */
const ALIASES: Record<string, string> = {
  'shipments.read': 'read:shipments',
  'labels.write': 'write:labels',
};

export interface KeyRule {
  types: ApiKey['type'][];
  scope: string;
}

export function serverKeyAuth(world: World, rate: RateWindow, clock: Clock) {
  return (rule: KeyRule): onRequestAsyncHookHandler =>
    async (req) => {
      const value = req.headers['tidewater-key'];
      if (value === undefined || value === '') throw new Problem('key_missing');
      if (typeof value !== 'string' || !KEY_SHAPE.test(value)) throw new Problem('key_invalid');
      const key = keyByValue(world, value);
      if (!key) throw new Problem('key_invalid');
      if (key.status === 'revoked') throw new Problem('key_revoked');
      if (key.expiresAt !== undefined && Date.parse(key.expiresAt) <= clock.now())
        throw new Problem('key_expired');
      const wait = rate.take(key.id, clock.now());
      if (wait !== undefined) throw new Problem('rate_limited', wait);
      requireAccount(req, key.account);
      if (!rule.types.includes(key.type)) throw new Problem('key_type_forbidden');
      if (key.scopes !== undefined && !grants(key.scopes, rule.scope))
        throw new Problem('scope_missing');
      req.apiKey = key;
    };
}

/** The Tidewater-Account header names the credential's own account. */
export function requireAccount(req: FastifyRequest, account: string): void {
  const named = req.headers['tidewater-account'];
  if (named === undefined || named === '') throw new Problem('account_required');
  if (named !== account) throw new Problem('account_mismatch');
}

/** Exact scope, its v1 alias, or the action wildcard (read:* grants read:shipments). */
export function grants(held: string[], needed: string): boolean {
  const action = needed.split(':')[0];
  return held.map((s) => ALIASES[s] ?? s).some((s) => s === needed || s === `${action}:*`);
}

/** A fixed window of `limit` requests per key; the seconds to wait when it is spent. */
export class RateWindow {
  private readonly windows = new Map<string, { startedMs: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  take(keyId: string, nowMs: number): number | undefined {
    let w = this.windows.get(keyId);
    if (!w || nowMs - w.startedMs >= this.windowSeconds * 1000) {
      w = { startedMs: nowMs, count: 0 };
      this.windows.set(keyId, w);
    }
    if (w.count >= this.limit)
      return Math.max(1, Math.ceil((w.startedMs + this.windowSeconds * 1000 - nowMs) / 1000));
    w.count++;
    return undefined;
  }

  /** Every window forgotten (a reset of the test deployment). */
  clear(): void {
    this.windows.clear();
  }
}
