/**
 * Issue 12, item 1: a replay cache must never forget a nonce inside its window. One merchant
 * flooding the mock with its own validly signed requests must not make another merchant's
 * captured request acceptable again; the flood is refused (429, the profile's rate_limited, with
 * Retry-After), never answered 500 and never admitted past the bound. The store limits are
 * injected small (50 nonces per identity, 200 in all) so the flood stays a few hundred requests.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockSession, type MockSession } from '../support/mock-session.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { canonicalString, signatureHeaderValue } from '../../src/sign/hmac-canonical.ts';
import { hmacSigning } from '../support/hmac-signing.ts';

const V2 = 'payments-create-v2';
const FROZEN_MS = Date.UTC(2026, 0, 1, 0, 0, 0) + 400;
const PER_IDENTITY = 50;
const IN_ALL = 200;

describe('replay protection after a flood (luxcore, nonces per merchant)', () => {
  let s: MockSession;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(FROZEN_MS);
    s = await mockSession('luxcore', {
      storeLimits: { maxNoncesPerScope: PER_IDENTITY, maxNonces: IN_ALL },
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A v2 payment of the other merchant (100871): its key, merchant id and secret. */
  async function victimRequest(nonce: string): Promise<OutgoingRequest> {
    const other = s.creds.otherMerchantHmac!;
    const r = await s.positive(V2, { keyRole: 'otherMerchant', nonce });
    const sg = hmacSigning(s.profile);
    const h = sg.headers;
    r.headers[h.merchant] = other.merchant!;
    r.headers[h.signature] = signatureHeaderValue(
      sg,
      other.secret!,
      canonicalString(sg, {
        method: r.method,
        pathWithQuery: r.pathWithQuery,
        timestamp: r.headers[h.timestamp]!,
        nonce,
        merchant: other.merchant!,
        body: r.body ?? '',
      }),
    );
    return r;
  }

  const flood = async (n: number, prefix: string) => {
    const out = [];
    for (let i = 0; i < n; i++)
      out.push(
        await s.send(await s.positive(V2, { nonce: `${prefix}-${String(i).padStart(6, '0')}` })),
      );
    return out;
  };

  it("refuses the victim's captured request replayed after another merchant's flood, and refuses the flood past its bound with 429", async () => {
    const captured = await victimRequest('victim-nonce-0001');
    expect((await s.send(captured)).status).toBe(201);
    s.mock.world.clock.advance(1_000);

    const answers = await flood(IN_ALL + 10, 'flood');
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((st) => st === 201)).toHaveLength(PER_IDENTITY);
    expect(statuses.slice(PER_IDENTITY)).toEqual(Array(IN_ALL + 10 - PER_IDENTITY).fill(429));
    const refused = answers[PER_IDENTITY]!;
    expect((refused.body as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    // Room frees when the flood's oldest nonce expires: 601 s after it was sent (twice the 300 s
    // skew and a second: as long as a request signed ahead of the clock stays on time).
    expect(Number(refused.headers['retry-after'])).toBe(601);
    expect((await s.mock.world.store.stats()).nonces).toBe(PER_IDENTITY + 1);

    // The captured request, replayed as it was inside its window: refused, not executed again.
    const replay = await s.send(structuredClone(captured));
    expect(replay.status).toBe(401);
    expect((replay.body as { error: { code: string } }).error.code).toBe('nonce_replayed');

    // The victim itself still signs new requests: the flood spent only the flooder's bound.
    expect((await s.send(await victimRequest('victim-nonce-0002'))).status).toBe(201);

    // Once its nonces' time has passed, the flooder signs again.
    s.mock.world.clock.advance(601_000);
    expect((await flood(1, 'after')).map((r) => r.status)).toEqual([201]);
  });

  it('keeps the nonce of a request refused for its rate: replayed once the burst window restarts, it is refused', async () => {
    const profile = structuredClone(s.profile);
    profile.rateLimits!.payment!.burst = { limit: 2, windowSeconds: 10 };
    s = await mockSession(profile);
    const sent = [];
    for (let i = 0; i < 3; i++) {
      const r = await s.positive(V2, { nonce: `burst-nonce-${i}` });
      sent.push(r);
      await s.send(r);
    }
    expect((await s.send(await s.positive(V2))).status).toBe(429);
    s.mock.world.clock.advance(10_000);
    // The third request was refused (429); its sender retried with a new nonce. Replayed now,
    // it would be a second payment: the nonce it carried is still remembered.
    const replay = await s.send(structuredClone(sent[2]!));
    expect(replay.status).toBe(401);
    expect((replay.body as { error: { code: string } }).error.code).toBe('nonce_replayed');
  });
});
