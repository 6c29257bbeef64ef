/**
 * The guide's scope table: a route names the canonical scope, and a key holding its alias
 * ("payments.view | View payment details (alias for payments.read)") is granted the same.
 */
import { ApiError } from './errors.ts';
import type { ApiKey } from './world.ts';

const ALIASES: Record<string, string> = {
  'payments.view': 'payments.read',
  'webhooks.view': 'webhooks.read',
  'balance.view': 'balance.read',
};

/** Throws insufficient_scope unless the key holds `scope` (itself or through an alias). */
export function requireScope(key: ApiKey, scope: string, honourAliases = true): void {
  if (key.scopes === undefined) return;
  const held = key.scopes.map((s) => (honourAliases ? (ALIASES[s] ?? s) : s));
  if (!held.includes(scope)) throw new ApiError('insufficient_scope');
}
