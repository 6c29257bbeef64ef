/**
 * `${NAME}` placeholders in a route's request body: NAME is a resource of the credentials file (a
 * client, a transaction, the merchant). The harness fills them with the target's own ids; the mock
 * reads them to know which body fields reference a record it must check, as it checks path ids.
 */

const WHOLE = /^\$\{([A-Za-z][A-Za-z0-9_.-]*)\}$/;
const ANY = /\$\{([A-Za-z][A-Za-z0-9_.-]*)\}/g;

/** The value with every placeholder replaced by `resolve(NAME)`; a whole-string one keeps its type. */
export function fillPlaceholders(value: unknown, resolve: (name: string) => string): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return resolve(whole[1]!);
    return value.replace(ANY, (_, name: string) => resolve(name));
  }
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, resolve));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, resolve)]),
    );
  return value;
}

/** Every resource name the value's placeholders use. */
export function placeholderNames(value: unknown): string[] {
  const out = new Set<string>();
  fillPlaceholders(value, (name) => {
    out.add(name);
    return '';
  });
  return [...out];
}

/** Top-level body fields whose value is exactly one placeholder: field -> resource name. */
export function referencedFields(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const out: Record<string, string> = {};
  for (const [field, v] of Object.entries(body)) {
    const m = typeof v === 'string' ? WHOLE.exec(v) : null;
    if (m) out[field] = m[1]!;
  }
  return out;
}
