// The bundled mock serving the Petrel example (Hawk): green on every signing scenario that applies
// over several seeds, and caught when its Hawk verifier has one real-world mistake (the harness
// keeps the correct signer and profile; only the mock's verify or its copy of the policy changes).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { propertySeed } from '../../src/engine/run-conformance.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { Profile } from '../../src/model/profile.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { hawkSigner, type HawkConfig } from '../../src/sign/schemes/hawk.ts';
import { attachModuleSigner } from '../../src/sign/signers.ts';
import type { SignableRequest, Signer, SigningKey, VerifyResult } from '../../src/sign/signer.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';

const DIR = join(import.meta.dirname, '../../examples/hawk-api');
const registry = new SchemaRegistry([SCHEMAS_DIR, join(DIR, 'schemas')]);
const { profile } = loadProfile(join(DIR, 'profile.yaml'), registry);
const fixtures = generateFixtures(profile);
const creds = fixturesToCredentials(fixtures, profile);
const signingScenarios = loadScenarios().filter((s) =>
  ['signature-tamper', 'timestamp-skew', 'nonce-replay'].includes(s.family),
);
const config = profile.signing!['device'] as unknown as HawkConfig;

async function run(
  mockProfile: Profile,
  seed = 2026,
  runs = 15,
  nonceTtlSeconds?: number,
  only?: readonly string[],
): Promise<Verdict[]> {
  const mock = await createAuthMock({ profile: mockProfile, fixtures });
  if (nonceTtlSeconds !== undefined) {
    // A nonce cache with a fixed TTL of its own, whatever the scheme's windows say.
    const remember = mock.world.store.rememberNonce.bind(mock.world.store);
    mock.world.store.rememberNonce = (scope, nonce, _ttlMs, max) =>
      remember(scope, nonce, nonceTtlSeconds * 1000, max);
  }
  const target = await inProcessMockTarget(mockProfile, mock);
  try {
    const out: Verdict[] = [];
    for (const scenario of signingScenarios.filter((s) => !only || only.includes(s.id))) {
      const v = await runScenario({ profile, creds, target, registry }, scenario, {
        runs,
        seed: propertySeed(seed, profile.id, scenario.id),
      });
      if (v) out.push(v);
    }
    return out;
  } finally {
    await target.close();
  }
}

type Verify = Signer<HawkConfig>['verify'];

/** The mock's copy of the profile: its Hawk policy changed, or its verify replaced. */
function mockWith(change: { policy?: (c: HawkConfig) => void; verify?: Verify }): Profile {
  const copy = structuredClone(profile);
  const signing = copy.signing!['device']!;
  change.policy?.(signing as unknown as HawkConfig);
  if (change.verify)
    attachModuleSigner(signing, { ...hawkSigner, verify: change.verify } as Signer<never>);
  return copy;
}

/** The id, ts and nonce a Hawk header names (for a broken server that skips a check). */
function attrs(req: SignableRequest): Record<string, string> {
  const header = req.headers['authorization'] ?? '';
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** The mac the request should carry, computed the way a server that re-signs would. */
async function expectedMac(c: HawkConfig, req: SignableRequest, key: SigningKey): Promise<string> {
  const a = attrs(req);
  const { authorization: _a, ...headers } = req.headers;
  const signed = await hawkSigner.sign(c, { ...req, headers }, key, {
    timeMs: Number(a['ts']) * 1000,
    nonce: a['nonce'] ?? '',
  });
  return attrs({ ...signed, headers: { authorization: signed.headers['Authorization']! } })['mac']!;
}

/** Accepts where the correct verify refused with `denied`, as a server that skips that check. */
const skipping =
  (denied: (r: VerifyResult) => boolean): Verify =>
  async (c, req, keyOf, now) => {
    const r = await hawkSigner.verify(c, req, keyOf, now);
    if (r.ok || !denied(r)) return r;
    const a = attrs(req);
    return { ok: true, keyId: a['id'] ?? '', ...(a['nonce'] ? { nonce: a['nonce'] } : {}) };
  };

/** A mac compared by `same` instead of in full. */
const macComparedBy =
  (same: (expected: string, sent: string) => boolean): Verify =>
  async (c, req, keyOf, now) => {
    const r = await hawkSigner.verify(c, req, keyOf, now);
    if (r.ok || r.denial !== 'signature_invalid' || r.detail !== undefined) return r;
    const a = attrs(req);
    const key = keyOf(a['id'] ?? '');
    if (key === undefined || !same(await expectedMac(c, req, key), a['mac'] ?? '')) return r;
    return { ok: true, keyId: key.keyId, nonce: a['nonce']! };
  };

interface BrokenHawk {
  name: string;
  /** The real-world mistake it models. */
  models: string;
  server: () => Profile;
  caughtBy: string[];
  /** Scenarios of the same family that still pass: the server has this one mistake only. */
  stillPasses: string[];
  /** The mock's nonce cache keeps each nonce this long, whatever the windows. */
  nonceTtlSeconds?: number;
}

const BROKEN: BrokenHawk[] = [
  {
    name: 'stale timestamps accepted',
    models:
      'a Hawk server whose skew is configured as days (timestampSkewSec set in ms by mistake)',
    server: () => mockWith({ policy: (c) => (c.timestamp.skewSeconds = 60_000) }),
    caughtBy: ['timestamp-too-old', 'timestamp-too-new', 'timestamp-just-outside-window'],
    stillPasses: ['timestamp-at-window-edge', 'nonce-replayed'],
  },
  {
    name: 'the window edge refused',
    models: 'a staleness check written `>=` where the API accepts a ts exactly 60 s away',
    server: () => mockWith({ policy: (c) => (c.timestamp.boundary = 'exclusive') }),
    caughtBy: ['timestamp-at-window-edge'],
    stillPasses: ['timestamp-just-outside-window', 'timestamp-inside-window'],
  },
  {
    name: 'nonces not remembered',
    models: 'a Hawk server without a nonceFunc (the hawk package checks none unless given one)',
    server: () =>
      mockWith({
        verify: async (c, req, keyOf, now) => {
          const r = await hawkSigner.verify(c, req, keyOf, now);
          return r.ok ? { ok: true, keyId: r.keyId } : r;
        },
      }),
    caughtBy: ['nonce-replayed', 'nonce-replayed-late-in-window'],
    stillPasses: ['nonce-too-short', 'timestamp-too-old'],
  },
  {
    name: 'nonces forgotten inside the window',
    models:
      'a nonce cache whose TTL (30 s) is shorter than the time a signed request stays on time',
    server: () => mockWith({}),
    nonceTtlSeconds: 30,
    caughtBy: ['nonce-replayed-late-in-window'],
    stillPasses: ['nonce-replayed'],
  },
  {
    name: 'nonce form not checked',
    models: 'a nonceFunc that only looks the nonce up, whatever its length or characters',
    server: () =>
      mockWith({
        policy: (c) => {
          c.nonce.minLength = 1;
          c.nonce.maxLength = 1024;
          delete c.nonce.pattern;
        },
      }),
    caughtBy: ['nonce-too-short', 'nonce-too-long', 'nonce-disallowed-characters'],
    stillPasses: ['nonce-replayed', 'nonce-length-bounds-accepted'],
  },
  {
    name: 'payload hash never compared with the body',
    models:
      'authenticate() called without the payload and authenticatePayload() never called: the mac covers the hash attribute, not the body',
    server: () => mockWith({ verify: skipping((r) => !r.ok && r.detail === 'payload hash') }),
    caughtBy: ['signature-body-tampered', 'signature-signed-header-tampered'],
    stillPasses: ['signature-query-tampered', 'signature-method-tampered'],
  },
  {
    name: 'query left out of the resource',
    models:
      "the resource taken from Express's req.path instead of req.url (path without the query)",
    server: () =>
      mockWith({
        verify: (c, req, keyOf, now) =>
          hawkSigner.verify(
            c,
            { ...req, pathWithQuery: req.pathWithQuery.split('?')[0]! },
            keyOf,
            now,
          ),
      }),
    caughtBy: ['signature-query-tampered'],
    stillPasses: ['signature-path-tampered', 'signature-body-tampered'],
  },
  {
    name: 'mac compared as a prefix',
    models: 'expected.startsWith(sent): a truncated or empty mac matches',
    server: () => mockWith({ verify: macComparedBy((e, s) => e.startsWith(s)) }),
    caughtBy: ['signature-truncated', 'signature-empty'],
    stillPasses: ['signature-tail-changed', 'signature-body-tampered'],
  },
  {
    name: 'mac compared on its first 16 characters',
    models: 'a comparison loop bounded by the wrong length: the tail of the mac is never read',
    server: () => mockWith({ verify: macComparedBy((e, s) => e.slice(0, 16) === s.slice(0, 16)) }),
    caughtBy: ['signature-tail-changed'],
    stillPasses: ['signature-path-tampered'],
  },
  {
    name: 'Hawk id not checked',
    models: "a server that looks up the app's one set of credentials whatever id the header names",
    server: () =>
      mockWith({
        verify: (c, req, keyOf, now) =>
          hawkSigner.verify(
            c,
            req,
            (id) => keyOf(id) ?? keyOf(creds.hmac!.keyId ?? creds.hmac!.merchant!),
            now,
          ),
      }),
    caughtBy: ['signature-wrong-key-id'],
    stillPasses: ['signature-body-tampered'],
  },
  {
    name: 'requests without Hawk let through',
    models:
      "hapi's auth mode 'try' (or 'optional') on the sync routes: no Authorization is anonymous",
    server: () => mockWith({ verify: skipping((r) => !r.ok && r.denial === 'signature_missing') }),
    caughtBy: ['signature-missing'],
    stillPasses: ['signature-empty', 'signature-truncated'],
  },
];

const status = (vs: Verdict[], id: string) => vs.find((v) => v.scenario === id)?.status;
const notPassed = (vs: Verdict[]) =>
  vs.filter((v) => v.status !== 'PASS').map((v) => `${v.scenario}: ${v.status} ${v.reason ?? ''}`);

describe('the mock serving the Hawk example (Petrel)', () => {
  // Two seeds here; `npm run teeth -- --seeds N` runs the Petrel example (hawk package) over many.
  for (const seed of [2026, 1]) {
    it(`passes every signing scenario that applies (seed ${seed}); none on a version`, async () => {
      const verdicts = await run(profile, seed);
      expect(notPassed(verdicts)).toEqual([]);
      const ran = verdicts.map((v) => v.scenario);
      expect(ran).toEqual(
        expect.arrayContaining([
          ...new Set(BROKEN.flatMap((b) => [...b.caughtBy, ...b.stillPasses])),
        ]),
      );
      expect(ran).not.toContain('signature-wrong-version');
      expect(ran).not.toContain('nonce-replayed-with-another-key');
    }, 60_000);
  }

  it('signs for the Host the request goes to, as a Hawk verifier reads it', () => {
    expect(config.payload).toBe('required');
    expect(hawkSigner.parts(config).covers.headers).toEqual(['content-type']);
  });
});

describe('the harness catches a Hawk server with one mistake', () => {
  for (const b of BROKEN) {
    it(`${b.name} (${b.models}): caught by ${b.caughtBy.join(', ')}`, async () => {
      // Only the verdicts asserted: each property has its own seed, so its siblings change nothing.
      const verdicts = await run(b.server(), 2026, 8, b.nonceTtlSeconds, [
        ...b.caughtBy,
        ...b.stillPasses,
      ]);
      for (const id of b.caughtBy) expect(status(verdicts, id), id).toBe('FAIL');
      for (const id of b.stillPasses) expect(status(verdicts, id), id).toBe('PASS');
    }, 60_000);
  }
});
