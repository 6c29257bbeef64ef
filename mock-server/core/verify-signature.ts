/**
 * A signed route's signature, checked by the route's signer (whatever its scheme: header HMAC,
 * SigV4, Hawk, RFC 9421, a user's module): present, version, time window, nonce form, and the
 * signature over what was sent. Only then is the nonce remembered (so unsigned junk cannot burn
 * a merchant's nonces).
 *
 * The nonce stays remembered whatever happens to the request afterwards (refused for its rate,
 * scope or records): a captured request that was refused could otherwise be replayed inside its
 * window, after its sender retried with a new nonce, and be executed twice. Each signing identity
 * holds at most `nonceBound` nonces (nonce-bound.ts); past it the request is refused with a
 * StoreFullError (429 and Retry-After until its oldest nonce expires), never by forgetting one.
 */
import type { FixtureHmacSecret } from '../../src/model/fixtures.ts';
import type { RouteSigning } from '../../src/sign/signers.ts';
import type { SigningKey } from '../../src/sign/signer.ts';
import { nonceMemorySeconds } from './nonce-bound.ts';
import { StoreFullError, type StateStore } from '../state/state-store.ts';
import type { Clock, MockRequest } from './mock-types.ts';
import { Denial } from './deny.ts';

export async function verifySignature(
  signing: RouteSigning,
  req: MockRequest,
  secrets: readonly FixtureHmacSecret[],
  /** The id of the API key sent beside the signature, for nonces scoped to it. */
  apiKeyId: string,
  store: StateStore,
  clock: Clock,
  /** Most nonces the identity signing as this merchant may hold at once. */
  nonceBound: (merchant: string) => number,
): Promise<void> {
  const verdict = await signing.signer.verify(
    signing.config,
    {
      method: req.method,
      host: req.headers.host ?? '',
      pathWithQuery: req.pathWithQuery,
      headers: req.headers,
      // A view of the bytes, not a copy.
      body: Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength).toString('utf8'),
    },
    (keyId) => signingKeyOf(secrets.find((s) => (s.keyId ?? s.merchant) === keyId)),
    clock.now(),
  );
  if (!verdict.ok) throw new Denial(verdict.denial);
  const nonce = signing.parts.nonce;
  if (nonce === undefined || verdict.nonce === undefined) return;
  const merchant =
    secrets.find((s) => (s.keyId ?? s.merchant) === verdict.keyId)?.merchant ?? verdict.keyId;
  const scope =
    nonce.scope === 'global'
      ? 'global'
      : nonce.scope === 'key'
        ? `key:${apiKeyId}`
        : `merchant:${merchant}`;
  const remembered = await store.rememberNonce(
    scope,
    verdict.nonce,
    nonceMemorySeconds(signing.parts) * 1000,
    nonceBound(merchant),
  );
  if (remembered === 'replay') throw new Denial('nonce_replay');
  if (remembered !== 'fresh')
    throw new StoreFullError(
      remembered.full === 'scope' ? `nonces of ${scope} inside its replay window` : 'nonces',
      remembered.max,
      remembered.retryAfterMs,
    );
}

function signingKeyOf(entry: FixtureHmacSecret | undefined): SigningKey | undefined {
  if (entry === undefined) return undefined;
  return {
    keyId: entry.keyId ?? entry.merchant,
    ...(entry.secret !== undefined ? { secret: entry.secret } : {}),
    ...(entry.privateKeyPem !== undefined ? { privateKeyPem: entry.privateKeyPem } : {}),
    ...(entry.publicKeyPem !== undefined ? { publicKeyPem: entry.publicKeyPem } : {}),
  };
}
