/**
 * Every known secret in a text replaced by its masked form (prefix + last four), in whatever form
 * a target echoed it: raw, JSON-, percent- or entity-escaped, base64 or base64url
 * (secret-forms.ts). An encoded echo is masked as `[escaped qp_test_sk_…9f3a]` or
 * `[base64 qp_test_sk_…9f3a]`: the decoded secret's prefix and last four, and how it came back.
 */
import type { Credentials } from '../model/credentials.ts';
import { maskSecret } from './mask.ts';
import { decodedView, replaceSecrets } from './secret-forms.ts';

export function secretsOf(creds: Credentials, extra: Iterable<string> = []): string[] {
  const out = new Set<string>(extra);
  const keys = creds.keys ?? {};
  for (const [role, k] of Object.entries(keys)) {
    if (role === 'byType')
      for (const t of Object.values(k as Record<string, { value: string }>)) out.add(t.value);
    else out.add((k as { value: string }).value);
  }
  for (const h of [creds.hmac, creds.otherMerchantHmac]) {
    if (h?.secret) out.add(h.secret);
    if (h?.privateKeyPem) out.add(h.privateKeyPem);
  }
  if (creds.jwt?.secret) out.add(creds.jwt.secret);
  if (creds.jwt?.privateKeyPem) out.add(creds.jwt.privateKeyPem);
  if (creds.login) out.add(creds.login.password);
  if (creds.client) out.add(creds.client.secret);
  return [...out].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
}

/**
 * A signed JWT anywhere in a text: every token the harness obtains or mints is a live bearer
 * credential (a valid one works for its whole lifetime), known to the run or not.
 */
const SIGNED_JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}/g;

/**
 * HTTP Basic credentials (RFC 7617) left whole once the known secrets are masked: base64 of
 * `id:secret` where the secret is not one of the run's (a faulty one: another last character,
 * no colon) still decodes to almost all of a secret, so it is masked whole too.
 */
const BASIC_CREDENTIALS = /(\bBasic[ \t]+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=[])/gi;

export function maskKnownSecrets(text: string, secrets: readonly string[]): string {
  const out = replaceSecrets(text, secrets, (s, form) =>
    form === 'raw' ? maskSecret(s) : `[${form} ${maskSecret(s)}]`,
  );
  return maskEscapedJwts(
    out
      .replace(SIGNED_JWT, (jwt) => maskSecret(jwt))
      .replace(BASIC_CREDENTIALS, (_, word: string, b64: string) => word + maskSecret(b64)),
  );
}

/** A signed JWT that reads whole only once its escapes are decoded (`\u002e` for a dot). */
function maskEscapedJwts(text: string): string {
  const view = decodedView(text);
  if (!view) return text;
  let out = '';
  let at = 0;
  for (const m of view.text.matchAll(SIGNED_JWT)) {
    const start = view.starts[m.index]!;
    out += `${text.slice(at, start)}[escaped ${maskSecret(m[0])}]`;
    at = view.ends[m.index + m[0].length - 1]!;
  }
  return out + text.slice(at);
}
