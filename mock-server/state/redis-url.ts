/**
 * A Redis URL as the store takes it, checked before connecting, and shown with its password
 * masked. Apart from the store, so that the CLI checks its flag without loading the client.
 */

/** A Redis the store cannot use: a bad URL, no answer, or an eviction policy that forgets. */
export class RedisStoreError extends Error {
  override name = 'RedisStoreError';
}

/** Throws RedisStoreError for what is not redis[s]://[user:password@]host[:port][/db]; answers it masked. */
export function checkRedisUrl(url: string): string {
  const shown = maskUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisStoreError(`"${shown}" is not a URL: redis://HOST:6379[/DB]`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new RedisStoreError(
      `"${shown}" is not a Redis URL (${parsed.protocol}): redis://HOST:6379[/DB]`,
    );
  if (parsed.hostname === '')
    throw new RedisStoreError(`"${shown}" names no host: redis://HOST:6379[/DB]`);
  if (!/^(\/\d*)?$/.test(parsed.pathname))
    throw new RedisStoreError(
      `"${shown}": the path must be a database number (/0, /1, ...), got "${parsed.pathname}"`,
    );
  return shown;
}

/** A Redis URL with its password masked (a secret is never printed whole). */
export function maskUrl(url: string): string {
  return url.replace(
    /^([a-z]+:\/\/[^:/@]*:)([^@]*)@/i,
    (_, head: string, pw: string) => `${head}${pw.length > 8 ? '****' + pw.slice(-4) : '****'}@`,
  );
}
