/**
 * HMAC request signatures per the profile's signing data: headers present, version, timestamp
 * inside the skew window, nonce of the allowed length and characters, signature over the
 * canonical string compared in constant time, and only then the nonce remembered (so unsigned
 * junk cannot burn a merchant's nonces).
 *
 * The nonce stays remembered whatever happens to the request afterwards (refused for its rate,
 * scope or records): a captured request that was refused could otherwise be replayed inside its
 * window, after its sender retried with a new nonce, and be executed twice. Each signing identity
 * holds at most `nonceBound` nonces (nonce-bound.ts); past it the request is refused with a
 * StoreFullError (429 and Retry-After until its oldest nonce expires), never by forgetting one.
 */
import { timingSafeEqual } from 'node:crypto';
import type { HmacSigning } from '../../src/model/profile.ts';
import { canonicalString, signatureHeaderValue } from '../../src/sign/hmac-canonical.ts';
import { StoreFullError, type StateStore } from '../state/state-store.ts';
import type { Clock, MockRequest } from './mock-types.ts';
import { Denial } from './deny.ts';
import { anchored } from '../../src/model/anchored-pattern.ts';

export interface SignerIdentity {
  merchant: string;
  secret: string;
  keyId: string;
}

export async function verifyHmac(
  signing: HmacSigning,
  req: MockRequest,
  secretOf: (merchant: string) => string | undefined,
  keyId: string,
  store: StateStore,
  clock: Clock,
  /** Most nonces the identity signing as this merchant may hold at once. */
  nonceBound: (merchant: string) => number,
): Promise<void> {
  const h = (name: string) => req.headers[name.toLowerCase()];
  const merchant = h(signing.headers.merchant);
  const timestamp = h(signing.headers.timestamp);
  const nonce = h(signing.headers.nonce);
  const version = h(signing.headers.version);
  const signature = h(signing.headers.signature);
  if (!merchant || !timestamp || !nonce || !version || !signature)
    throw new Denial('signature_missing');
  if (version !== signing.version) throw new Denial('signature_version');

  if (!/^\d{1,16}$/.test(timestamp)) throw new Denial('timestamp_skew');
  // Compare at the unit's own resolution: "differs from current time by more than 300 seconds"
  // is about whole seconds on the wire, so the mock's clock is read in whole seconds too.
  const now = signing.timestamp.unit === 'seconds' ? Math.floor(clock.now() / 1000) : clock.now();
  const limit =
    signing.timestamp.unit === 'seconds'
      ? signing.timestamp.skewSeconds
      : signing.timestamp.skewSeconds * 1000;
  const skew = Math.abs(now - Number(timestamp));
  if (signing.timestamp.boundary === 'inclusive' ? skew > limit : skew >= limit)
    throw new Denial('timestamp_skew');

  if (nonce.length < signing.nonce.minLength || nonce.length > signing.nonce.maxLength)
    throw new Denial('nonce_invalid');
  if (signing.nonce.pattern !== undefined && !anchored(signing.nonce.pattern).test(nonce)) {
    throw new Denial('nonce_invalid');
  }

  const secret = secretOf(merchant);
  if (secret === undefined) throw new Denial('signature_invalid');
  const expected = signatureHeaderValue(
    signing,
    secret,
    canonicalString(signing, {
      method: req.method,
      pathWithQuery: req.pathWithQuery,
      timestamp,
      nonce,
      merchant,
      body: req.body,
    }),
  );
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new Denial('signature_invalid');

  const scope =
    signing.nonce.scope === 'global'
      ? 'global'
      : signing.nonce.scope === 'key'
        ? `key:${keyId}`
        : `merchant:${merchant}`;
  const verdict = await store.rememberNonce(
    scope,
    nonce,
    signing.nonce.replayWindowSeconds * 1000,
    nonceBound(merchant),
  );
  if (verdict === 'replay') throw new Denial('nonce_replay');
  if (verdict !== 'fresh')
    throw new StoreFullError(
      verdict.full === 'scope' ? `nonces of ${scope} inside its replay window` : 'nonces',
      verdict.max,
      verdict.retryAfterMs,
    );
}
