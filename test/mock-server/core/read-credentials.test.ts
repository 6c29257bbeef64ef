// The mock reads an API key from a query parameter or a cookie as a header key from its header:
// the value as sent, decoded; absent or empty is missing; a malformed escape is read as sent (a
// key that matches nothing, refused as such), never an exception that would answer 5xx.
import { describe, expect, it } from 'vitest';
import { readCredential } from '../../../mock-server/core/read-credentials.ts';
import type { MockRequest } from '../../../mock-server/core/mock-types.ts';
import type { Credential } from '../../../src/model/profile.ts';

const query: Credential = { kind: 'api_key', in: 'query', name: 'api_key' };
const cookie: Credential = { kind: 'api_key', in: 'cookie', name: 'tg_key' };
const req = (pathWithQuery: string, headers: Record<string, string> = {}): MockRequest => ({
  method: 'GET',
  path: pathWithQuery.split('?')[0]!,
  pathWithQuery,
  headers,
  body: new Uint8Array(),
});

describe('reading an API key from a query parameter or a cookie', () => {
  it('reads the query parameter of its name, URL-decoded, among others', () => {
    expect(readCredential(query, req('/t?z=7&api_key=tg_a%2Bb&x=1'), undefined)).toBe('tg_a+b');
  });

  it('reads the cookie of its name among others in the Cookie header', () => {
    const r = req('/a', { cookie: 'theme=dark; tg_key=tg_abc; lang=en' });
    expect(readCredential(cookie, r, undefined)).toBe('tg_abc');
  });

  it('finds no key where it is absent or empty, or sent in another place', () => {
    expect(readCredential(query, req('/t?api_key='), undefined)).toBeUndefined();
    expect(readCredential(query, req('/t', { api_key: 'tg_abc' }), undefined)).toBeUndefined();
    expect(readCredential(cookie, req('/a?tg_key=tg_abc'), undefined)).toBeUndefined();
    expect(
      readCredential(cookie, req('/a', { cookie: 'tg_keyx=tg_abc' }), undefined),
    ).toBeUndefined();
  });

  it('reads a malformed escape as sent rather than failing', () => {
    expect(readCredential(cookie, req('/a', { cookie: 'tg_key=%E0%A4%A' }), undefined)).toBe(
      '%E0%A4%A',
    );
    expect(() => readCredential(query, req('/t?api_key=%E0%A4%A'), undefined)).not.toThrow();
  });
});
