/**
 * The one way a credential is shown outside fixtures: its prefix and its last four characters
 * (`lv_erp_…9f3a`). The prefix is the format's when known, else the leading run up to the last
 * `_` or `-` within the first 16 characters. Short secrets show nothing but their length class.
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
  const head = value.slice(0, Math.min(16, value.length - 8));
  const cut = Math.max(head.lastIndexOf('_'), head.lastIndexOf('-'));
  return cut >= 0 ? head.slice(0, cut + 1) : '';
}
