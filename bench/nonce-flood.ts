/**
 * Soak (issue 12): one merchant floods the LuxCore mock with 200 000 validly signed requests,
 * each with a fresh nonce, after another merchant's request was captured; then the captured
 * request is replayed inside its 300 s window. Reports the process RSS before and after, the
 * nonces the store holds, how many of the flood were admitted and refused, and the replay's
 * answer, which must be a refusal (exit 1 otherwise, or on any 5xx).
 *
 * In-process (`mock.handle`, the core both adapters call), with the real clock and the default
 * store limits. `npm run soak`; FLOOD=N changes the flood's size.
 */
import { randomBytes } from 'node:crypto';
import { createAuthMock } from '../mock-server/create-auth-mock.ts';
import type { MockRequest } from '../mock-server/core/mock-types.ts';
import { fixturesToCredentials } from '../src/spec/fixtures-to-credentials.ts';
import { buildRequest } from '../src/request/build-request.ts';
import { canonicalString, signatureHeaderValue } from '../src/sign/hmac-canonical.ts';
import type { HmacIdentity } from '../src/model/credentials.ts';
import type { OutgoingRequest } from '../src/request/outgoing-request.ts';
import { hmacSigning } from '../test/support/hmac-signing.ts';

export interface SoakFigures {
  flood: number;
  admitted: number;
  refusedRateLimited: number;
  /** Of those, refused by the rate limit with their nonce kept (a refused request stays spent). */
  refusedNonceKept: number;
  /** Of those, refused because the merchant's nonce bound was reached (nothing kept). */
  refusedNonceBound: number;
  otherStatuses: string;
  noncesHeld: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  heapUsedBeforeMB: number;
  heapUsedAfterMB: number;
  seconds: number;
  replayStatus: number;
  replayCode: string;
}

const MB = 1024 * 1024;

export async function benchNonceFlood(flood = 200_000): Promise<SoakFigures> {
  const mock = await createAuthMock({ profile: 'luxcore' });
  const profile = mock.world.profile;
  const creds = fixturesToCredentials(mock.world.fixtures, profile);
  const route = profile.routes.find((r) => r.id === 'payments-create-v2')!;
  const signing = hmacSigning(profile);
  const h = signing.headers;
  const now = () => Math.floor(mock.world.clock.now() / 1000);

  /** The request, signed by `who` with `nonce` now (what a client does for every request). */
  const signed = (base: OutgoingRequest, who: HmacIdentity, nonce: string): MockRequest => {
    const timestamp = String(now());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(base.headers)) headers[k.toLowerCase()] = v;
    headers[h.merchant.toLowerCase()] = who.merchant!;
    headers[h.timestamp.toLowerCase()] = timestamp;
    headers[h.nonce.toLowerCase()] = nonce;
    headers[h.signature.toLowerCase()] = signatureHeaderValue(
      signing,
      who.secret!,
      canonicalString(signing, {
        method: base.method,
        pathWithQuery: base.pathWithQuery,
        timestamp,
        nonce,
        merchant: who.merchant!,
        body: base.body ?? '',
      }),
    );
    return {
      method: base.method,
      path: base.pathWithQuery,
      pathWithQuery: base.pathWithQuery,
      headers,
      body: Buffer.from(base.body ?? '', 'utf8'),
    };
  };

  // The victim (the other merchant) makes one payment; an attacker captures the request.
  const victimBase = await buildRequest(profile, creds, route, {
    nowSeconds: now(),
    keyRole: 'otherMerchant',
  });
  const captured = signed(victimBase, creds.otherMerchantHmac!, randomBytes(16).toString('hex'));
  const first = await mock.handle(structuredClone(captured));
  if (first.status !== 201)
    throw new Error(`the victim's request was not admitted: ${first.status}`);

  const floodBase = await buildRequest(profile, creds, route, { nowSeconds: now() });
  const flooder = creds.hmac!;
  const memory = () => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    return { rss: m.rss / MB, heap: m.heapUsed / MB };
  };
  const before = memory();
  const t = performance.now();
  const statuses = new Map<number, number>();
  for (let i = 0; i < flood; i++) {
    const res = await mock.handle(signed(floodBase, flooder, randomBytes(16).toString('hex')));
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
  const seconds = (performance.now() - t) / 1000;
  const after = memory();
  const { nonces } = await mock.world.store.stats();
  const flooderNonces = nonces - 1; // all but the victim's (none expires within the run)

  const replay = await mock.handle(structuredClone(captured));
  const code = (replay.body as { error?: { code?: string } } | undefined)?.error?.code ?? '';
  const other = [...statuses].filter(([s]) => s !== 201 && s !== 429);
  return {
    flood,
    admitted: statuses.get(201) ?? 0,
    refusedRateLimited: statuses.get(429) ?? 0,
    refusedNonceKept: flooderNonces - (statuses.get(201) ?? 0),
    refusedNonceBound: flood - flooderNonces,
    otherStatuses: other.map(([s, n]) => `${s} x${n}`).join(', ') || 'none',
    noncesHeld: nonces,
    rssBeforeMB: Math.round(before.rss),
    rssAfterMB: Math.round(after.rss),
    heapUsedBeforeMB: Math.round(before.heap),
    heapUsedAfterMB: Math.round(after.heap),
    seconds: Number(seconds.toFixed(1)),
    replayStatus: replay.status,
    replayCode: code,
  };
}

/** True when the figures show what the issue asks: the replay refused, no 5xx. */
export function soakHeld(f: SoakFigures): boolean {
  return f.replayStatus >= 400 && f.replayStatus < 500 && f.otherStatuses === 'none';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchNonceFlood(Number(process.env.FLOOD ?? 200_000));
  console.log(
    `\nnonce flood (luxcore, in-process, one merchant, ${figures.flood} fresh nonces, then a replay of another merchant's request)`,
  );
  console.table(figures);
  if (!soakHeld(figures)) {
    console.error('the replay was admitted, or the flood got an answer other than 201 or 429');
    process.exitCode = 1;
  }
}
