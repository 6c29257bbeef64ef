/**
 * The teeth corpus: realistic broken implementations of the five built-in profiles, each the
 * bundled mock with exactly one real-world mistake put in. The harness, given the correct
 * profile and credentials, must catch each with the scenarios in `caughtBy` (they must FAIL).
 * Checked in-process by test/engine/broken-servers.test.ts and over HTTP by test/teeth/
 * (`npm run teeth`). A mistake no scenario catches does not belong here: it is a scenario gap.
 */
import type { Fixtures } from '../../src/model/fixtures.ts';
import type { KeyMatch, StateStore } from '../../mock-server/state/state-store.ts';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  acceptAnyJwt,
  bearerOf,
  denialOf,
  header,
  isDenial,
  json,
  setHeader,
  signedAgain,
  swapValue,
  type BrokenContext,
  type BrokenServer,
} from './broken-targets.ts';
import { TYPES_CAPS_PARTIES } from './broken-types-caps-parties.ts';
import { anonymousAsDefaultUser, nbfLeewayDoubled, nbfWithoutLeeway } from './broken-jwt.ts';
import { hmacSigning } from './hmac-signing.ts';

const nowSeconds = (ms: number) => Math.floor(ms / 1000);

/** Every fixture record with one field removed: the column the query forgot to filter on. */
const untagRecords =
  (field: 'merchant' | 'store' | 'environment') =>
  (f: Fixtures): void => {
    for (const list of Object.values(f.records ?? {})) for (const r of list) delete r[field];
  };

/** The store's key lookup with its answer changed: a lookup that forgets one condition. */
const lookupKeys =
  (change: (m: KeyMatch, ctx: Omit<BrokenContext, 'mock'>) => KeyMatch | undefined) =>
  (store: StateStore, ctx: Omit<BrokenContext, 'mock'>): void => {
    const find = store.findKeyByValue.bind(store);
    store.findKeyByValue = async (value) => {
      const m = await find(value);
      return m && change(m, ctx);
    };
  };

const auxvault: BrokenServer[] = [
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
    name: 'tenant header ignored',
    profile: 'auxvault',
    models: 'X-Tenant-ID read for logging only: neither required nor compared with the key',
    caughtBy: ['missing-tenant-header', 'other-tenant-key'],
    mutateProfile: (p) => {
      p.bindings!.tenant!.required = 'never';
      p.bindings!.tenant!.onMismatch = 'ignore';
      p.bindings!.tenant!.resolvedAt = '/data/tenantId';
    },
  },
  {
    name: 'header names matched case-sensitively',
    profile: 'auxvault',
    models: 'reading headers from a plain object keyed by the exact spelling',
    caughtBy: ['header-name-case'],
    rewrite: (req, _creds, ctx) => {
      if (!('x-api-key' in req.headers) && header(req, 'x-api-key') !== undefined) {
        return denialOf(ctx, 'missing_credential', { credential: 'apiKey' });
      }
      return req;
    },
  },
  {
    name: 'JWT leeway of an hour',
    profile: 'auxvault',
    models: 'clockTolerance: 3600 "for clock drift", where the profile allows 30 s',
    caughtBy: ['expired-jwt'],
    mutateProfile: (p) => ((p.tokens!['access'] as { leewaySeconds: number }).leewaySeconds = 3600),
  },
  {
    name: 'JWT leeway doubled',
    profile: 'auxvault',
    models:
      'the leeway applied twice (once by the library, once by hand): 60 s where 30 s is allowed',
    caughtBy: ['jwt-expired-at-leeway-edge'],
    mutateProfile: (p) => ((p.tokens!['access'] as { leewaySeconds: number }).leewaySeconds = 60),
  },
  {
    name: 'JWT leeway ignored',
    profile: 'auxvault',
    models: 'jwt.verify without clockTolerance: a token expired 29 s ago is refused',
    caughtBy: ['jwt-within-leeway-accepted'],
    mutateProfile: (p) => ((p.tokens!['access'] as { leewaySeconds: number }).leewaySeconds = 0),
  },
  {
    name: 'JWT nbf never checked',
    profile: 'auxvault',
    models: 'a hand-written verifier that checks the signature and exp but not nbf',
    caughtBy: ['jwt-not-yet-valid'],
    rewrite: (req, _creds, ctx) =>
      acceptAnyJwt(
        req,
        ctx,
        (_alg, c) => typeof c.nbf === 'number' && c.nbf > nowSeconds(ctx.clock.now()),
      ),
  },
  {
    name: '500 on a JWT that does not verify',
    profile: 'auxvault',
    models: 'only TokenExpiredError caught around jwt.verify: any other verify error is a 500',
    caughtBy: ['jwt-bad-signature', 'jwt-alg-none'],
    respond: (res, _req, ctx) =>
      isDenial(res, ctx, 'token_invalid', { credential: 'jwt' })
        ? json(500, { success: false, error: { code: 'INTERNAL', message: 'invalid signature' } })
        : res,
  },
  {
    name: 'anonymous caller let through on JWT routes',
    profile: 'auxvault',
    models:
      'express-jwt with credentialsRequired: false, the dashboard user assumed when no token is sent',
    caughtBy: ['jwt-missing'],
    rewrite: (req, _creds, ctx) => anonymousAsDefaultUser(req, ctx),
  },
  {
    name: 'every HMAC size accepted',
    profile: 'auxvault',
    models: 'jwt.verify(token, secret) without algorithms: jsonwebtoken allows HS256, HS384, HS512',
    caughtBy: ['jwt-other-algorithm-size'],
    mutateProfile: (p) =>
      ((p.tokens!['access'] as { algorithms: string[] }).algorithms = ['HS256', 'HS384', 'HS512']),
  },
  {
    name: 'JWT nbf leeway doubled',
    profile: 'auxvault',
    models: 'clockTolerance applied by the library and again by a hand-written nbf check',
    caughtBy: ['jwt-not-yet-valid-at-leeway-edge'],
    rewrite: (req, _creds, ctx) => nbfLeewayDoubled(req, ctx),
  },
  {
    name: 'JWT nbf checked without the leeway',
    profile: 'auxvault',
    models: 'nbf compared with Date.now() by hand, the 30 s clockTolerance applied to exp only',
    caughtBy: ['jwt-nbf-within-leeway-accepted'],
    rewrite: (req, _creds, ctx) => nbfWithoutLeeway(req, ctx),
  },
];

const luxcore: BrokenServer[] = [
  {
    name: 'revoked key still accepted',
    profile: 'luxcore',
    models: 'a key cache that is never invalidated on revocation',
    caughtBy: ['revoked-key-refused'],
    rewrite: (req, creds) => swapValue(req, creds.keys!.revoked!.value, creds.keys!.valid!.value),
  },
  {
    name: 'webhook delete without the merchant filter',
    profile: 'luxcore',
    models:
      "reads filter by merchant, but the delete runs DELETE FROM webhooks WHERE id = ? alone: another merchant's webhook is deleted",
    caughtBy: ['other-merchant-record'],
    rewrite: (req, creds) =>
      req.method === 'DELETE' &&
      req.pathWithQuery === `/api/v1/webhooks/${creds.resources!['otherMerchantWebhook']}`
        ? { status: 204, headers: {}, body: undefined, rawBody: '' }
        : req,
  },
  {
    name: 'delete and cancel that answer success and change nothing',
    profile: 'luxcore',
    models:
      'a soft-delete or status flag that is never written: the call answers 204 / cancelled and the record lives on',
    caughtBy: ['used-up-record-refused'],
    mutateProfile: (p) => {
      for (const r of p.routes)
        if (r.id === 'webhooks-delete' || r.id === 'payments-cancel') r.consumes = false;
    },
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
      const n = hmacSigning(p).nonce;
      n.minLength = 1;
      n.maxLength = 100_000;
    },
  },
  {
    name: 'nonces over 64 characters refused',
    profile: 'luxcore',
    models: 'nonces stored in a VARCHAR(64) column: a valid 65-128 character nonce is refused',
    caughtBy: ['nonce-length-bounds-accepted'],
    mutateProfile: (p) => (hmacSigning(p).nonce.maxLength = 64),
  },
  {
    name: 'skew window of 3000 s',
    profile: 'luxcore',
    models: 'a window configured in the wrong unit (3000 instead of 300)',
    caughtBy: ['timestamp-too-old', 'timestamp-too-new'],
    mutateProfile: (p) => (hmacSigning(p).timestamp.skewSeconds = 3000),
  },
  {
    name: 'skew checked in one direction only',
    profile: 'luxcore',
    models: 'if (now - ts > 300) reject, without Math.abs: any future timestamp passes',
    caughtBy: ['timestamp-too-new'],
    // The mock's window made endless, and the past side checked here, as the broken code does.
    mutateProfile: (p) => (hmacSigning(p).timestamp.skewSeconds = 10 * 365 * 86400),
    rewrite: (req, _creds, ctx) => {
      const ts = Number(header(req, 'x-timestamp'));
      const skew = hmacSigning(ctx.profile).timestamp.skewSeconds;
      return nowSeconds(ctx.clock.now()) - ts > skew ? denialOf(ctx, 'timestamp_skew') : req;
    },
  },
  {
    name: 'skew window of 30 s',
    profile: 'luxcore',
    models: 'a window copied from another API (30 s): valid timestamps up to 300 s off refused',
    caughtBy: ['timestamp-inside-window'],
    mutateProfile: (p) => (hmacSigning(p).timestamp.skewSeconds = 30),
  },
  {
    name: 'timestamp window exclusive at its edge',
    profile: 'luxcore',
    models: 'if (skew >= 300) reject, where the guide rejects only "more than 300 seconds"',
    caughtBy: ['timestamp-at-window-edge'],
    mutateProfile: (p) => (hmacSigning(p).timestamp.boundary = 'exclusive'),
  },
  {
    name: 'timestamp window one second wide',
    profile: 'luxcore',
    models: 'the skew rounded (Math.round) before the comparison: 300.5 s and 301 s off pass',
    caughtBy: ['timestamp-just-outside-window'],
    mutateProfile: (p) => (hmacSigning(p).timestamp.skewSeconds = 301),
  },
  {
    name: 'nonce store keyed by API key',
    profile: 'luxcore',
    models: 'nonces remembered per API key, where the profile scopes them to the merchant',
    caughtBy: ['nonce-replayed-with-another-key'],
    mutateProfile: (p) => (hmacSigning(p).nonce.scope = 'key'),
  },
  {
    name: 'nonce pattern ignored',
    profile: 'luxcore',
    models: 'the nonce length checked but its characters never: "a.b c+d/e" is stored and signed',
    caughtBy: ['nonce-disallowed-characters'],
    mutateProfile: (p) => delete hmacSigning(p).nonce.pattern,
  },
  {
    name: 'nonce max length off by one',
    profile: 'luxcore',
    models: 'if (nonce.length >= 128) reject: a valid 128-character nonce is refused',
    caughtBy: ['nonce-length-bounds-accepted'],
    mutateProfile: (p) => (hmacSigning(p).nonce.maxLength = 127),
  },
  {
    name: 'nonce min length off by one',
    profile: 'luxcore',
    models: 'if (nonce.length < 7) reject: a 7-character nonce passes where 8 is the minimum',
    caughtBy: ['nonce-too-short'],
    mutateProfile: (p) => (hmacSigning(p).nonce.minLength = 7),
  },
  {
    name: 'nonce cache TTL in the wrong unit',
    profile: 'luxcore',
    models:
      'a cache whose TTL is in seconds given the window in milliseconds / 1000: 300 ms, not 300 s',
    caughtBy: ['nonce-replayed-late-in-window'],
    mutateStore: (store) => {
      const remember = store.rememberNonce.bind(store);
      store.rememberNonce = (scope, nonce, ttlMs, max) => remember(scope, nonce, ttlMs / 1000, max);
    },
  },
  {
    name: 'nonces kept for the replay window only',
    profile: 'luxcore',
    models:
      'a nonce cache with a 300 s TTL from receipt: a request signed 300 s ahead is still on time 599 s later, and its nonce is forgotten',
    caughtBy: ['nonce-replayed-while-signed-ahead'],
    mutateStore: (store) => {
      const remember = store.rememberNonce.bind(store);
      store.rememberNonce = (scope, nonce, ttlMs, max) =>
        remember(scope, nonce, Math.min(ttlMs, 300_000), max);
    },
  },
  {
    name: 'HMAC ignores the query string',
    profile: 'luxcore',
    models: 'signing req.path where the guide says path_with_query',
    caughtBy: ['signature-query-tampered'],
    mutateProfile: (p) =>
      (hmacSigning(p).canonical.parts = [
        'method',
        'path',
        'timestamp',
        'nonce',
        'body_sha256_hex',
      ]),
  },
  {
    name: 'HMAC over the re-parsed body',
    profile: 'luxcore',
    models:
      'the body hashed as JSON.stringify(req.body) after the body parser, not as the raw bytes sent',
    caughtBy: ['signature-body-tampered'],
    rewrite: (req) => {
      if (header(req, 'x-signature') === undefined || req.body === undefined) return req;
      try {
        req.body = JSON.stringify(JSON.parse(req.body));
      } catch {
        // Not JSON: the body parser would have refused it; the mock does the same.
      }
      return req;
    },
  },
  {
    name: 'unsigned requests let through',
    profile: 'luxcore',
    models:
      'the signature verified only "if (req.headers[\'x-signature\'])": no signature, no check',
    caughtBy: ['signature-missing'],
    rewrite: (req, _creds, ctx) =>
      header(req, 'x-signature') === undefined && header(req, 'x-nonce') !== undefined
        ? signedAgain(req, ctx)
        : req,
  },
  {
    name: 'any signature version accepted',
    profile: 'luxcore',
    models: 'X-Signature-Version read but never compared',
    caughtBy: ['signature-wrong-version'],
    rewrite: (req) =>
      header(req, 'x-signature-version') === undefined
        ? req
        : setHeader(req, 'X-Signature-Version', 'v1'),
  },
  {
    name: 'test key reaches live data',
    profile: 'luxcore',
    models: 'the environment taken from a request flag instead of from the key',
    caughtBy: ['test-key-on-live-data'],
    mutateProfile: (p) => delete p.keyFormats!['test']!.environment,
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
    name: "another merchant's records served",
    profile: 'luxcore',
    models: "payments fetched by id alone, without AND merchant_id = the key's merchant",
    caughtBy: ['other-merchant-record'],
    mutateFixtures: untagRecords('merchant'),
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
    name: 'signature compared on its first 16 hex digits',
    profile: 'luxcore',
    models:
      'a "fast path" that compares expected.slice(0, 28) === sent.slice(0, 28): the tail of the digest is never read',
    caughtBy: ['signature-tail-changed', 'signature-truncated'],
    rewrite: (req, _creds, ctx) => {
      const sent = header(req, 'x-signature');
      const expected = header(signedAgain(structuredClone(req), ctx), 'x-signature');
      const head = 'hmac_sha256='.length + 16;
      return sent !== undefined &&
        expected !== undefined &&
        sent.length >= head &&
        sent.slice(0, head) === expected.slice(0, head)
        ? setHeader(req, 'X-Signature', expected)
        : req;
    },
  },
  {
    name: 'signature compared with startsWith',
    profile: 'luxcore',
    models: 'expected.startsWith(sent) where equality was meant: any prefix of the digest passes',
    caughtBy: ['signature-truncated'],
    rewrite: (req, _creds, ctx) => {
      const sent = header(req, 'x-signature');
      const expected = header(signedAgain(structuredClone(req), ctx), 'x-signature');
      return sent !== undefined && expected !== undefined && expected.startsWith(sent)
        ? setHeader(req, 'X-Signature', expected)
        : req;
    },
  },
  {
    name: 'HMAC without the method',
    profile: 'luxcore',
    models:
      'a canonical string that starts at path_with_query: a request signed as GET is accepted as POST',
    caughtBy: ['signature-method-tampered'],
    mutateProfile: (p) =>
      (hmacSigning(p).canonical.parts = [
        'path_with_query',
        'timestamp',
        'nonce',
        'body_sha256_hex',
      ]),
  },
  {
    name: 'HMAC without the path',
    profile: 'luxcore',
    models:
      'a canonical string of method, timestamp, nonce and body only: a signature made for one endpoint is accepted on another',
    caughtBy: ['signature-path-tampered', 'signature-query-tampered'],
    mutateProfile: (p) =>
      (hmacSigning(p).canonical.parts = ['method', 'timestamp', 'nonce', 'body_sha256_hex']),
  },
  {
    name: 'empty signature skips the check',
    profile: 'luxcore',
    models:
      'if (sig && !timingSafeEqual(sig, expected)) reject: a request with an empty digest is never compared',
    caughtBy: ['signature-empty'],
    rewrite: (req, _creds, ctx) =>
      header(req, 'x-signature') === 'hmac_sha256=' ? signedAgain(req, ctx) : req,
  },
  {
    name: 'merchant id not used to pick the secret',
    profile: 'luxcore',
    models:
      "the HMAC secret looked up by the API key's merchant, not by X-Merchant-Id: the header names any merchant",
    caughtBy: ['signature-wrong-key-id'],
    rewrite: (req, creds) => {
      const merchant = creds.hmac?.merchant;
      const sent = header(req, 'x-merchant-id');
      return merchant !== undefined && sent !== undefined && sent !== merchant
        ? setHeader(req, 'X-Merchant-Id', merchant)
        : req;
    },
  },
  {
    name: 'revoked-key message masking only the last character',
    profile: 'luxcore',
    models:
      'a home-made mask in the error message, `${key.slice(0, -1)}*`: 42 of the 43 characters of a real key come back',
    caughtBy: ['revoked-key-refused'],
    respond: (res, req, ctx) => {
      const key = header(req, 'x-api-key');
      if (key === undefined || !isDenial(res, ctx, 'revoked_credential', { credential: 'apiKey' }))
        return res;
      const body = res.body as { error: { code: string; message: string } };
      return json(
        res.status,
        { error: { ...body.error, message: `API key ${key.slice(0, -1)}* has been revoked.` } },
        res.headers,
      );
    },
  },
  {
    // Issue 12, item 10: the key whole, but not one character of it raw in the answer's text.
    name: 'error body echoing the submitted key JSON-escaped',
    profile: 'luxcore',
    models:
      'an error body written by a hand-made JSON writer that escapes every character of a string as \\u00XX: the key comes back whole, "\\u0071\\u0070\\u005f..."',
    caughtBy: ['revoked-key-refused'],
    respond: (res, req, ctx) => {
      const key = header(req, 'x-api-key');
      if (key === undefined || !isDenial(res, ctx, 'revoked_credential', { credential: 'apiKey' }))
        return res;
      const body = res.body as { error: { code: string; message: string } };
      const escaped = (s: string) =>
        [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
      const rawBody = `{"error":{"code":"${body.error.code}","message":"${escaped(`API key ${key} has been revoked.`)}"}}`;
      return { ...res, body: JSON.parse(rawBody) as unknown, rawBody };
    },
  },
];

const vaulera: BrokenServer[] = [
  {
    name: 'created key unknown until the cache reloads',
    profile: 'vaulera',
    models: 'keys loaded into the auth cache at startup: a key created since is refused',
    caughtBy: ['key-lifecycle-model'],
    mutateStore: lookupKeys((m, ctx) =>
      ctx.fixtures.keys.some((k) => k.id === m.key.id) ? m : undefined,
    ),
  },
  {
    name: 'no rate limit',
    profile: 'vaulera',
    models: 'the rate limiter configured in production only',
    caughtBy: ['rate-limit-429'],
    mutateProfile: (p) => p.routes.forEach((r) => delete r.rateClass),
  },
  {
    name: 'rate limit of 10 per 10 s',
    profile: 'vaulera',
    models: 'the limit set in the wrong window: 10 per 10 s where the profile allows 60 per minute',
    caughtBy: ['rate-limit-429'],
    mutateProfile: (p) =>
      Object.assign(p.rateLimits!['default']!, { limit: 10, windowSeconds: 10 }),
  },
  {
    name: 'rate limit admits one request too many',
    profile: 'vaulera',
    models:
      'the count compared before it is incremented (if (count > 60) reject; count++): 61 pass',
    caughtBy: ['rate-limit-429'],
    mutateProfile: (p) => (p.rateLimits!['default']!.limit += 1),
  },
  {
    name: 'rate limit refuses the last allowed request',
    profile: 'vaulera',
    models: 'if (++count >= 60) reject: the 60th request of the minute, still allowed, is refused',
    caughtBy: ['rate-limit-429'],
    mutateProfile: (p) => (p.rateLimits!['default']!.limit -= 1),
  },
  {
    name: '429 without Retry-After',
    profile: 'vaulera',
    models: 'a rate limiter that answers 429 but never says when to come back',
    caughtBy: ['rate-limit-429'],
    respond: (res) => {
      if (res.status === 429) delete res.headers['retry-after'];
      return res;
    },
  },
  {
    name: 'revoked key reported as unknown',
    profile: 'vaulera',
    models: 'revocation implemented as deletion: the documented revoked_api_key error never comes',
    caughtBy: ['revoked-key-refused'],
    mutateProfile: (p) =>
      (p.denials.revoked_credential = {
        default: 'invalid_api_key',
        sessionToken: 'invalid_session_token',
      }),
  },
  {
    name: 'error body of the framework, not the API',
    profile: 'vaulera',
    models: 'a missing key refused by the framework\'s default {"message":"Unauthorized"} body',
    caughtBy: ['missing-key'],
    mutateProfile: (p) => (p.errors['missing_api_key']!.body = { message: 'Unauthorized' }),
  },
  {
    name: '500 on a key of another shape',
    profile: 'vaulera',
    models: "a key parser that assumes the vlr_sk_ prefix (key.split('vlr_sk_')[1].length) throws",
    caughtBy: ['malformed-key'],
    rewrite: (req) => {
      const key = header(req, 'x-api-key');
      return key !== undefined && !key.startsWith('vlr_sk_')
        ? json(500, { message: "Cannot read properties of undefined (reading 'length')" })
        : req;
    },
  },
  {
    name: 'error message naming the key it could not find',
    profile: 'vaulera',
    models:
      'an unknown key refused with `Invalid API key ${key}`: the near-miss key sent (46 of 47 characters of a real one) comes back',
    caughtBy: ['unknown-key'],
    respond: (res, req, ctx) => {
      const key = header(req, 'x-api-key');
      if (key === undefined || !isDenial(res, ctx, 'unknown_credential', { credential: 'apiKey' }))
        return res;
      const body = res.body as { error: { type: string; code: string; message: string } };
      return json(
        res.status,
        { error: { ...body.error, message: `Invalid API key ${key}` } },
        res.headers,
      );
    },
  },
];

const vesuviopay: BrokenServer[] = [
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
    rewrite: (req, _creds, ctx) => acceptAnyJwt(req, ctx, (alg) => alg === 'none'),
  },
  {
    name: 'HS256 accepted where RS256 is expected',
    profile: 'vesuviopay',
    models: 'verify(token, publicKey) without an algorithm allow-list',
    caughtBy: ['jwt-algorithm-confusion'],
    rewrite: (req, _creds, ctx) => acceptAnyJwt(req, ctx, (alg) => alg === 'HS256'),
  },
  {
    name: 'every RSA size accepted',
    profile: 'vesuviopay',
    models:
      'jwt.verify(token, publicKey) without algorithms: jsonwebtoken allows RS256, RS384, RS512',
    caughtBy: ['jwt-other-algorithm-size'],
    rewrite: (req, _creds, ctx) => acceptAnyJwt(req, ctx, (alg) => alg === 'RS512'),
  },
  {
    name: 'cart calls without a customer token let through',
    profile: 'vesuviopay',
    models:
      'the customer JWT middleware run only when an Authorization header is present, a guest customer assumed otherwise',
    caughtBy: ['jwt-missing'],
    rewrite: (req, _creds, ctx) => anonymousAsDefaultUser(req, ctx),
  },
  {
    name: 'JWT decoded, never verified',
    profile: 'vesuviopay',
    models: 'jwt.decode() where jwt.verify() was meant, with exp compared by hand',
    caughtBy: ['jwt-bad-signature', 'jwt-alg-none', 'jwt-algorithm-confusion'],
    rewrite: (req, _creds, ctx) =>
      acceptAnyJwt(
        req,
        ctx,
        (_alg, c) => typeof c.exp === 'number' && c.exp > nowSeconds(ctx.clock.now()),
      ),
  },
  {
    name: 'publishable key accepted on a secret call',
    profile: 'vesuviopay',
    models: 'one key lookup for both key kinds, no type check on server-only routes',
    caughtBy: ['publishable-key-on-secret-call'],
    mutateProfile: (p) => p.routes.forEach((r) => delete r.keyTypes),
  },
  {
    name: 'error body of the framework on a denied key type',
    profile: 'vesuviopay',
    models:
      'a 403 thrown as the framework\'s {"statusCode":403,"error":"Forbidden"}, not the guide\'s body',
    caughtBy: ['publishable-key-on-secret-call'],
    mutateProfile: (p) =>
      (p.errors['ACCESS_DENIED']!.body = {
        statusCode: 403,
        error: 'Forbidden',
        message: 'Insufficient permissions',
      }),
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
    name: "another store's records served",
    profile: 'vesuviopay',
    models: "customers fetched by id alone, without AND store_id = the key's store",
    caughtBy: ['other-store-record'],
    mutateFixtures: untagRecords('store'),
  },
  {
    name: 'test key reaches live records',
    profile: 'vesuviopay',
    models: 'one table for both environments, rows not tagged test or live',
    caughtBy: ['test-key-on-live-data'],
    mutateFixtures: untagRecords('environment'),
  },
  {
    name: 'key expiry never checked',
    profile: 'vesuviopay',
    models: 'expiresAt stored with the key but never compared with the clock',
    caughtBy: ['expired-key-refused'],
    rewrite: (req, creds) => swapValue(req, creds.keys!.expired!.value, creds.keys!.valid!.value),
  },
  {
    name: 'error body echoing the submitted key',
    profile: 'vesuviopay',
    models: 'an error message built by interpolation: `API key ${key} has been revoked`',
    caughtBy: ['revoked-key-refused'],
    respond: (res, req, ctx) => {
      const key = header(req, 'x-api-key');
      if (key === undefined || !isDenial(res, ctx, 'revoked_credential', { credential: 'apiKey' }))
        return res;
      return json(res.status, {
        ...(res.body as object),
        message: `API key ${key} has been revoked`,
      });
    },
  },
  {
    name: '500 on a bearer that is not a JWT',
    profile: 'vesuviopay',
    models:
      "claims read with JSON.parse(atob(token.split('.')[1])) before verifying, without a try: a token that is not a JWT throws",
    caughtBy: ['jwt-malformed'],
    rewrite: (req) => {
      const token = bearerOf(req);
      if (token === undefined) return req;
      try {
        decodeProtectedHeader(token);
        decodeJwt(token);
        return req;
      } catch {
        return json(500, { success: false, message: 'Internal server error' });
      }
    },
  },
];

const gateway: BrokenServer[] = [
  {
    name: 'revoked key still accepted',
    profile: 'gateway',
    models: 'revocation written to the database but the authorizer reads a stale replica',
    caughtBy: ['revoked-key-refused'],
    rewrite: (req, creds) => swapValue(req, creds.keys!.revoked!.value, creds.keys!.valid!.value),
  },
  {
    name: 'key secret never compared',
    profile: 'gateway',
    models: 'sk_<id>.<secret> looked up by its id, the secret part never checked',
    caughtBy: ['unknown-key'],
    rewrite: (req, _creds, ctx) => {
      const sent = bearerOf(req);
      const id = sent?.match(/^(sk_[a-z0-9]+)\./)?.[1];
      const issued = ctx.fixtures.keys.find(
        (k) => id !== undefined && k.value.startsWith(`${id}.`),
      );
      return sent !== undefined && issued ? swapValue(req, sent, issued.value) : req;
    },
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
        : setHeader(req, 'Authorization', `Bearer ${creds.keys!.valid!.value}`),
  },
  {
    name: 'scopes checked on writes only',
    profile: 'gateway',
    models: 'the scope guard mounted on POST/PATCH/DELETE only: any key of the organization reads',
    caughtBy: ['scope-denied'],
    mutateProfile: (p) => p.routes.filter((r) => r.method === 'GET').forEach((r) => delete r.scope),
  },
  {
    name: 'system key accepted on organization routes',
    profile: 'gateway',
    models: 'a global-admin bypass applied to every route',
    caughtBy: ['system-key-on-organization-route'],
    mutateProfile: (p) => p.routes.forEach((r) => delete r.keyTypes),
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
    name: 'X-Organization-ID refused',
    profile: 'gateway',
    models: 'strict header validation answering 400 to the header the guide says is ignored',
    caughtBy: ['organization-header-does-not-switch'],
    rewrite: (req, _creds, ctx) =>
      header(req, 'x-organization-id') !== undefined ? denialOf(ctx, 'malformed_request') : req,
  },
  {
    name: 'missing key answered 403',
    profile: 'gateway',
    models: 'a deny-by-default rule that answers anonymous calls 403 Forbidden instead of 401',
    caughtBy: ['missing-key'],
    mutateProfile: (p) => (p.errors['missingApiKey']!.status = 403),
  },
  {
    name: 'error body echoing the submitted key',
    profile: 'gateway',
    models: 'the revoked-key message built from the Authorization header it refuses',
    caughtBy: ['revoked-key-refused'],
    respond: (res, req, ctx) => {
      const key = bearerOf(req);
      if (
        key === undefined ||
        !isDenial(res, ctx, 'revoked_credential', { credential: 'bearerKey' })
      )
        return res;
      return json(res.status, { ...(res.body as object), message: `API key ${key} was revoked.` });
    },
  },
  {
    // Issue 12, item 10: the key whole, but base64-encoded.
    name: 'denials carrying the credential base64-encoded in a debug header',
    profile: 'gateway',
    models:
      'a gateway that tells its upstream which credential it saw in X-Debug-Credential: base64(Authorization), left on for denials too',
    caughtBy: ['revoked-key-refused'],
    respond: (res, req, ctx) => {
      const auth = header(req, 'authorization');
      if (
        auth === undefined ||
        !isDenial(res, ctx, 'revoked_credential', { credential: 'bearerKey' })
      )
        return res;
      const debug = Buffer.from(auth).toString('base64');
      return { ...res, headers: { ...res.headers, 'x-debug-credential': debug } };
    },
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
  {
    name: '401 without WWW-Authenticate',
    profile: 'gateway',
    models:
      'errors rendered by a generic handler that sets the status and body but not the challenge header RFC 6750 §3 asks of a 401',
    caughtBy: ['missing-key', 'unknown-key', 'revoked-key-refused'],
    respond: (res) => {
      delete res.headers['www-authenticate'];
      return res;
    },
  },
];

export const BROKEN_CORPUS: readonly BrokenServer[] = [
  ...auxvault,
  ...luxcore,
  ...vaulera,
  ...vesuviopay,
  ...gateway,
  ...TYPES_CAPS_PARTIES,
];
