/**
 * The bundled mock, run as the luxcore profile, produces every failure the LuxCore guide
 * (shared/seeds/001_fe1a18c1d9c4dd7c.txt) lists and every denial specs/profiles/luxcore.yaml maps.
 *
 * Each negative test builds the positive request, applies exactly one fault, and checks the
 * status, the error body against the profile's schema, the error code, required headers, and
 * that no submitted secret is echoed. Where it is cheap, the untouched positive request is sent
 * afterwards and must still succeed: the fault alone caused the denial (and, on the signed
 * route, a denied request did not burn its nonce).
 *
 * Time is frozen (only `Date` is faked) at a moment 400 ms into a second, so the 300-second
 * boundaries are deterministic; the mock clock is moved with `s.mock.world.clock.advance`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockSession, schemaMismatch, type MockSession } from '../support/mock-session.ts';
import type { MockResponse } from '../../mock-server/core/mock-types.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import type { BuildOptions } from '../../src/request/build-request.ts';
import type { HmacSigning } from '../../src/model/profile.ts';
import { canonicalString, signatureHeaderValue } from '../../src/sign/hmac-canonical.ts';
import { hmacSigning, type HeaderHmac } from '../support/hmac-signing.ts';

const PROFILE = 'luxcore';
/** 2026-01-01T00:00:00.400Z: a realistic clock is rarely on a whole second. */
const FROZEN_MS = Date.UTC(2026, 0, 1, 0, 0, 0) + 400;
const V2 = 'payments-create-v2';

const API_KEY = 'X-API-Key';
const MERCHANT = 'X-Merchant-Id';
const TIMESTAMP = 'X-Timestamp';
const NONCE = 'X-Nonce';
const VERSION = 'X-Signature-Version';
const SIGNATURE = 'X-Signature';

describe(PROFILE, () => {
  let s: MockSession;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(FROZEN_MS);
    s = await mockSession(PROFILE);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // ---------------------------------------------------------------- helpers

  const signing = (): HeaderHmac => hmacSigning(s.profile);
  const key = (role: string) => {
    const k = role.startsWith('byType.')
      ? s.creds.keys?.byType?.[role.slice(7)]
      : (s.creds.keys as Record<string, { value: string }>)[role];
    if (!k) throw new Error(`no key role ${role}`);
    return k;
  };
  const advanceSeconds = (sec: number) => s.mock.world.clock.advance(sec * 1000);
  const clone = (r: OutgoingRequest): OutgoingRequest => structuredClone(r);
  const secretsOf = (r: OutgoingRequest): string[] =>
    [
      r.headers[API_KEY],
      r.headers[SIGNATURE],
      s.creds.hmac?.secret,
      s.creds.otherMerchantHmac?.secret,
    ].filter((v): v is string => typeof v === 'string' && v.length > 0);

  /** The response is the profile's error `id`: status, schema, code, no secret echoed. */
  function expectError(res: MockResponse, id: string, secrets: string[] = []): void {
    const e = s.profile.errors[id];
    if (!e) throw new Error(`profile has no error ${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(e.status);
    expect(schemaMismatch(e, res.body)).toBe('');
    expect((res.body as { error: { code: string } }).error.code).toBe(id);
    const text = JSON.stringify(res.body);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  function expectSuccess(res: MockResponse, routeId: string): void {
    const r = s.route(routeId);
    expect(res.status, JSON.stringify(res.body)).toBe(r.success.status);
    if (r.success.schema) expect(schemaMismatch(r.success.schema, res.body)).toBe('');
  }

  /**
   * Builds the positive request, applies one fault, expects the error; then sends the untouched
   * positive request and expects success (the fault alone was the cause).
   */
  async function faultOnly(
    routeId: string,
    fault: (r: OutgoingRequest) => void,
    errorId: string,
    opts: Partial<BuildOptions> = {},
  ): Promise<MockResponse> {
    const base = await s.positive(routeId, opts);
    const bad = clone(base);
    fault(bad);
    const res = await s.send(bad);
    expectError(res, errorId, [...secretsOf(base), ...secretsOf(bad)]);
    expectSuccess(await s.send(base), routeId);
    return res;
  }

  /** Recomputes the v1 signature headers of a request (what a client signing it would send). */
  function resign(
    r: OutgoingRequest,
    p: {
      secret?: string;
      merchant?: string;
      timestamp?: string;
      nonce?: string;
      /** What the signature covers, when it must differ from what is sent. */
      signedPathWithQuery?: string;
      signedBody?: string;
    } = {},
  ): OutgoingRequest {
    const sg = signing();
    const h = sg.headers;
    const merchant = p.merchant ?? r.headers[h.merchant]!;
    const timestamp = p.timestamp ?? r.headers[h.timestamp]!;
    const nonce = p.nonce ?? r.headers[h.nonce]!;
    const canonical = canonicalString(sg, {
      method: r.method,
      pathWithQuery: p.signedPathWithQuery ?? r.pathWithQuery,
      timestamp,
      nonce,
      merchant,
      body: p.signedBody ?? r.body ?? '',
    });
    r.headers[h.merchant] = merchant;
    r.headers[h.timestamp] = timestamp;
    r.headers[h.nonce] = nonce;
    r.headers[h.version] = sg.version;
    r.headers[h.signature] = signatureHeaderValue(sg, p.secret ?? s.creds.hmac!.secret!, canonical);
    return r;
  }

  /** A v2 request of the other merchant: its key, its X-Merchant-Id, signed with its secret. */
  async function otherMerchantV2(opts: Partial<BuildOptions> = {}): Promise<OutgoingRequest> {
    const other = s.creds.otherMerchantHmac!;
    const r = await s.positive(V2, { keyRole: 'otherMerchant', ...opts });
    return resign(r, { merchant: other.merchant!, secret: other.secret! });
  }

  // ---------------------------------------------------------------- the fixtures are as expected

  it('has the roles these tests rely on (test/prod keys, revoked, alias-scoped, other merchant, two HMAC secrets)', () => {
    expect(s.mock.world.clock.now()).toBe(FROZEN_MS);
    expect(key('valid').value.startsWith('qp_test_sk_')).toBe(true);
    expect(key('live').value.startsWith('qp_prod_sk_')).toBe(true);
    expect(key('revoked').value).toMatch(/^qp_test_sk_/);
    expect((key('scopeLimited') as { scopes?: string[] }).scopes).toEqual([
      'payments.view',
      'balance.view',
    ]);
    expect(s.creds.hmac!.merchant!).toBe('100234');
    expect(s.creds.otherMerchantHmac!.merchant).toBe('100871');
    expect(s.creds.hmac!.secret!).not.toBe(s.creds.otherMerchantHmac!.secret);
  });

  // ---------------------------------------------------------------- X-API-Key (v1)

  describe('X-API-Key', () => {
    it('answers a request without X-API-Key with 401 missing_api_key', async () => {
      await faultOnly('balance-get', (r) => delete r.headers[API_KEY], 'missing_api_key');
    });

    it('answers a v2 payment without X-API-Key with 401 missing_api_key', async () => {
      await faultOnly(V2, (r) => delete r.headers[API_KEY], 'missing_api_key');
    });

    it('answers a key of neither format (prefix misspelled) with 401 invalid_api_key', async () => {
      await faultOnly(
        'balance-get',
        (r) => (r.headers[API_KEY] = r.headers[API_KEY]!.replace('qp_test_sk_', 'qp_tset_sk_')),
        'invalid_api_key',
      );
    });

    it('answers a key one character too short with 401 invalid_api_key', async () => {
      await faultOnly(
        'balance-get',
        (r) => (r.headers[API_KEY] = r.headers[API_KEY]!.slice(0, -1)),
        'invalid_api_key',
      );
    });

    it('answers a well-formed key that was never issued (last character changed) with 401 invalid_api_key', async () => {
      await faultOnly(
        'balance-get',
        (r) => {
          const v = r.headers[API_KEY]!;
          r.headers[API_KEY] = v.slice(0, -1) + (v.endsWith('A') ? 'B' : 'A');
          expect(r.headers[API_KEY]).toMatch(/^qp_test_sk_[A-Za-z0-9]{32}$/);
        },
        'invalid_api_key',
      );
    });

    it('answers a well-formed production-format key that was never issued with 401 invalid_api_key', async () => {
      await faultOnly(
        'balance-get',
        (r) => (r.headers[API_KEY] = 'qp_prod_sk_' + 'Z'.repeat(32)),
        'invalid_api_key',
      );
    });

    it('answers a revoked (deactivated) key with 401 api_key_revoked', async () => {
      const revoked = key('revoked').value;
      const req = await s.positive('balance-get', { keyRole: 'revoked' });
      expect(req.headers[API_KEY]).toBe(revoked);
      const res = await s.send(req);
      expectError(res, 'api_key_revoked', [revoked]);
      expectSuccess(await s.send(await s.positive('balance-get')), 'balance-get');
    });

    it('keeps answering a revoked key with 401 api_key_revoked after the clock moves on (a year)', async () => {
      advanceSeconds(365 * 24 * 3600);
      const revoked = key('revoked').value;
      for (const routeId of ['balance-get', 'payments-list', 'payments-create']) {
        const res = await s.send(await s.positive(routeId, { keyRole: 'revoked' }));
        expectError(res, 'api_key_revoked', [revoked]);
      }
    });

    it('answers a revoked key on the signed v2 route with 401 api_key_revoked', async () => {
      const revoked = key('revoked').value;
      // The revoked key belongs to merchant 100234, the merchant whose secret signs the request.
      const res = await s.send(await s.positive(V2, { keyRole: 'revoked' }));
      expectError(res, 'api_key_revoked', [revoked, s.creds.hmac!.secret!]);
    });

    it('accepts the production key (qp_prod_sk_) on v1', async () => {
      const res = await s.send(await s.positive('balance-get', { keyRole: 'live' }));
      expectSuccess(res, 'balance-get');
      expect((res.body as { merchant_id: string }).merchant_id).toBe('100234');
    });
  });

  // ---------------------------------------------------------------- malformed input never 5xx

  describe('malformed input', () => {
    it('answers a key with a NUL byte with 401 invalid_api_key, never a 5xx', async () => {
      await faultOnly(
        'balance-get',
        (r) =>
          (r.headers[API_KEY] =
            r.headers[API_KEY]!.slice(0, 20) + '\u0000' + r.headers[API_KEY]!.slice(21)),
        'invalid_api_key',
      );
    });

    it('answers a key with a non-ASCII character with 401 invalid_api_key, never a 5xx', async () => {
      await faultOnly(
        'balance-get',
        (r) => (r.headers[API_KEY] = r.headers[API_KEY]!.slice(0, -1) + 'é'),
        'invalid_api_key',
      );
    });

    it('answers a JWT-like key "a.b" with 401 invalid_api_key', async () => {
      await faultOnly('balance-get', (r) => (r.headers[API_KEY] = 'a.b'), 'invalid_api_key');
    });

    it('answers a 10 000-character X-API-Key with 400 bad_request', async () => {
      await faultOnly(
        'balance-get',
        (r) =>
          (r.headers[API_KEY] =
            r.headers[API_KEY]! + 'A'.repeat(10_000 - r.headers[API_KEY]!.length)),
        'bad_request',
      );
    });

    it('answers a 10 000-character value of another header with 400 bad_request', async () => {
      await faultOnly(
        'balance-get',
        (r) => (r.headers['X-Request-Note'] = 'x'.repeat(10_000)),
        'bad_request',
      );
    });

    it('answers a body that is not valid JSON with 400 bad_request (v1 payment)', async () => {
      await faultOnly('payments-create', (r) => (r.body = r.body!.slice(0, -1)), 'bad_request');
    });

    it('answers a JSON array where an object is expected with 400 bad_request', async () => {
      await faultOnly('payments-create', (r) => (r.body = '[1,2]'), 'bad_request');
    });

    it('answers a correctly signed v2 payment whose body is not valid JSON with 400 bad_request', async () => {
      await faultOnly(
        V2,
        (r) => {
          r.body = r.body!.slice(0, -1);
          resign(r);
        },
        'bad_request',
      );
    });

    it('answers an unknown path with 404 not_found', async () => {
      await faultOnly('balance-get', (r) => (r.pathWithQuery = '/api/v1/balances'), 'not_found');
    });
  });

  // ---------------------------------------------------------------- environments and ownership

  describe('test vs production data, and other merchants', () => {
    it('answers a test key asking for a live payment (paymentLive) with 404 not_found', async () => {
      const paymentLive = s.creds.resources!.paymentLive!;
      await faultOnly(
        'payments-get',
        (r) =>
          (r.pathWithQuery = r.pathWithQuery.replace(s.creds.resources!.payment!, paymentLive)),
        'not_found',
      );
    });

    it('answers a test key cancelling a live payment (paymentLive) with 404 not_found', async () => {
      const res = await s.send(
        await s.positive('payments-cancel', {
          resources: { payment: s.creds.resources!.paymentLive! },
        }),
      );
      expectError(res, 'not_found', [key('valid').value]);
      expectSuccess(await s.send(await s.positive('payments-cancel')), 'payments-cancel');
    });

    it('lets the production key reach the live payment (the twin of the above)', async () => {
      const res = await s.send(
        await s.positive('payments-get', {
          keyRole: 'live',
          resources: { payment: s.creds.resources!.paymentLive! },
        }),
      );
      expectSuccess(res, 'payments-get');
      expect((res.body as { id: string }).id).toBe(s.creds.resources!.paymentLive);
    });

    it('answers a production key asking for a test payment with 404 not_found', async () => {
      const res = await s.send(await s.positive('payments-get', { keyRole: 'live' }));
      expectError(res, 'not_found', [key('live').value]);
    });

    it("answers a request for another merchant's payment with 404 not_found", async () => {
      await faultOnly(
        'payments-get',
        (r) =>
          (r.pathWithQuery = r.pathWithQuery.replace(
            s.creds.resources!.payment!,
            s.creds.resources!.otherMerchantPayment!,
          )),
        'not_found',
      );
    });

    it("answers a request for another merchant's webhook with 404 not_found", async () => {
      await faultOnly(
        'webhooks-get',
        (r) =>
          (r.pathWithQuery = r.pathWithQuery.replace(
            s.creds.resources!.webhook!,
            s.creds.resources!.otherMerchantWebhook!,
          )),
        'not_found',
      );
    });

    it('ignores an X-Merchant-Id of another merchant on v1: the key decides the merchant', async () => {
      const req = await s.positive('balance-get');
      req.headers[MERCHANT] = '100871';
      const res = await s.send(req);
      expectSuccess(res, 'balance-get');
      expect((res.body as { merchant_id: string }).merchant_id).toBe('100234');
    });
  });

  // ---------------------------------------------------------------- scopes and their aliases

  describe('scopes', () => {
    const granted = new Set(['payments.read', 'balance.read']);

    it('answers every route whose scope the alias-only key lacks with 403 insufficient_scope', async () => {
      const limited = key('scopeLimited').value;
      const denied = s.profile.routes.filter((r) => r.scope && !granted.has(r.scope));
      expect(denied.map((r) => r.id).sort()).toEqual(
        [
          'payments-create',
          'payments-cancel',
          'payment-methods-list',
          'webhooks-create',
          'webhooks-list',
          'webhooks-get',
          'webhooks-update',
          'webhooks-delete',
          V2,
        ].sort(),
      );
      for (const route of denied) {
        const res = await s.send(await s.positive(route.id, { keyRole: 'scopeLimited' }));
        expectError(res, 'insufficient_scope', [limited, s.creds.hmac!.secret!]);
      }
    });

    it('answers the key without webhooks.read/webhooks.view on GET /api/v1/webhooks with 403 insufficient_scope, and the full key succeeds', async () => {
      await faultOnly(
        'webhooks-list',
        (r) => (r.headers[API_KEY] = key('scopeLimited').value),
        'insufficient_scope',
      );
    });

    for (const routeId of ['payments-list', 'payments-get', 'balance-get']) {
      it(`grants ${routeId} (needs ${routeId.startsWith('balance') ? 'balance.read' : 'payments.read'}) to a key holding only its .view alias`, async () => {
        const res = await s.send(await s.positive(routeId, { keyRole: 'scopeLimited' }));
        expectSuccess(res, routeId);
      });
    }
  });

  // ---------------------------------------------------------------- v2 merchant binding

  describe('v2 X-Merchant-Id', () => {
    // The signature is checked before anything that depends on the caller's rights, so a merchant
    // header changed after signing fails as a signature (the named merchant's secret does not
    // verify it): without the secret nothing is learned. Signed for the other merchant, with its
    // secret, the key's merchant still does not match: 403 (next tests).
    it('answers an X-Merchant-Id changed to another merchant after signing with 401 invalid_signature', async () => {
      await faultOnly(V2, (r) => (r.headers[MERCHANT] = '100871'), 'invalid_signature');
    });

    it('answers an X-Merchant-Id of an unknown merchant with 401 invalid_signature', async () => {
      await faultOnly(V2, (r) => (r.headers[MERCHANT] = '999999'), 'invalid_signature');
    });

    it("answers this merchant's key signed as the other merchant (its id, its secret) with 403 merchant_mismatch", async () => {
      const req = await s.positive(V2);
      const other = s.creds.otherMerchantHmac!;
      req.headers[MERCHANT] = other.merchant!;
      const signing = hmacSigning(s.profile);
      const canonical = canonicalString(signing, {
        method: req.method,
        pathWithQuery: req.pathWithQuery,
        timestamp: req.headers['X-Timestamp']!,
        nonce: req.headers['X-Nonce']!,
        merchant: other.merchant!,
        body: req.body ?? '',
      });
      req.headers['X-Signature'] = signatureHeaderValue(signing, other.secret!, canonical);
      expectError(await s.send(req), 'merchant_mismatch', [key('valid').value, other.secret!]);
    });

    it("answers the other merchant's key sent with this merchant's X-Merchant-Id and signature with 403 merchant_mismatch", async () => {
      const res = await s.send(await s.positive(V2, { keyRole: 'otherMerchant' }));
      expectError(res, 'merchant_mismatch', [key('otherMerchant').value, s.creds.hmac!.secret!]);
    });

    it('answers a signed request without X-Merchant-Id with 401 missing_signature', async () => {
      await faultOnly(V2, (r) => delete r.headers[MERCHANT], 'missing_signature');
    });

    it('answers a non-numeric X-Merchant-Id with 400 bad_request', async () => {
      await faultOnly(V2, (r) => (r.headers[MERCHANT] = 'acme'), 'bad_request');
    });

    it("accepts the other merchant's key with its own X-Merchant-Id and secret (the twin)", async () => {
      const res = await s.send(await otherMerchantV2());
      expectSuccess(res, V2);
      expect((res.body as { merchant_id: string }).merchant_id).toBe('100871');
    });
  });

  // ---------------------------------------------------------------- v2 HMAC signing

  describe('v2 HMAC signature', () => {
    for (const header of [TIMESTAMP, NONCE, VERSION, SIGNATURE]) {
      it(`answers a signed request without ${header} with 401 missing_signature`, async () => {
        await faultOnly(V2, (r) => delete r.headers[header], 'missing_signature');
      });
    }

    it('answers X-Signature-Version v2 with 401 unsupported_signature_version', async () => {
      await faultOnly(V2, (r) => (r.headers[VERSION] = 'v2'), 'unsupported_signature_version');
    });

    it('answers a body changed by one byte after signing with 401 invalid_signature', async () => {
      await faultOnly(
        V2,
        (r) => {
          expect(r.body).toContain('2500');
          r.body = r.body!.replace('2500', '2501');
        },
        'invalid_signature',
      );
    });

    it('answers a signature over a path differing by one byte with 401 invalid_signature', async () => {
      await faultOnly(
        V2,
        (r) => resign(r, { signedPathWithQuery: '/api/v2/paymentz' }),
        'invalid_signature',
      );
    });

    it('accepts a signature over the path and its query exactly as sent (the twin of the query tests)', async () => {
      const r = await s.positive(V2);
      r.pathWithQuery = '/api/v2/payments?ref=a';
      resign(r);
      expectSuccess(await s.send(r), V2);
    });

    it('answers a query changed by one byte after signing with 401 invalid_signature', async () => {
      const base = resign(
        Object.assign(await s.positive(V2), { pathWithQuery: '/api/v2/payments?ref=a' }),
      );
      const bad = clone(base);
      bad.pathWithQuery = '/api/v2/payments?ref=b';
      expectError(await s.send(bad), 'invalid_signature', secretsOf(base));
      expectSuccess(await s.send(base), V2);
    });

    it('answers a query added after signing with 401 invalid_signature', async () => {
      await faultOnly(
        V2,
        (r) => (r.pathWithQuery = r.pathWithQuery + '?ref=a'),
        'invalid_signature',
      );
    });

    it("answers a signature made with the other merchant's secret with 401 invalid_signature", async () => {
      await faultOnly(
        V2,
        (r) => resign(r, { secret: s.creds.otherMerchantHmac!.secret }),
        'invalid_signature',
      );
    });

    it('answers a signature whose last hex character is changed with 401 invalid_signature', async () => {
      await faultOnly(
        V2,
        (r) => {
          const v = r.headers[SIGNATURE]!;
          r.headers[SIGNATURE] = v.slice(0, -1) + (v.endsWith('0') ? '1' : '0');
        },
        'invalid_signature',
      );
    });

    it('answers a signature truncated by one character with 401 invalid_signature', async () => {
      await faultOnly(
        V2,
        (r) => (r.headers[SIGNATURE] = r.headers[SIGNATURE]!.slice(0, -1)),
        'invalid_signature',
      );
    });

    it('answers a signature without the hmac_sha256= prefix with 401 invalid_signature', async () => {
      await faultOnly(
        V2,
        (r) => (r.headers[SIGNATURE] = r.headers[SIGNATURE]!.replace(/^hmac_sha256=/, '')),
        'invalid_signature',
      );
    });

    it('answers an upper-case hex digest with 401 invalid_signature (the format is lower-case hex)', async () => {
      await faultOnly(
        V2,
        (r) => {
          const [prefix, hex] = r.headers[SIGNATURE]!.split('=');
          expect(hex).toMatch(/[a-f]/);
          r.headers[SIGNATURE] = `${prefix}=${hex!.toUpperCase()}`;
        },
        'invalid_signature',
      );
    });

    // -------- timestamp window (300 s, inclusive)

    it('answers a timestamp 301 s in the past with 401 timestamp_out_of_window', async () => {
      const res = await s.send(await s.positive(V2, { nowSeconds: s.nowSeconds() - 301 }));
      expectError(res, 'timestamp_out_of_window', [s.creds.hmac!.secret!, key('valid').value]);
      expectSuccess(await s.send(await s.positive(V2)), V2);
    });

    // The clock stands 400 ms into a second: a mock that floors the millisecond difference sees
    // 300.6 s as 300 and lets N+301 through (a bug this test once caught).
    it('answers a timestamp 301 s in the future with 401 timestamp_out_of_window', async () => {
      const res = await s.send(await s.positive(V2, { nowSeconds: s.nowSeconds() + 301 }));
      expectError(res, 'timestamp_out_of_window', [s.creds.hmac!.secret!, key('valid').value]);
    });

    it('accepts a timestamp exactly 300 s in the past (the boundary is inclusive)', async () => {
      const res = await s.send(await s.positive(V2, { nowSeconds: s.nowSeconds() - 300 }));
      expectSuccess(res, V2);
    });

    it('accepts a timestamp exactly 300 s in the future (the boundary is inclusive)', async () => {
      const res = await s.send(await s.positive(V2, { nowSeconds: s.nowSeconds() + 300 }));
      expectSuccess(res, V2);
    });

    it('answers a signed non-numeric X-Timestamp with 401 timestamp_out_of_window', async () => {
      await faultOnly(V2, (r) => resign(r, { timestamp: 'yesterday' }), 'timestamp_out_of_window');
    });

    it('answers a signed X-Timestamp in milliseconds with 401 timestamp_out_of_window', async () => {
      await faultOnly(
        V2,
        (r) => resign(r, { timestamp: String(s.nowSeconds() * 1000) }),
        'timestamp_out_of_window',
      );
    });

    // -------- nonce form (8-128 of [A-Za-z0-9_-])

    it('answers a 7-character nonce with 401 invalid_nonce', async () => {
      const res = await s.send(await s.positive(V2, { nonce: 'a'.repeat(7) }));
      expectError(res, 'invalid_nonce', [s.creds.hmac!.secret!, key('valid').value]);
    });

    it('answers a 129-character nonce with 401 invalid_nonce', async () => {
      const res = await s.send(await s.positive(V2, { nonce: 'b'.repeat(129) }));
      expectError(res, 'invalid_nonce', [s.creds.hmac!.secret!, key('valid').value]);
    });

    it('accepts an 8-character nonce', async () => {
      expectSuccess(await s.send(await s.positive(V2, { nonce: 'c'.repeat(8) })), V2);
    });

    it('accepts a 128-character nonce', async () => {
      expectSuccess(await s.send(await s.positive(V2, { nonce: 'd'.repeat(128) })), V2);
    });

    it('accepts a nonce of every allowed character kind (letters, digits, _ and -)', async () => {
      expectSuccess(await s.send(await s.positive(V2, { nonce: 'aZ09_-xyz' })), V2);
    });

    for (const nonce of ['abcd.efgh', 'abcd efgh', 'abcd+efgh', 'abcdéfgh']) {
      it(`answers a nonce with a disallowed character (${JSON.stringify(nonce)}) with 401 invalid_nonce`, async () => {
        await faultOnly(V2, (r) => resign(r, { nonce }), 'invalid_nonce');
      });
    }

    // -------- nonce replay (300 s, per merchant)

    it('answers the same nonce a second time within 300 s with 401 nonce_replayed, even freshly signed', async () => {
      const nonce = 'replay-nonce-0001';
      const first = await s.positive(V2, { nonce });
      expectSuccess(await s.send(first), V2);
      advanceSeconds(1);
      const second = await s.positive(V2, { nonce });
      expect(second.headers[TIMESTAMP]).not.toBe(first.headers[TIMESTAMP]);
      expect(second.headers[SIGNATURE]).not.toBe(first.headers[SIGNATURE]);
      expectError(await s.send(second), 'nonce_replayed', secretsOf(second));
      // Only the nonce was wrong: a fresh one succeeds.
      expectSuccess(await s.send(await s.positive(V2)), V2);
    });

    it('answers a replay 299 s later (still inside the window) with 401 nonce_replayed', async () => {
      const nonce = 'replay-nonce-0002';
      expectSuccess(await s.send(await s.positive(V2, { nonce })), V2);
      advanceSeconds(299);
      expectError(await s.send(await s.positive(V2, { nonce })), 'nonce_replayed', [
        s.creds.hmac!.secret!,
      ]);
    });

    it('refuses a nonce while a request carrying it can be on time (twice the 300 s skew), and accepts it after', async () => {
      const nonce = 'replay-nonce-0003';
      expectSuccess(await s.send(await s.positive(V2, { nonce })), V2);
      // Past the 300 s replay window, a request signed 300 s ahead would still be on time.
      advanceSeconds(301);
      expectError(await s.send(await s.positive(V2, { nonce })), 'nonce_replayed', [
        s.creds.hmac!.secret!,
      ]);
      advanceSeconds(301);
      expectSuccess(await s.send(await s.positive(V2, { nonce })), V2);
    });

    it('accepts the same nonce for the other merchant (nonces are per merchant)', async () => {
      const nonce = 'shared-nonce-0004';
      expectSuccess(await s.send(await s.positive(V2, { nonce })), V2);
      const res = await s.send(await otherMerchantV2({ nonce }));
      expectSuccess(res, V2);
      expect((res.body as { merchant_id: string }).merchant_id).toBe('100871');
      // ...and the first merchant's nonce is still spent.
      expectError(await s.send(await s.positive(V2, { nonce })), 'nonce_replayed', [
        s.creds.hmac!.secret!,
      ]);
    });

    it('does not burn a nonce on a request whose signature is invalid', async () => {
      const base = await s.positive(V2, { nonce: 'unburnt-nonce-0005' });
      const bad = clone(base);
      bad.headers[SIGNATURE] =
        bad.headers[SIGNATURE]!.slice(0, -1) + (bad.headers[SIGNATURE]!.endsWith('0') ? '1' : '0');
      expectError(await s.send(bad), 'invalid_signature', secretsOf(base));
      expectSuccess(await s.send(base), V2);
    });
  });

  // ---------------------------------------------------------------- rate limits

  describe('rate limits', () => {
    /** Sends `n` requests built by `make` and returns the responses. */
    async function sendMany(
      n: number,
      make: () => Promise<OutgoingRequest>,
    ): Promise<MockResponse[]> {
      const out: MockResponse[] = [];
      for (let i = 0; i < n; i++) out.push(await s.send(await make()));
      return out;
    }

    it('answers the 101st standard request of a key within 60 s with 429 rate_limit_exceeded and Retry-After, and admits it again after 60 s', async () => {
      const { limit, windowSeconds } = s.profile.rateLimits!.standard!;
      expect([limit, windowSeconds]).toEqual([100, 60]);
      const req = await s.positive('balance-get');
      const res = await sendMany(limit, async () => req);
      expect(res.map((r) => r.status)).toEqual(Array(limit).fill(200));
      const over = await s.send(req);
      expectError(over, 'rate_limit_exceeded', [key('valid').value]);
      const retryAfter = over.headers['retry-after'];
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(windowSeconds);
      advanceSeconds(windowSeconds);
      expectSuccess(await s.send(req), 'balance-get');
    });

    it('limits per key: another key of the same merchant is not limited when one key is', async () => {
      const req = await s.positive('balance-get');
      await sendMany(100, async () => req);
      expectError(await s.send(req), 'rate_limit_exceeded', [key('valid').value]);
      expectSuccess(
        await s.send(await s.positive('balance-get', { keyRole: 'live' })),
        'balance-get',
      );
      expectSuccess(
        await s.send(await s.positive('balance-get', { keyRole: 'scopeLimited' })),
        'balance-get',
      );
    });

    it('answers the 501st payment creation within 10 s (the burst) with 429 rate_limit_exceeded and Retry-After, and admits it again after 10 s', async () => {
      const burst = s.profile.rateLimits!.payment!.burst!;
      expect([burst.limit, burst.windowSeconds]).toEqual([500, 10]);
      const req = await s.positive('payments-create');
      const res = await sendMany(burst.limit, async () => req);
      expect(res.every((r) => r.status === 201)).toBe(true);
      const over = await s.send(req);
      expectError(over, 'rate_limit_exceeded', [key('valid').value]);
      expect(over.headers['retry-after']).toMatch(/^\d+$/);
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(burst.windowSeconds);
      advanceSeconds(burst.windowSeconds);
      expectSuccess(await s.send(req), 'payments-create');
    });
  });
});
