/**
 * The Date header's value (RFC 9110 §5.6.7, IMF-fixdate) for a time on the mock's clock. It
 * changes once a second, and every answer carries one: formatted once per second, not per answer.
 */
let second = NaN;
let text = '';

export function httpDate(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s !== second) {
    text = new Date(s * 1000).toUTCString();
    second = s;
  }
  return text;
}

let isoMs = NaN;
let isoText = '';

/**
 * The ISO 8601 text of a time on the mock's clock (`${now}` in an example), formatted once per
 * millisecond: under load, many answers of one millisecond show the same time.
 */
export function isoTime(ms: number): string {
  if (ms !== isoMs) {
    isoText = new Date(ms).toISOString();
    isoMs = ms;
  }
  return isoText;
}
