import type { ReceivedResponse } from '../request/outgoing-request.ts';
import { CheckFailure } from './check-failure.ts';

export function expectHeader(res: ReceivedResponse, name: string): void {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined || value.trim() === '') {
    throw new CheckFailure(
      'expectHeader',
      `expected a ${name} header on the ${res.status} answer, found none`,
    );
  }
  if (
    name.toLowerCase() === 'retry-after' &&
    !/^\d+$/.test(value.trim()) &&
    Number.isNaN(Date.parse(value))
  ) {
    throw new CheckFailure(
      'expectHeader',
      `Retry-After must be seconds or an HTTP date, found ${JSON.stringify(value)}`,
    );
  }
}

/** An HTTP token (RFC 9110 §5.6.2): a declared value that is one is literal, else a description. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The headers the profile's error states, on a denial that answers with that error. Each must be
 * there; a value the profile gives as a single token (`WWW-Authenticate: Bearer`) is what the
 * answer's value must be or begin with (a challenge may add parameters: `Bearer realm="api"`,
 * RFC 9110 §11.6.1, its scheme matched case-insensitively); a value with spaces is a description
 * (`Retry-After: seconds until ...`) and only the header's presence (and for Retry-After its form)
 * is checked.
 */
export function expectDeclaredHeaders(
  res: ReceivedResponse,
  declared: Readonly<Record<string, string>>,
  what: string,
): void {
  for (const [name, value] of Object.entries(declared)) {
    const got = res.headers[name.toLowerCase()];
    if (got === undefined || got.trim() === '') {
      throw new CheckFailure(
        'expectHeader',
        `${what}: the profile's error carries ${name}${TOKEN.test(value) ? `: ${value}` : ''}; the ${res.status} answer has no ${name} header`,
      );
    }
    expectHeader(res, name);
    if (!TOKEN.test(value)) continue;
    const head = got.trim().slice(0, value.length);
    const rest = got.trim().slice(value.length);
    if (head.toLowerCase() !== value.toLowerCase() || !/^(?:$|[\s,])/.test(rest)) {
      throw new CheckFailure(
        'expectHeader',
        `${what}: expected ${name}: ${value} (the profile's error), found ${JSON.stringify(got)}`,
      );
    }
  }
}
