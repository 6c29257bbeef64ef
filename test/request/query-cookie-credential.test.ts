// An API key in a query parameter or a cookie, set, read and removed by the harness: the rest of
// the query and the other cookies stay as sent.
import { describe, expect, it } from 'vitest';
import {
  cookieOf,
  queryParamOf,
  withCookie,
  withoutCookie,
  withoutQueryParam,
  withQueryParam,
} from '../../src/request/query-cookie-credential.ts';

const req = (pathWithQuery: string, headers: Record<string, string> = {}) => ({
  method: 'GET',
  pathWithQuery,
  headers,
});

describe('an API key in the query string', () => {
  it('is appended URL-encoded after the query already there, and read back decoded', () => {
    const path = withQueryParam('/t?z=7', 'api_key', 'tg_a+b/c');
    expect(path).toBe('/t?z=7&api_key=tg_a%2Bb%2Fc');
    expect(queryParamOf(req(path), 'api_key')).toBe('tg_a+b/c');
  });

  it('is removed with every occurrence, the other parameters kept as sent', () => {
    expect(withoutQueryParam(req('/t?z=7&api_key=a&x=%20&api_key=b'), 'api_key')).toEqual(
      req('/t?z=7&x=%20'),
    );
    expect(withoutQueryParam(req('/t?api_key=a'), 'api_key').pathWithQuery).toBe('/t');
  });
});

describe('an API key in a cookie', () => {
  it('is added beside the cookies already sent, and read back', () => {
    const header = withCookie('theme=dark', 'tg_key', 'tg_abc');
    expect(header).toBe('theme=dark; tg_key=tg_abc');
    expect(cookieOf(req('/a', { Cookie: header }), 'tg_key')).toBe('tg_abc');
  });

  it('is removed, the other cookies kept; the Cookie header dropped when it was the only one', () => {
    expect(withoutCookie(req('/a', { Cookie: 'theme=dark; tg_key=x' }), 'tg_key')).toEqual(
      req('/a', { Cookie: 'theme=dark' }),
    );
    expect(withoutCookie(req('/a', { Cookie: 'tg_key=x' }), 'tg_key')).toEqual(req('/a'));
  });
});
