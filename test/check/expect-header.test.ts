import { describe, expect, it } from 'vitest';
import { expectDeclaredHeaders } from '../../src/check/expect-header.ts';
import type { ReceivedResponse } from '../../src/request/outgoing-request.ts';

const denial = (headers: Record<string, string>): ReceivedResponse => ({
  status: 401,
  headers,
  body: {},
  rawBody: '{}',
});
const bearer = { 'WWW-Authenticate': 'Bearer' };

describe("expectDeclaredHeaders: a denial carries the headers of the profile's error", () => {
  it('fails a 401 without the WWW-Authenticate its error states', () => {
    expect(() => expectDeclaredHeaders(denial({}), bearer, 'missing key')).toThrow(
      /missing key: the profile's error carries WWW-Authenticate: Bearer; the 401 answer has no WWW-Authenticate header/,
    );
  });

  it('fails a challenge of another scheme', () => {
    expect(() =>
      expectDeclaredHeaders(denial({ 'www-authenticate': 'Basic realm="api"' }), bearer, 'x'),
    ).toThrow(/expected WWW-Authenticate: Bearer/);
    expect(() =>
      expectDeclaredHeaders(denial({ 'www-authenticate': 'Bearerish' }), bearer, 'x'),
    ).toThrow(/expected WWW-Authenticate: Bearer/);
  });

  it('passes the scheme in any case, with or without parameters (RFC 9110 §11.6.1)', () => {
    for (const v of ['Bearer', 'bearer', 'Bearer realm="api", error="invalid_token"'])
      expect(() =>
        expectDeclaredHeaders(denial({ 'www-authenticate': v }), bearer, 'x'),
      ).not.toThrow();
  });

  it('reads a value with spaces as a description: only the header must be there', () => {
    const declared = { 'Retry-After': 'Seconds until the window frees a request.' };
    expect(() =>
      expectDeclaredHeaders(denial({ 'retry-after': '12' }), declared, 'x'),
    ).not.toThrow();
    expect(() => expectDeclaredHeaders(denial({}), declared, 'x')).toThrow(/no Retry-After/);
    expect(() => expectDeclaredHeaders(denial({ 'retry-after': 'soon' }), declared, 'x')).toThrow(
      /Retry-After must be seconds or an HTTP date/,
    );
  });
});
