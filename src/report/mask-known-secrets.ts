/** Every known secret in a text replaced by its masked form (prefix + last four). */
import type { Credentials } from '../model/credentials.ts';
import { maskSecret } from '../secrets/mask.ts';

export function secretsOf(creds: Credentials, extra: Iterable<string> = []): string[] {
  const out = new Set<string>(extra);
  const keys = creds.keys ?? {};
  for (const [role, k] of Object.entries(keys)) {
    if (role === 'byType')
      for (const t of Object.values(k as Record<string, { value: string }>)) out.add(t.value);
    else out.add((k as { value: string }).value);
  }
  for (const h of [creds.hmac, creds.otherMerchantHmac]) if (h) out.add(h.secret);
  if (creds.jwt?.secret) out.add(creds.jwt.secret);
  if (creds.jwt?.privateKeyPem) out.add(creds.jwt.privateKeyPem);
  if (creds.login) out.add(creds.login.password);
  return [...out].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
}

/**
 * A signed JWT anywhere in a text: every token the harness obtains or mints is a live bearer
 * credential (a valid one works for its whole lifetime), known to the run or not.
 */
const SIGNED_JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}/g;

export function maskKnownSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(maskSecret(s));
  return out.replace(SIGNED_JWT, (jwt) => maskSecret(jwt));
}
