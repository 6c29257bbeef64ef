/**
 * HMAC-SHA512 request signing for shipment and label purchases. The canonical string is
 *   timestamp \n nonce \n METHOD \n path \n query \n sha256_hex(raw body)
 * with the path and the query exactly as sent, the timestamp in milliseconds, and the secret of
 * the signing key named in Tidewater-Signing-Key (which must belong to the caller's account).
 * A nonce may be used once per signing key within 240 s; the nonce store forgets a nonce when
 * its window ends, so it stays bounded by the request rate.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { Problem } from './problem.ts';
import type { World } from './world.ts';
import type { Clock } from './server.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

const VERSION = '2024-06-01';
const SKEW_MS = 120_000;
const NONCE = /^[A-Za-z0-9]{16,64}$/;
const REPLAY_WINDOW_MS = 240_000;

/**
 * The preHandler, and `forget` for a reset of the test deployment. `replayWindowMs` is the
 * nonce memory: shorter only for the project's test of a server that forgets nonces early.
 */
export function signedRequest(
  world: World,
  clock: Clock,
  replayWindowMs = REPLAY_WINDOW_MS,
): { check: preHandlerAsyncHookHandler; forget(): void } {
  let seen = new NonceStore(replayWindowMs);
  const check = async (req: FastifyRequest) => {
    const h = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const signer = h('tidewater-signing-key');
    const timestamp = h('tidewater-timestamp');
    const nonce = h('tidewater-nonce');
    const version = h('tidewater-signature-version');
    const signature = h('tidewater-signature');
    if (!signer || !timestamp || !nonce || !version || !signature)
      throw new Problem('signature_required');
    if (version !== VERSION) throw new Problem('signature_version_unsupported');
    // Exactly 120 s apart is already too far (exclusive bound); a timestamp that is not an
    // integer is as good as one from another day.
    if (!/^\d{1,16}$/.test(timestamp) || Math.abs(clock.now() - Number(timestamp)) >= SKEW_MS)
      throw new Problem('timestamp_out_of_range');
    if (!NONCE.test(nonce)) throw new Problem('nonce_invalid');
    const key = world.signingKeys.find((k) => k.id === signer);
    if (!key || key.account !== req.apiKey?.account) throw new Problem('signature_invalid');
    const url = req.raw.url ?? '';
    const q = url.indexOf('?');
    const canonical = [
      timestamp,
      nonce,
      req.method.toUpperCase(),
      q < 0 ? url : url.slice(0, q),
      q < 0 ? '' : url.slice(q + 1),
      createHash('sha256')
        .update(req.rawBody ?? '')
        .digest('hex'),
    ].join('\n');
    const expected = createHmac('sha512', key.secret).update(canonical).digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new Problem('signature_invalid');
    if (!seen.add(`${key.id}:${nonce}`, clock.now())) throw new Problem('nonce_reused');
  };
  return { check, forget: () => (seen = new NonceStore(replayWindowMs)) };
}

class NonceStore {
  private readonly expiry = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** False when the nonce was already used inside its window. */
  add(id: string, now: number): boolean {
    for (const [k, until] of this.expiry) {
      // Insertion order is expiry order: stop at the first one still inside its window.
      if (until > now) break;
      this.expiry.delete(k);
    }
    if (this.expiry.has(id)) return false;
    this.expiry.set(id, now + this.windowMs);
    return true;
  }
}
