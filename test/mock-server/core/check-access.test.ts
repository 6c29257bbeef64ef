// The mock's access checks once the caller is known (AuxVault: a tenant header on every request,
// a merchant header on the routes that list it, key types per route; LuxCore: scope aliases).
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../mock-server/core/authenticate.ts';
import {
  callerBindings,
  checkBindings,
  checkKeyType,
  checkRequiredBindings,
  checkScope,
  heldScopes,
} from '../../../mock-server/core/check-access.ts';
import { Denial } from '../../../mock-server/core/deny.ts';
import type { MockRequest } from '../../../mock-server/core/mock-types.ts';
import type { MockWorld } from '../../../mock-server/core/mock-world.ts';
import type { KeyRecord } from '../../../mock-server/state/state-store.ts';
import { resolveReferences } from '../../../src/model/resolved-profile.ts';
import { builtInFixtures, resolveProfile } from '../../../src/spec/builtin-specs.ts';

function worldOf(id: string): MockWorld {
  const profile = resolveReferences(resolveProfile(id).profile);
  // Only the profile and the fixtures are read by these checks.
  return { profile, fixtures: builtInFixtures(profile) } as unknown as MockWorld;
}
const aux = worldOf('auxvault');
const lux = worldOf('luxcore');
const transaction = aux.profile.routes.find((r) => r.id === 'transaction')!;

const key = (fields: Partial<KeyRecord>): KeyRecord => ({
  id: 'k',
  value: 'v',
  format: 'erp',
  type: 'erp',
  status: 'active',
  createdAt: 0,
  ...fields,
});
const byKey = (fields: Partial<KeyRecord>): Caller => ({
  credentials: ['apiKey'],
  key: key(fields),
  keyCredential: 'apiKey',
});
const request = (headers: Record<string, string>): MockRequest => ({
  method: 'POST',
  path: '/api/v1/public/transaction',
  pathWithQuery: '/api/v1/public/transaction',
  headers,
  body: new Uint8Array(),
});
/** The denial reason a check throws, or 'allowed'. */
function outcome(check: () => void): string {
  try {
    check();
    return 'allowed';
  } catch (e) {
    if (e instanceof Denial)
      return `${e.reason}${e.context.binding ? ` (${e.context.binding})` : ''}`;
    throw e;
  }
}

describe('callerBindings', () => {
  it("takes the key's bindings, and the tenant of the key's merchant from the fixtures", () => {
    expect(callerBindings(aux, byKey({ tenant: 'acme-payments' }))).toEqual({
      tenant: 'acme-payments',
    });
    expect(callerBindings(aux, byKey({ merchant: 'merchant-901' }))).toEqual({
      merchant: 'merchant-901',
      tenant: '550e8400-e29b-41d4-a716-446655440000',
    });
  });
});

describe('checkKeyType', () => {
  it('refuses a key of a type the route does not take, naming the credential', () => {
    expect(outcome(() => checkKeyType(transaction, byKey({ type: 'standard' })))).toBe(
      'wrong_key_type',
    );
    expect(outcome(() => checkKeyType(transaction, byKey({ type: 'processing' })))).toBe('allowed');
  });
});

describe('checkRequiredBindings', () => {
  const check = (headers: Record<string, string>, caller: Caller) => () =>
    checkRequiredBindings(aux, transaction, request(headers), {}, caller);
  const tenantWide = byKey({ tenant: 'acme-payments' });

  it('needs the tenant header on every request, in the pattern it has', () => {
    expect(outcome(check({ 'x-merchant-id': 'merchant-456' }, tenantWide))).toBe(
      'missing_binding (tenant)',
    );
    expect(outcome(check({ 'x-tenant-id': '  ' }, tenantWide))).toBe('missing_binding (tenant)');
    expect(
      outcome(
        check({ 'x-tenant-id': 'Acme Payments', 'x-merchant-id': 'merchant-456' }, tenantWide),
      ),
    ).toBe('malformed_request (tenant)');
  });

  it("needs the merchant header on a route that lists it, unless the caller's key brings one", () => {
    expect(outcome(check({ 'x-tenant-id': 'acme-payments' }, tenantWide))).toBe(
      'missing_binding (merchant)',
    );
    const merchantKey = byKey({ tenant: 'acme-payments', merchant: 'merchant-456' });
    expect(outcome(check({ 'x-tenant-id': 'acme-payments' }, merchantKey))).toBe('allowed');
  });
});

describe('checkBindings', () => {
  const check = (headers: Record<string, string>, caller: Caller) => () =>
    checkBindings(aux, transaction, request(headers), {}, caller);

  it("refuses another tenant's header, and lets a tenant-wide key name its own merchants only", () => {
    const tenantWide = byKey({ tenant: 'acme-payments' });
    expect(
      outcome(check({ 'x-tenant-id': '550e8400-e29b-41d4-a716-446655440000' }, tenantWide)),
    ).toBe('binding_mismatch (tenant)');
    const named = (merchant: string) =>
      outcome(check({ 'x-tenant-id': 'acme-payments', 'x-merchant-id': merchant }, tenantWide));
    expect(named('merchant-789')).toBe('allowed');
    expect(named('merchant-901')).toBe('binding_mismatch (merchant)');
  });

  it("refuses a merchant-bound key naming another merchant, even of the key's own tenant", () => {
    const merchantKey = byKey({ tenant: 'acme-payments', merchant: 'merchant-456' });
    expect(
      outcome(
        check({ 'x-tenant-id': 'acme-payments', 'x-merchant-id': 'merchant-789' }, merchantKey),
      ),
    ).toBe('binding_mismatch (merchant)');
  });

  it('ignores a header binding whose mismatch the profile says is ignored (the key decides)', () => {
    const gateway = worldOf('gateway');
    const route = gateway.profile.routes.find((r) => r.id === 'getOrganization')!;
    const caller = byKey({ organization: 'org_a' });
    const asHeader = (onMismatch: 'ignore' | 'reject') => {
      const world = structuredClone(gateway);
      world.profile.bindings!.organization = {
        ...world.profile.bindings!.organization!,
        from: 'header',
        onMismatch,
      };
      return outcome(() =>
        checkBindings(world, route, request({ 'x-organization-id': 'org_b' }), {}, caller),
      );
    };
    expect(asHeader('ignore')).toBe('allowed');
    expect(asHeader('reject')).toBe('binding_mismatch (organization)');
  });
});

describe('checkScope and heldScopes', () => {
  const paymentsList = lux.profile.routes.find((r) => r.id === 'payments-list')!;
  const paymentsCreate = lux.profile.routes.find((r) => r.id === 'payments-create')!;

  it("grants a route's scope through an alias, and refuses a scope not held", () => {
    const viewer = byKey({ scopes: ['payments.view'] });
    expect(outcome(() => checkScope(lux, paymentsList, viewer))).toBe('allowed');
    expect(outcome(() => checkScope(lux, paymentsCreate, viewer))).toBe('insufficient_scope');
    expect(outcome(() => checkScope(lux, paymentsCreate, byKey({})))).toBe('allowed');
  });

  it("reads a JWT's scope claim, as a list or space-separated, and a known user's scopes", () => {
    const jwt = (claims: Record<string, unknown>, user?: { scopes?: string[] }): Caller => ({
      credentials: ['jwt'],
      jwt: { credential: 'jwt', claims, bindings: {}, ...(user ? { user: user as never } : {}) },
    });
    expect(heldScopes(jwt({ scope: 'a b' }))).toEqual(['a', 'b']);
    expect(heldScopes(jwt({ scopes: ['c'] }))).toEqual(['c']);
    expect(heldScopes(jwt({}, { scopes: ['d'] }))).toEqual(['d']);
    // A token naming no known user and no scope holds nothing.
    expect(heldScopes(jwt({}))).toEqual([]);
    expect(heldScopes(byKey({}))).toBeUndefined();
  });
});
