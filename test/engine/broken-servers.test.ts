// The harness has teeth: each deliberately broken server is caught by the scenario of its family,
// and the correct mock passes everything. Reject-everything and accept-everything both fail.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import {
  acceptAnyJwt,
  brokenTarget,
  header,
  json,
  swapValue,
  type BrokenServer,
} from '../support/broken-targets.ts';
import { errorIdFor } from '../../src/model/error-for-denial.ts';

const scenarios = loadScenarios();
const RUNS = 15;

const BROKEN: BrokenServer[] = [
  {
    name: 'tenant header not required',
    profile: 'auxvault',
    models: 'a gateway that falls back to a default tenant when X-Tenant-ID is absent',
    caughtBy: ['missing-tenant-header'],
    mutateProfile: (p) => (p.bindings!.tenant!.required = 'never'),
  },
  {
    name: 'tenant header not matched to the key',
    profile: 'auxvault',
    models: 'middleware that checks the key exists but never compares its tenant with X-Tenant-ID',
    caughtBy: ['other-tenant-key'],
    mutateProfile: (p) => {
      p.bindings!.tenant!.onMismatch = 'ignore';
      p.bindings!.tenant!.resolvedAt = '/data/tenantId';
    },
  },
  {
    name: 'revoked key still accepted (LuxCore)',
    profile: 'luxcore',
    models: 'a key cache that is never invalidated on revocation',
    caughtBy: ['revoked-key-refused'],
    rewrite: (req, creds) => swapValue(req, creds.keys!.revoked!.value, creds.keys!.valid!.value),
  },
  {
    name: 'revoked key still accepted (Gateway)',
    profile: 'gateway',
    models: 'revocation written to the database but the authorizer reads a stale replica',
    caughtBy: ['revoked-key-refused'],
    rewrite: (req, creds) => swapValue(req, creds.keys!.revoked!.value, creds.keys!.valid!.value),
  },
  {
    name: 'scopes not checked',
    profile: 'luxcore',
    models: 'routes registered without their scope guard',
    caughtBy: ['scope-denied'],
    mutateProfile: (p) => p.routes.forEach((r) => delete r.scope),
  },
  {
    name: 'scope alias treated as unknown',
    profile: 'luxcore',
    models:
      'a scope check that compares strings literally: payments.view does not grant payments.read',
    caughtBy: ['scope-alias-granted'],
    mutateProfile: (p) => (p.scopes!.aliases = {}),
  },
  {
    name: 'expired JWT accepted',
    profile: 'vesuviopay',
    models: 'a verifier configured with clockTolerance of ten years',
    caughtBy: ['expired-jwt'],
    mutateProfile: (p) =>
      ((p.tokens!['customer'] as { leewaySeconds: number }).leewaySeconds = 10 * 365 * 86400),
  },
  {
    name: 'alg none accepted',
    profile: 'vesuviopay',
    models: 'a hand-rolled JWT check that trusts the header\'s "alg"',
    caughtBy: ['jwt-alg-none'],
    rewrite: (req, creds) => acceptAnyJwt(req, creds, (alg) => alg === 'none'),
  },
  {
    name: 'HS256 accepted where RS256 is expected',
    profile: 'vesuviopay',
    models: 'verify(token, publicKey) without an algorithm allow-list',
    caughtBy: ['jwt-algorithm-confusion'],
    rewrite: (req, creds) => acceptAnyJwt(req, creds, (alg) => alg === 'HS256'),
  },
  {
    name: 'nonce never remembered',
    profile: 'luxcore',
    models: 'nonce checked for format but never stored',
    caughtBy: ['nonce-replayed'],
    forgetNonces: true,
  },
  {
    name: 'nonce length unchecked',
    profile: 'luxcore',
    models: 'X-Nonce required but its 8-128 bounds never enforced',
    caughtBy: ['nonce-too-short', 'nonce-too-long'],
    mutateProfile: (p) => {
      const n = p.signing!['v1']!.nonce;
      n.minLength = 1;
      n.maxLength = 100_000;
    },
  },
  {
    name: 'skew window of 3000 s',
    profile: 'luxcore',
    models: 'a window configured in the wrong unit (3000 instead of 300)',
    caughtBy: ['timestamp-too-old', 'timestamp-too-new'],
    mutateProfile: (p) => (p.signing!['v1']!.timestamp.skewSeconds = 3000),
  },
  {
    name: 'missing key accepted as anonymous',
    profile: 'gateway',
    models:
      'an auth middleware that lets requests without Authorization through to a default principal',
    caughtBy: ['missing-key'],
    rewrite: (req, creds) =>
      header(req, 'authorization')
        ? req
        : {
            ...req,
            headers: { ...req.headers, Authorization: `Bearer ${creds.keys!.valid!.value}` },
          },
  },
  {
    name: 'header names matched case-sensitively',
    profile: 'auxvault',
    models: 'reading headers from a plain object keyed by the exact spelling',
    caughtBy: ['header-name-case'],
    rewrite: (req) => {
      if (!('x-api-key' in req.headers) && header(req, 'x-api-key') !== undefined) {
        return json(401, {
          success: false,
          error: 'API key required',
          message: 'Please provide a valid API key in the x-api-key header or request body',
        });
      }
      return req;
    },
  },
  {
    name: 'HMAC ignores the query string',
    profile: 'luxcore',
    models: 'signing req.path where the guide says path_with_query',
    caughtBy: ['hmac-query-tampered'],
    mutateProfile: (p) =>
      (p.signing!['v1']!.canonical.parts = [
        'method',
        'path',
        'timestamp',
        'nonce',
        'body_sha256_hex',
      ]),
  },
  {
    name: 'any signature version accepted',
    profile: 'luxcore',
    models: 'X-Signature-Version read but never compared',
    caughtBy: ['hmac-wrong-signature-version'],
    rewrite: (req) => {
      for (const k of Object.keys(req.headers))
        if (k.toLowerCase() === 'x-signature-version') req.headers[k] = 'v1';
      return req;
    },
  },
  {
    name: 'publishable key accepted on a secret call',
    profile: 'vesuviopay',
    models: 'one key lookup for both key kinds, no type check on server-only routes',
    caughtBy: ['publishable-key-on-secret-call'],
    mutateProfile: (p) => p.routes.forEach((r) => delete r.keyTypes),
  },
  {
    name: 'system key accepted on organization routes',
    profile: 'gateway',
    models: 'a global-admin bypass applied to every route',
    caughtBy: ['system-key-on-organization-route'],
    mutateProfile: (p) => p.routes.forEach((r) => delete r.keyTypes),
  },
  {
    name: 'test key reaches live data',
    profile: 'luxcore',
    models: 'the environment taken from a request flag instead of from the key',
    caughtBy: ['test-key-on-live-data'],
    mutateProfile: (p) => delete p.keyFormats!['test']!.environment,
  },
  {
    name: 'store binding unchecked',
    profile: 'vesuviopay',
    models: "the storeId path parameter trusted without comparing it with the key's store",
    caughtBy: ['other-store-key'],
    // The server takes the store from the key and ignores the path: another store's key on this
    // store's path is answered with its own store's data.
    rewrite: (req, creds) => {
      const other = creds.keys!.otherStore!;
      if (!Object.values(req.headers).some((v) => v.includes(other.value))) return req;
      req.pathWithQuery = req.pathWithQuery.replace(creds.resources!['store']!, other.store!);
      return req;
    },
  },
  {
    name: 'merchant header not matched to the key on signed calls',
    profile: 'luxcore',
    models: "X-Merchant-Id used to pick the HMAC secret, never compared with the key's merchant",
    caughtBy: ['other-merchant-key-on-signed-route'],
    mutateProfile: (p) => {
      p.bindings!.merchant!.onMismatch = 'ignore';
      p.bindings!.merchant!.resolvedAt = '/data/merchant_id';
    },
  },
  {
    name: "another organization's records served",
    profile: 'gateway',
    models: "records fetched by id without a WHERE organization_id = the key's",
    caughtBy: ['other-organization-record'],
    rewrite: (req, creds) => {
      const r = creds.resources!;
      req.pathWithQuery = req.pathWithQuery
        .replace(r['otherOrganizationTransaction']!, r['transaction']!)
        .replace(r['otherOrganizationInvoice']!, r['invoice']!);
      return req;
    },
  },
  {
    name: 'X-Organization-ID switches organization',
    profile: 'gateway',
    models: 'the organization taken from the header when present, from the key otherwise',
    caughtBy: ['organization-header-does-not-switch'],
    rewrite: (req, creds) => {
      const named = header(req, 'x-organization-id');
      if (named !== creds.resources!['otherOrganization']) return req;
      return swapValue(req, creds.keys!.valid!.value, creds.keys!.otherOrganization!.value);
    },
  },
  {
    name: 'key compared on a prefix',
    profile: 'luxcore',
    models: 'keys matched with startsWith on a truncated value (a near-miss key is accepted)',
    caughtBy: ['unknown-key'],
    rewrite: (req, creds) => {
      const valid = creds.keys!.valid!.value;
      for (const k of Object.keys(req.headers)) {
        const v = req.headers[k]!;
        if (v !== valid && v.length === valid.length && v.startsWith(valid.slice(0, -1)))
          req.headers[k] = valid;
      }
      return req;
    },
  },
  {
    name: 'key expiry never checked',
    profile: 'vesuviopay',
    models: 'expiresAt stored with the key but never compared with the clock',
    caughtBy: ['expired-key-refused'],
    rewrite: (req, creds) => swapValue(req, creds.keys!.expired!.value, creds.keys!.valid!.value),
  },
  {
    name: 'no rate limit',
    profile: 'vaulera',
    models: 'the rate limiter configured in production only',
    caughtBy: ['rate-limit-429'],
    mutateProfile: (p) => p.routes.forEach((r) => delete r.rateClass),
  },
  {
    name: '500 on a body that is not JSON',
    profile: 'gateway',
    models: 'JSON.parse without a try: the framework turns the throw into a 500',
    caughtBy: ['body-not-json'],
    rewrite: (req) => {
      try {
        if (req.body !== undefined) JSON.parse(req.body);
        return req;
      } catch {
        return json(500, {
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'Unexpected token',
        });
      }
    },
  },
];

describe('the harness catches each broken server with the scenario of its family', () => {
  it('has a broken server for each family of the brief', () => {
    const families = new Set(
      BROKEN.flatMap((b) => b.caughtBy).map((id) => scenarios.find((s) => s.id === id)!.family),
    );
    for (const f of [
      'missing-tenant',
      'revoked-key',
      'scope-denial',
      'expired-jwt',
      'nonce-replay',
      'timestamp-skew',
    ])
      expect(families).toContain(f);
  });

  it('has a broken server that a scenario of every built-in family catches', () => {
    const caught = new Set(
      BROKEN.flatMap((b) => b.caughtBy).map((id) => scenarios.find((s) => s.id === id)!.family),
    );
    const uncovered = [...new Set(scenarios.map((s) => s.family))].filter((f) => !caught.has(f));
    expect(uncovered).toEqual([]);
  });

  for (const b of BROKEN) {
    it(`${b.profile}: ${b.name} (${b.models}) is caught by ${b.caughtBy.join(', ')}`, async () => {
      const { target, profile, creds } = await brokenTarget(b);
      const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
        runs: RUNS,
        seed: 1,
      });
      for (const id of b.caughtBy) {
        const v = verdicts.find((x) => x.scenario === id);
        expect(v?.status, `${id}: ${v?.reason}`).toBe('FAIL');
        expect(v!.counterexample?.curl).toContain('curl -i -X');
      }
    });
  }

  it('a server that refuses everything fails every scenario that has an accepted twin', async () => {
    const { target, profile, creds } = await brokenTarget({
      name: 'reject everything',
      profile: 'luxcore',
      models: 'a misconfigured key store that knows no key',
      caughtBy: [],
      rewrite: () => json(401, { error: { code: 'invalid_api_key', message: 'Invalid API key.' } }),
    });
    const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
      runs: RUNS,
      seed: 1,
    });
    expect(verdicts.length).toBeGreaterThan(5);
    for (const v of verdicts) expect(v.status, v.scenario).toBe('FAIL');
    expect(
      verdicts.every((v) => v.reason!.includes('the request the profile says must be accepted')),
    ).toBe(true);
  });

  it('a server that accepts everything fails every negative scenario', async () => {
    const { target, profile, creds } = await brokenTarget({
      name: 'accept everything',
      profile: 'luxcore',
      models: 'auth middleware left out of the chain: every route public',
      caughtBy: [],
      mutateProfile: (p) => {
        for (const r of p.routes) {
          r.auth = 'public';
          delete r.scope;
          delete r.signing;
          delete r.bindings;
        }
      },
    });
    const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
      runs: RUNS,
      seed: 1,
    });
    const negatives = verdicts.filter(
      (v) => scenarios.find((s) => s.id === v.scenario)!.expect.denial !== undefined,
    );
    expect(negatives.length).toBeGreaterThan(5);
    for (const v of negatives) expect(v.status, v.scenario).toBe('FAIL');
  });
});

describe("the error the harness expects is the profile's, by binding and credential", () => {
  it('reads per-binding overrides (AuxVault: wrong tenant 401, wrong merchant 403)', async () => {
    const { profile } = await brokenTarget({
      name: 'x',
      profile: 'auxvault',
      models: '',
      caughtBy: [],
    });
    expect(
      errorIdFor(profile, 'binding_mismatch', { binding: 'tenant', credential: 'apiKey' }),
    ).toBe('invalidApiKey');
    expect(
      errorIdFor(profile, 'binding_mismatch', { binding: 'merchant', credential: 'apiKey' }),
    ).toBe('merchantForbidden');
  });
});
