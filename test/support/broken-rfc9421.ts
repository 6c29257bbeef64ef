/**
 * Servers with one RFC 9421 mistake each, on the example API examples/rfc9421-api/profile.yaml
 * (ed25519, or its hmac-sha256 variant where the mistake is in an HMAC comparison): the bundled
 * mock serving a world generated from the profile, its verifier either the built-in one under a
 * changed policy (`mutateProfile`: the mock's copy only) or the hand-written verifier of
 * rfc9421-independent-verifier.ts with one fault on. Checked by test/sign/rfc9421-servers.test.ts.
 */
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { MemoryStore } from '../../mock-server/state/memory-store.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import type { Profile, Signing } from '../../src/model/profile.ts';
import type { Rfc9421Config } from '../../src/sign/schemes/rfc9421.ts';
import { attachModuleSigner } from '../../src/sign/signers.ts';
import type { Signer, SigningKey } from '../../src/sign/signer.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import { independentRfc9421, type VerifierFaults } from './rfc9421-independent-verifier.ts';

export const PROFILE = 'examples/rfc9421-api/profile.yaml';

export interface BrokenRfc9421 {
  name: string;
  /** The real-world mistake it models. */
  models: string;
  /** Scenario ids that must catch it (FAIL). */
  caughtBy: string[];
  /** Sign with hmac-sha256 instead of the example's ed25519 (a mistake in comparing MACs). */
  hmac?: true;
  /** The mock's policy changed (the harness keeps the correct one). */
  mutateProfile?: (signing: Rfc9421Config) => void;
  /** The mock verifies with the hand-written verifier, with these faults on. */
  faults?: VerifierFaults;
  /** The mock's nonce cache keeps each nonce this long, whatever the windows. */
  nonceTtlSeconds?: number;
}

/**
 * The example API on the in-process mock: `verifier` 'built-in' (the correct mock), 'independent'
 * (the hand-written verifier, no fault), or a broken server.
 */
export async function quayside(server: 'built-in' | 'independent' | BrokenRfc9421, hmac = false) {
  const { profile } = resolveProfile(PROFILE);
  const broken = typeof server === 'object' ? server : undefined;
  if (hmac || broken?.hmac) signingOf(profile).algorithm = 'hmac-sha256';
  const fixtures = generateFixtures(profile);
  const creds = fixturesToCredentials(fixtures, profile);
  const mockProfile: Profile = structuredClone(profile);
  const mockSigning = signingOf(mockProfile);
  broken?.mutateProfile?.(mockSigning);
  const faults = broken?.faults ?? (server === 'independent' ? {} : undefined);
  if (faults !== undefined) {
    const keys: SigningKey[] = (fixtures.hmacSecrets ?? []).map((s) => ({
      keyId: s.keyId ?? s.merchant,
      ...(s.secret !== undefined ? { secret: s.secret } : {}),
      ...(s.publicKeyPem !== undefined ? { publicKeyPem: s.publicKeyPem } : {}),
    }));
    attachModuleSigner(
      mockSigning as unknown as Signing,
      independentRfc9421(faults, keys) as Signer<never>,
    );
  }
  const clock = new MockClock();
  const store = new MemoryStore(clock);
  const ttl = broken?.nonceTtlSeconds;
  if (ttl !== undefined) {
    const remember = store.rememberNonce.bind(store);
    store.rememberNonce = (scope, nonce, _ttlMs, max) => remember(scope, nonce, ttl * 1000, max);
  }
  const mock = await createAuthMock({ profile: mockProfile, fixtures, clock, store });
  const target = await inProcessMockTarget(mockProfile, mock);
  return { profile, creds, target };
}

function signingOf(profile: Profile): Rfc9421Config {
  return profile.signing!['partner'] as unknown as Rfc9421Config;
}

export const RFC9421_FAULTS: BrokenRfc9421[] = [
  {
    name: 'Content-Digest not compared with the body',
    models:
      'a verifier that checks the signature over the Content-Digest field but never hashes the body it received',
    caughtBy: ['signature-body-tampered'],
    faults: { digestUnchecked: true },
  },
  {
    name: 'signature compared by prefix',
    models: 'expected.subarray(0, sent.length).equals(sent): a truncated (or empty) MAC passes',
    caughtBy: ['signature-truncated', 'signature-empty'],
    hmac: true,
    faults: { prefixCompare: true },
  },
  {
    name: 'keyid not checked',
    models: "a verifier that tries each partner's key until one verifies, whatever keyid names",
    caughtBy: ['signature-wrong-key-id'],
    faults: { keyIdUnchecked: true },
  },
  {
    name: 'created not compared with the clock',
    // expires (created + 300) still refuses a signature from the past: only the future shows.
    models: 'created parsed and signed over but never checked against the server clock',
    caughtBy: ['timestamp-too-new', 'timestamp-just-outside-window'],
    faults: { createdUnchecked: true },
  },
  {
    name: 'expires not compared with the clock',
    models:
      'created checked against the skew window, expires parsed for the signature base and never compared: a signature the partner meant to expire stays good while created is recent',
    caughtBy: ['signature-expired'],
    faults: { expiresUnchecked: true },
  },
  {
    name: 'neither created nor expires compared with the clock',
    models: 'signature parameters parsed for the base and never checked: any old signature passes',
    caughtBy: ['timestamp-too-old', 'timestamp-too-new', 'timestamp-just-outside-window'],
    faults: { createdUnchecked: true, expiresUnchecked: true },
  },
  {
    name: 'created window ten years wide',
    models: 'a skew configured in minutes where seconds were meant',
    caughtBy: ['timestamp-too-new'],
    mutateProfile: (s) => (s.created.skewSeconds = 10 * 365 * 86400),
  },
  {
    name: 'window edge refused',
    models: 'Math.abs(now - created) < 300 where the policy includes 300',
    caughtBy: ['timestamp-at-window-edge'],
    faults: { edgeRefused: true },
  },
  {
    name: 'nonce never remembered',
    models: 'the nonce checked for form, never stored',
    caughtBy: ['nonce-replayed', 'nonce-replayed-late-in-window'],
    faults: { nonceNotRemembered: true },
  },
  {
    name: 'nonce form not checked',
    models: 'any nonce parameter accepted and stored, whatever its length and characters',
    caughtBy: ['nonce-too-short', 'nonce-too-long', 'nonce-disallowed-characters'],
    faults: { nonceFormUnchecked: true },
  },
  {
    name: 'nonce remembered for too short a time',
    models: 'a nonce cache with a 60-second TTL where the replay window is 600 seconds',
    caughtBy: ['nonce-replayed-late-in-window'],
    nonceTtlSeconds: 60,
  },
  {
    name: 'tag not checked',
    models: 'tag="quayside-v1" written by the SDK but never compared by the server',
    caughtBy: ['signature-wrong-version'],
    faults: { tagUnchecked: true },
  },
  {
    name: '@query from the router',
    models:
      "@query rebuilt from the router's parsed query, which holds only declared parameters: an added parameter is not covered",
    caughtBy: ['signature-query-tampered'],
    faults: { queryFromRouter: true },
  },
];
