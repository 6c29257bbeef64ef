/**
 * Scenario ids and families that were renamed, old -> new. The signing scenarios were named
 * after HMAC while they apply to every signing scheme (SigV4, Hawk, RFC 9421, a module); a
 * waivers file, a baseline report or a `--scenario` term written before the rename still means
 * the same requirement.
 */
export const RENAMED: Readonly<Record<string, string>> = {
  'hmac-body-tampered': 'signature-body-tampered',
  'hmac-query-tampered': 'signature-query-tampered',
  'hmac-signature-missing': 'signature-missing',
  'hmac-wrong-signature-version': 'signature-wrong-version',
  'hmac-signature-tail-changed': 'signature-tail-changed',
  'hmac-signature-truncated': 'signature-truncated',
  'hmac-tamper': 'signature-tamper',
};

/** The current id (or family) of a possibly old one. */
export function currentName(name: string): string {
  return RENAMED[name] ?? name;
}
