// The mock's check of a signed request (LuxCore's header HMAC): the signer's verdict, then the
// nonce remembered only for a request whose signature holds, in the scope the profile names.
import { describe, expect, it } from 'vitest';
import { MockClock } from '../../../mock-server/core/mock-clock.ts';
import { Denial } from '../../../mock-server/core/deny.ts';
import type { MockRequest } from '../../../mock-server/core/mock-types.ts';
import { verifySignature } from '../../../mock-server/core/verify-signature.ts';
import { MemoryStore } from '../../../mock-server/state/memory-store.ts';
import { StoreFullError } from '../../../mock-server/state/state-store.ts';
import { builtInFixtures, resolveProfile } from '../../../src/spec/builtin-specs.ts';
import { signingById } from '../../../src/sign/signers.ts';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const { profile } = resolveProfile('luxcore');
const signing = signingById(profile, 'v1')!;
const secrets = builtInFixtures(profile).hmacSecrets!;
const merchant = secrets[0]!;

/** A POST signed as the merchant at `timeMs` with `nonce`, as the mock receives it. */
async function signed(nonce: string, timeMs = T0, body = '{"amount":100}'): Promise<MockRequest> {
  const out = await signing.signer.sign(
    signing.config,
    {
      method: 'POST',
      host: 'api.example.test',
      pathWithQuery: '/v2/payments',
      headers: { 'Content-Type': 'application/json', 'X-Merchant-Id': merchant.merchant },
      body,
    },
    { keyId: merchant.keyId ?? merchant.merchant, secret: merchant.secret! },
    { timeMs, nonce },
  );
  const headers = Object.fromEntries(
    Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    method: 'POST',
    path: '/v2/payments',
    pathWithQuery: '/v2/payments',
    headers: { ...headers, host: 'api.example.test' },
    body: new TextEncoder().encode(out.body ?? ''),
  };
}

function world() {
  const clock = new MockClock(() => T0);
  return { clock, store: new MemoryStore(clock) };
}
const check = (req: MockRequest, w = world(), bound = 1000, keyId = 'key_a') =>
  verifySignature(signing, req, secrets, keyId, w.store, w.clock, () => bound);
const denialOf = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof Denial ? e.reason : e),
  );

describe('verifySignature', () => {
  it('accepts a request signed with the merchant secret inside the window', async () => {
    expect(await denialOf(check(await signed('nonce-0001')))).toBe('accepted');
  });

  it('refuses the same nonce again as a replay, once the first was accepted', async () => {
    const w = world();
    await check(await signed('nonce-0002'), w);
    expect(await denialOf(check(await signed('nonce-0002'), w))).toBe('nonce_replay');
  });

  it("shares a merchant's nonces across its API keys (the profile's nonce scope)", async () => {
    const w = world();
    await check(await signed('nonce-0003'), w, 1000, 'key_a');
    expect(await denialOf(check(await signed('nonce-0003'), w, 1000, 'key_b'))).toBe(
      'nonce_replay',
    );
  });

  it('does not remember the nonce of a request whose signature fails', async () => {
    const w = world();
    const tampered = await signed('nonce-0004');
    tampered.body = new TextEncoder().encode('{"amount":1000000}');
    expect(await denialOf(check(tampered, w))).not.toBe('accepted');
    expect(await denialOf(check(await signed('nonce-0004'), w))).toBe('accepted');
  });

  it('refuses a signature made outside the time window', async () => {
    const stale = await signed('nonce-0005', T0 - 301_000);
    expect(await denialOf(check(stale))).toBe('timestamp_skew');
  });

  it("refuses, past the identity's bound of nonces, with a full store rather than forgetting one", async () => {
    const w = world();
    await check(await signed('nonce-0006'), w, 1);
    expect(await denialOf(check(await signed('nonce-0007'), w, 1))).toBeInstanceOf(StoreFullError);
    // The first nonce is still remembered.
    expect(await denialOf(check(await signed('nonce-0006'), w, 2))).toBe('nonce_replay');
  });
});
