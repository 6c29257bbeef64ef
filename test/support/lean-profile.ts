import type { Profile } from '../../src/model/profile.ts';

/**
 * A profile written as lean as issue 17 allows, as an object: an API key, a route that needs a
 * scope and names a record; errors and denials as given (no default filled in).
 */
export function leanProfile(errors: Profile['errors'], denials: Profile['denials'] = {}): Profile {
  return {
    id: 'lean',
    name: 'Lean',
    version: '1',
    source: 'a test',
    credentials: { apiKey: { kind: 'api_key', in: 'header', name: 'X-Key', formats: ['key'] } },
    keyFormats: { key: { prefix: 'k_', pattern: 'k_[a-z]{8}', type: 'secret' } },
    scopes: { vocabulary: ['orders:read'] },
    routes: [
      {
        id: 'order',
        method: 'GET',
        path: '/orders/{id}',
        auth: ['apiKey'],
        scope: 'orders:read',
        params: { id: 'order' },
        success: { status: 200 },
      },
    ],
    errors,
    denials,
  };
}
