// For every route whose path id can name a record the valid key must not reach (of the other
// environment, of another tenant/merchant/store/organization), the mock answers that request
// with the denial the profile decided: hidden (not_found) or denied (binding_mismatch).
import { describe, expect, it } from 'vitest';
import type { Profile, RouteParamRef } from '../../src/model/profile.ts';
import { errorIdFor } from '../../src/model/error-for-denial.ts';
import { builtInProfileIds, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { mockSession, schemaMismatch } from '../support/mock-session.ts';

const OTHER = {
  otherEnvironment: undefined,
  otherTenant: 'tenant',
  otherMerchant: 'merchant',
  otherStore: 'store',
  otherOrganization: 'organization',
} as const;

function expectedError(profile: Profile, which: keyof typeof OTHER): string {
  if (which === 'otherEnvironment') return errorIdFor(profile, 'wrong_environment', {});
  const binding = OTHER[which];
  const denied = profile.bindings?.[binding]?.otherRecords === 'denied';
  return denied
    ? errorIdFor(profile, 'binding_mismatch', { binding })
    : errorIdFor(profile, 'not_found', {});
}

describe("a path id never reaches another party's or environment's record", () => {
  let cases = 0;
  for (const id of builtInProfileIds()) {
    const { profile } = resolveProfile(id);
    for (const route of profile.routes) {
      for (const [param, ref] of Object.entries(route.params ?? {})) {
        if (typeof ref === 'string') continue;
        for (const which of Object.keys(OTHER) as (keyof typeof OTHER)[]) {
          const other = (ref as RouteParamRef)[which];
          if (!other) continue;
          cases++;
          const errorId = expectedError(profile, which);
          it(`${id} ${route.id}: {${param}} = ${other} is answered ${errorId}`, async () => {
            const s = await mockSession(id);
            // Environment scenarios use a key of an environment: the valid one, else the live one.
            const keyRole =
              which === 'otherEnvironment' && !s.creds.keys?.valid?.environment
                ? 'live'
                : undefined;
            const ok = await s.send(await s.positive(route.id, keyRole ? { keyRole } : {}));
            expect(ok.status).toBe(route.success.status);
            const res = await s.send(
              await s.positive(route.id, {
                resources: { [ref.resource]: s.creds.resources![other]! },
                ...(keyRole ? { keyRole } : {}),
              }),
            );
            const error = profile.errors[errorId]!;
            expect(res.status, JSON.stringify(res.body)).toBe(error.status);
            expect(schemaMismatch(error, res.body)).toBe('');
          });
        }
      }
    }
  }
  it('has such routes in every profile that binds data to a party or an environment', () => {
    expect(cases).toBeGreaterThanOrEqual(10);
  });
});
