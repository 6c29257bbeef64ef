/**
 * The one way a credential is shown outside fixtures: its prefix and its last four characters
 * (`lv_erp_…9f3a`). The prefix is the format's when known, else a leading run that looks like a
 * key prefix. Short secrets show nothing but their length class.
 */
const ELLIPSIS = '…';

export function maskSecret(value: string, knownPrefix?: string): string {
  if (value.length <= 8) return '*'.repeat(Math.max(4, value.length));
  const prefix =
    knownPrefix !== undefined &&
    value.startsWith(knownPrefix) &&
    knownPrefix.length <= value.length - 8
      ? knownPrefix
      : guessPrefix(value);
  return `${prefix}${ELLIPSIS}${value.slice(-4)}`;
}

function guessPrefix(value: string): string {
  // Only what looks like a key prefix (lower-case words joined by _ or -, ending in one, at most
  // 12 characters) and leaves at least 16 characters hidden: a password or a random secret that
  // happens to hold a dash shows nothing but its last four.
  const m = /^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*[_-]/.exec(value.slice(0, 12));
  return m && value.length - m[0].length >= 16 ? m[0] : '';
}
