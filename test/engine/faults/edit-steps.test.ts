// The fault steps that change the faulty request once it is built and signed (removeHeader,
// renameHeader, setHeader, setBody, tamper body/query): each changes exactly what it names, so the
// signature or the credential no longer matches, and says N/A (MissingRoleError) where the route
// has nothing for it to act on.
import { describe, expect, it } from 'vitest';
import type { FaultContext } from '../../../src/engine/faults/fault-step.ts';
import { removeHeader } from '../../../src/engine/faults/remove-header.ts';
import { renameHeader } from '../../../src/engine/faults/rename-header.ts';
import { setBody } from '../../../src/engine/faults/set-body.ts';
import { setHeader } from '../../../src/engine/faults/set-header.ts';
import { tamper } from '../../../src/engine/faults/tamper.ts';
import { resolveReferences } from '../../../src/model/resolved-profile.ts';
import type { OutgoingRequest } from '../../../src/request/outgoing-request.ts';
import { MissingRoleError } from '../../../src/request/missing-role-error.ts';
import { builtInFixtures, resolveProfile } from '../../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../../src/spec/fixtures-to-credentials.ts';

// LuxCore's signed v2 payment (HMAC over method, path with query, timestamp, nonce and body).
const profile = resolveReferences(resolveProfile('luxcore').profile);
const creds = fixturesToCredentials(builtInFixtures(profile), profile);
const signedRoute = profile.routes.find((r) => r.id === 'payments-create-v2')!;
const plainRoute = profile.routes.find((r) => r.id === 'payments-list')!;

const SENT: OutgoingRequest = {
  method: 'POST',
  pathWithQuery: '/v2/payments?expand=fees',
  headers: {
    'X-API-Key': 'qp_test_sk_abc',
    'X-Merchant-Id': '100234',
    'X-Signature': 'hmac_sha256=00ff',
    'Content-Type': 'application/json',
  },
  body: '{"amount":4999}',
};

function ctx(route = signedRoute, drawn: Record<string, unknown> = {}): FaultContext {
  return {
    profile,
    creds,
    route,
    positive: SENT,
    buildOptions: { nowSeconds: 1_780_000_000 },
    drawn,
  };
}
const opts = { nowSeconds: 1_780_000_000 };

describe('removeHeader', () => {
  it('leaves out the header a reference names (credential), in whatever case it was sent', () => {
    const out = removeHeader.edit!(ctx(), SENT, { removeHeader: 'credential' }, opts);
    expect(Object.keys(out.headers)).toEqual(['X-Merchant-Id', 'X-Signature', 'Content-Type']);
    const lower = { ...SENT, headers: { 'x-api-key': 'k', Other: 'o' } };
    expect(removeHeader.edit!(ctx(), lower, { removeHeader: 'credential' }, opts).headers).toEqual({
      Other: 'o',
    });
  });

  it('leaves the request as it is when the header is not there, and never changes the original', () => {
    const out = removeHeader.edit!(ctx(), SENT, { removeHeader: 'X-Absent' }, opts);
    expect(out).toEqual(SENT);
    removeHeader.edit!(ctx(), SENT, { removeHeader: 'credential' }, opts);
    expect(SENT.headers['X-API-Key']).toBe('qp_test_sk_abc');
  });
});

describe('renameHeader', () => {
  it('sends the same value under the drawn name', () => {
    const out = renameHeader.edit!(
      ctx(signedRoute, { casing: 'x-API-key' }),
      SENT,
      { renameHeader: 'credential', to: '$casing' },
      opts,
    );
    expect(out.headers['x-API-key']).toBe('qp_test_sk_abc');
    expect(out.headers['X-API-Key']).toBeUndefined();
  });
});

describe('setHeader', () => {
  it('sets a literal or drawn value on the referenced header (binding:merchant)', () => {
    const out = setHeader.edit!(
      ctx(signedRoute, { other: '100871' }),
      SENT,
      { setHeader: 'binding:merchant', value: '$other' },
      opts,
    );
    expect(out.headers['X-Merchant-Id']).toBe('100871');
  });

  it("takes resource:NAME from the credentials' resources, and is N/A naming one that is missing", () => {
    const withResource = { ...ctx(), creds: { ...creds, resources: { otherMerchant: '555' } } };
    const out = setHeader.edit!(
      withResource,
      SENT,
      { setHeader: 'binding:merchant', value: 'resource:otherMerchant' },
      opts,
    );
    expect(out.headers['X-Merchant-Id']).toBe('555');
    const without = { ...ctx(), creds: { ...creds, resources: {} } };
    expect(() =>
      setHeader.edit!(without, SENT, { setHeader: 'X-Merchant-Id', value: 'resource:nope' }, opts),
    ).toThrow(MissingRoleError);
  });
});

describe('setBody', () => {
  it('replaces the body by the drawn bytes, headers untouched', () => {
    const out = setBody.edit!(ctx(signedRoute, { raw: '{' }), SENT, { setBody: '$raw' }, opts);
    expect(out.body).toBe('{');
    expect(out.headers).toEqual(SENT.headers);
  });
});

describe('tamper (after signing)', () => {
  it('body: the body gains a byte the signature does not cover', () => {
    const out = tamper.edit!(ctx(), SENT, { tamper: 'body' }, opts);
    expect(out.body).toBe('{"amount":4999} ');
    expect(out.headers).toEqual(SENT.headers);
  });

  it('query: a parameter is added, after ? or &', () => {
    expect(tamper.edit!(ctx(), SENT, { tamper: 'query' }, opts).pathWithQuery).toBe(
      '/v2/payments?expand=fees&tampered=1',
    );
    const bare = { ...SENT, pathWithQuery: '/v2/payments' };
    expect(tamper.edit!(ctx(), bare, { tamper: 'query' }, opts).pathWithQuery).toBe(
      '/v2/payments?tampered=1',
    );
  });

  it('method, path and header are not edited after signing (they are signed as another value)', () => {
    for (const what of ['method', 'path', 'header'] as const)
      expect(tamper.edit!(ctx(), SENT, { tamper: what }, opts)).toBe(SENT);
  });

  it('is N/A on an unsigned route for what needs a signature, naming why', () => {
    expect(() => tamper.rebuild!(ctx(plainRoute), { ...opts }, { tamper: 'method' })).toThrow(
      new MissingRoleError(`a signed route (${plainRoute.id} is not signed)`),
    );
  });

  it('signs the method as another one than the one sent', () => {
    const built = { ...opts } as Parameters<NonNullable<typeof tamper.rebuild>>[1];
    tamper.rebuild!(ctx(), built, { tamper: 'method' });
    expect(built.signControls?.signAs).toEqual({ method: 'GET' });
  });
});
