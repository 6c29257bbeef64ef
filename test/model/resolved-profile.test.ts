import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/model/profile.ts';
import {
  credentialById,
  errorById,
  ProfileReferenceError,
  resolveReferences,
  routeById,
} from '../../src/model/resolved-profile.ts';
import { resolveProfile as loadBuiltIn } from '../../src/spec/builtin-specs.ts';
import { signingOf } from '../../src/sign/signers.ts';

/** A profile built in code, as a user of the programmatic API may: no file behind it. */
function builtInCode(): Profile {
  return {
    id: 'coded',
    name: 'Coded',
    version: '1',
    source: 'a test',
    credentials: {
      apiKey: { kind: 'api_key', in: 'header', name: 'X-Key', formats: ['live'] },
      jwt: { kind: 'jwt', in: 'bearer', token: 'access' },
    },
    keyFormats: { live: { prefix: 'k_', pattern: '^k_[a-z]+$', type: 'secret' } },
    tokens: {
      access: {
        kind: 'jwt',
        algorithms: ['HS256'],
        lifetimeSeconds: 60,
        leewaySeconds: 0,
        issue: { route: 'login' },
      },
    },
    rateLimits: { standard: { per: 'key', limit: 5, windowSeconds: 1 } },
    routes: [
      { id: 'login', method: 'POST', path: '/login', auth: 'public', success: { status: 200 } },
      {
        id: 'orders',
        method: 'GET',
        path: '/orders',
        auth: ['apiKey', ['jwt', 'apiKey']],
        rateClass: 'standard',
        success: { status: 200 },
      },
    ],
    errors: { unauthorized: { status: 401, schema: 'error.schema.json', body: {} } },
    denials: { malformed_request: 'unauthorized' },
  };
}

describe('resolveReferences', () => {
  it('gives each route its credentials as objects, each alternative and each once', () => {
    const profile = resolveReferences(builtInCode());
    const orders = routeById(profile, 'orders');
    expect(orders.alternatives.map((alt) => alt.map((c) => c.id))).toEqual([
      ['apiKey'],
      ['jwt', 'apiKey'],
    ]);
    expect(orders.credentials.map((c) => c.id)).toEqual(['apiKey', 'jwt']);
    expect(orders.credentials[0]).toBe(profile.credentials['apiKey']);
    expect(orders.credentials[0]?.keyFormats.map((f) => f.id)).toEqual(['live']);
    expect(routeById(profile, 'login').credentials).toEqual([]);
  });

  it('gives each route its rate limit and token, and each token the route that issues it', () => {
    const profile = resolveReferences(builtInCode());
    const orders = routeById(profile, 'orders');
    expect(orders.rateLimit).toMatchObject({ id: 'standard', limit: 5 });
    expect(orders.token?.credential.id).toBe('jwt');
    expect(orders.token?.spec.issueRoute).toBe(routeById(profile, 'login'));
    expect(routeById(profile, 'login').token).toBeUndefined();
  });

  it('gives a signed route its signing entry, whose signer is had without a lookup', () => {
    const profile = loadBuiltIn('luxcore').profile;
    const signed = routeById(profile, 'payments-create-v2');
    expect(signed.signedWith).toEqual({ id: 'v1', config: profile.signing?.['v1'] });
    expect(signingOf(signed)?.parts.nonce).toBeDefined();
    expect(profile.routes.filter((r) => r.signing === undefined && r.signedWith)).toEqual([]);
  });

  it('names each dangling id of a profile built in code, with where it is', () => {
    const broken = builtInCode();
    broken.routes[1]!.auth = ['apiKey', ['jwt', 'nobody']];
    broken.routes[1]!.rateClass = 'premium';
    broken.credentials['jwt']!.token = 'refresh';
    const error = (() => {
      try {
        resolveReferences(broken);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProfileReferenceError);
    const message = (error as Error).message;
    expect(message).toContain('routes[1] (orders).auth[1]: unknown credential "nobody"');
    expect(message).toContain('routes[1] (orders).rateClass: unknown rate class "premium"');
    expect(message).toContain('credentials.jwt.token: unknown token "refresh"; defined: access');
  });

  it('leaves its input as it was, and resolves a changed copy anew', () => {
    const source = builtInCode();
    const before = structuredClone(source);
    const profile = resolveReferences(source);
    expect(source).toEqual(before);

    const copy = structuredClone(profile);
    copy.routes[1]!.auth = 'public';
    delete copy.routes[1]!.rateClass;
    delete copy.credentials['jwt']!.token;
    const again = resolveReferences(copy);
    expect(again.routes[1]?.credentials).toEqual([]);
    expect(again.routes[1]?.rateLimit).toBeUndefined();
    expect(again.credentials['jwt']?.tokenSpec).toBeUndefined();
  });

  it('throws a clear error for an id the profile does not define', () => {
    const profile = resolveReferences(builtInCode());
    expect(() => credentialById(profile, 'apikey')).toThrow(
      'profile "coded": no credential "apikey"; defined: apiKey, jwt',
    );
    expect(() => errorById(profile, 'forbidden')).toThrow('no error "forbidden"');
    expect(() => routeById(profile, 'refunds')).toThrow(
      'no route "refunds"; defined: login, orders',
    );
  });

  it('resolves every built-in profile', () => {
    for (const id of ['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay']) {
      const { profile } = loadBuiltIn(id);
      for (const route of profile.routes) {
        const ids = route.auth === 'public' ? [] : route.auth.flat();
        expect(route.credentials.map((c) => c.id)).toEqual([...new Set(ids)]);
      }
    }
  });
});
