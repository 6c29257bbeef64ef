// The fault steps that change how the faulty request is built (it is then signed afresh): another
// key role, another signing time, the drawn nonce, another signature version, another key id.
import { describe, expect, it } from 'vitest';
import type { FaultContext } from '../../../src/engine/faults/fault-step.ts';
import { nonce } from '../../../src/engine/faults/nonce.ts';
import { signatureVersion } from '../../../src/engine/faults/signature-version.ts';
import { timestampOffset } from '../../../src/engine/faults/timestamp-offset.ts';
import { useKey } from '../../../src/engine/faults/use-key.ts';
import { wrongKeyId } from '../../../src/engine/faults/wrong-key-id.ts';
import { resolveReferences } from '../../../src/model/resolved-profile.ts';
import type { BuildOptions } from '../../../src/request/build-request.ts';
import { signingKeyOf } from '../../../src/request/build-request.ts';
import { MissingRoleError } from '../../../src/request/missing-role-error.ts';
import { builtInFixtures, resolveProfile } from '../../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../../src/spec/fixtures-to-credentials.ts';
import { signingOf } from '../../../src/sign/signers.ts';

const NOW = 1_780_000_000;
const profile = resolveReferences(resolveProfile('luxcore').profile);
const creds = fixturesToCredentials(builtInFixtures(profile), profile);
const signedRoute = profile.routes.find((r) => r.id === 'payments-create-v2')!;
const plainRoute = profile.routes.find((r) => r.id === 'payments-list')!;

function ctx(route = signedRoute, drawn: Record<string, unknown> = {}): FaultContext {
  return {
    profile,
    creds,
    route,
    positive: { method: 'POST', pathWithQuery: '/v2/payments', headers: {} },
    buildOptions: { nowSeconds: NOW },
    drawn,
  };
}
const fresh = (): BuildOptions => ({ nowSeconds: NOW });

describe('useKey', () => {
  it('sends the key of the named role, or of the role drawn', () => {
    const a = fresh();
    useKey.rebuild!(ctx(), a, { useKey: 'revoked' });
    expect(a.keyRole).toBe('revoked');
    const b = fresh();
    useKey.rebuild!(ctx(signedRoute, { role: 'otherMerchant' }), b, { useKey: '$role' });
    expect(b.keyRole).toBe('otherMerchant');
  });
});

describe('timestampOffset', () => {
  it("moves the signing time by the offset from the accepted twin's, literal or drawn", () => {
    const a = fresh();
    timestampOffset.rebuild!(ctx(), a, { timestampOffset: -301 });
    expect(a.nowSeconds).toBe(NOW - 301);
    const b = fresh();
    timestampOffset.rebuild!(ctx(signedRoute, { skew: 900 }), b, { timestampOffset: '$skew' });
    expect(b.nowSeconds).toBe(NOW + 900);
  });
});

describe('nonce', () => {
  it('signs with the drawn nonce', () => {
    const a = fresh();
    nonce.rebuild!(ctx(signedRoute, { n: 'abc' }), a, { nonce: '$n' });
    expect(a.nonce).toBe('abc');
  });
});

describe('signatureVersion', () => {
  const own = signingOf(signedRoute)!.parts.version!;

  it("writes the version the scenario names, and never the scheme's own", () => {
    const a = fresh();
    signatureVersion.rebuild!(ctx(), a, { signatureVersion: 'v0' });
    expect(a.signControls?.versionAs).toBe('v0');
    const b = fresh();
    signatureVersion.rebuild!(ctx(), b, { signatureVersion: own });
    expect(b.signControls?.versionAs).toBe(`${own}-other`);
  });

  it('is N/A on a route that is not signed, naming it', () => {
    expect(() =>
      signatureVersion.rebuild!(ctx(plainRoute), fresh(), { signatureVersion: 'v0' }),
    ).toThrow(MissingRoleError);
  });
});

describe('wrongKeyId', () => {
  it('names a key id one character away from the signing key, of the same kind of character', () => {
    const a = fresh();
    wrongKeyId.rebuild!(ctx(), a, { wrongKeyId: true });
    const own = signingKeyOf(creds).keyId;
    const other = a.signControls!.keyIdAs!;
    expect(other).not.toBe(own);
    expect(other.slice(0, -1)).toBe(own.slice(0, -1));
    expect(/[0-9]/.test(other.at(-1)!)).toBe(/[0-9]/.test(own.at(-1)!));
  });

  it('is N/A on a route that is not signed', () => {
    expect(() => wrongKeyId.rebuild!(ctx(plainRoute), fresh(), { wrongKeyId: true })).toThrow(
      MissingRoleError,
    );
  });
});
