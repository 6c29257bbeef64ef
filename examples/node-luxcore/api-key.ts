/**
 * X-API-Key authentication: "Include your API key in the X-API-Key header with every request".
 * The key decides the merchant and the environment ("The environment is determined by your API
 * key type"). Keys are looked up by their SHA-256, so the server never holds a key in plain.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.ts';
import type { ApiKey, Environment, World } from './world.ts';

/** The guide's two prefixes; the profile takes 32 ASCII letters/digits after them. */
const KEY_FORMATS: { pattern: RegExp; environment: Environment }[] = [
  { pattern: /^qp_prod_sk_[A-Za-z0-9]{32}$/, environment: 'live' },
  { pattern: /^qp_test_sk_[A-Za-z0-9]{32}$/, environment: 'test' },
];

/** The active key the request carries, or the profile's 401 (missing, invalid, deactivated). */
export function authenticateKey(headers: IncomingHttpHeaders, world: World): ApiKey {
  // node:http lower-cases header names, so any letter case of X-API-Key arrives here.
  const sent = headers['x-api-key'];
  if (sent === undefined || sent === '') throw new ApiError('missing_api_key');
  if (Array.isArray(sent)) throw new ApiError('bad_request');
  const format = KEY_FORMATS.find((f) => f.pattern.test(sent));
  if (!format) throw new ApiError('invalid_api_key');
  const key = world.keysByHash.get(createHash('sha256').update(sent).digest('hex'));
  // A key stored under another environment than its prefix says cannot be genuine.
  if (!key || key.environment !== format.environment) throw new ApiError('invalid_api_key');
  if (key.status !== 'active') throw new ApiError('api_key_revoked');
  return key;
}
