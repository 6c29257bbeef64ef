/** A profile pattern as an anchored RegExp, compiled once per distinct pattern and kept. */
const cache = new Map<string, RegExp>();

export function anchored(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    cache.set(pattern, re);
  }
  return re;
}
