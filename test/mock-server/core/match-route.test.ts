// The mock's route table (mock-server/core/match-route.ts): the first route of the profile whose
// method and path template take the request wins, a trailing slash allowed, path parameters
// decoded; a route without parameters is looked up directly, which must not change the winner.
import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../mock-server/core/match-route.ts';
import type { Route } from '../../../src/model/profile.ts';

const route = (id: string, method: Route['method'], path: string): Route =>
  ({ id, method, path, auth: [], success: { status: 200 } }) as unknown as Route;

describe('the route table', () => {
  it('answers a fixed path and the same path with one trailing slash, for its method only', () => {
    const table = new RouteTable([
      route('list', 'GET', '/v1/items'),
      route('make', 'POST', '/v1/items'),
    ]);
    expect(table.match('GET', '/v1/items')?.route.id).toBe('list');
    expect(table.match('get', '/v1/items/')?.route.id).toBe('list');
    expect(table.match('POST', '/v1/items')?.route.id).toBe('make');
    expect(table.match('GET', '/v1/items//')).toBeUndefined();
    expect(table.match('DELETE', '/v1/items')).toBeUndefined();
  });

  it('keeps the profile order: an earlier route with a parameter taking the path wins over a fixed one', () => {
    const table = new RouteTable([
      route('one', 'GET', '/v1/items/{id}'),
      route('search', 'GET', '/v1/items/search'),
      route('export', 'GET', '/v1/export'),
      route('export-again', 'GET', '/v1/export'),
    ]);
    expect(table.match('GET', '/v1/items/search')).toEqual({
      route: expect.objectContaining({ id: 'one' }),
      params: { id: 'search' },
    });
    expect(table.match('GET', '/v1/items/search/')?.route.id).toBe('one');
    expect(table.match('GET', '/v1/export')?.route.id).toBe('export');
  });

  it('decodes path parameters and answers none for a malformed escape', () => {
    const table = new RouteTable([route('one', 'GET', '/v1/items/{id}')]);
    expect(table.match('GET', '/v1/items/a%20b')?.params).toEqual({ id: 'a b' });
    expect(table.match('GET', '/v1/items/%E0%A4%A')).toBeUndefined();
  });
});
