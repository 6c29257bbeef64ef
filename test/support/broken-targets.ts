/**
 * Deliberately broken servers, built in test code only: the bundled mock with one real-world
 * mistake put in (a changed copy of its profile, a forgetful store, or a request rewritten before
 * the core sees it). The harness is given the correct profile and must catch each one.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { MemoryStore } from '../../mock-server/state/memory-store.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import type { Profile } from '../../src/model/profile.ts';
import type { Credentials } from '../../src/model/credentials.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';
import type { OutgoingRequest, ReceivedResponse } from '../../src/request/outgoing-request.ts';
import { mintJwt } from '../../src/request/mint-jwt.ts';

export interface BrokenServer {
  name: string;
  profile: string;
  /** The real-world mistake it models. */
  models: string;
  /** Scenario ids that must catch it (FAIL). */
  caughtBy: string[];
  mutateProfile?: (p: Profile) => void;
  forgetNonces?: true;
  rewrite?: (
    req: OutgoingRequest,
    creds: Credentials,
  ) => Promise<OutgoingRequest | ReceivedResponse> | OutgoingRequest | ReceivedResponse;
}

export async function brokenTarget(
  b: BrokenServer,
): Promise<{ target: Target; profile: Profile; creds: Credentials }> {
  const { profile } = resolveProfile(b.profile);
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);
  const broken = structuredClone(profile);
  b.mutateProfile?.(broken);
  const clock = new MockClock();
  const store = new MemoryStore(clock);
  if (b.forgetNonces) store.rememberNonce = async () => true;
  const mock = await createAuthMock({
    profile: broken,
    fixtures: builtInFixtures(profile),
    clock,
    store,
  });
  const inner = await inProcessMockTarget(broken, mock);
  if (!b.rewrite) return { target: inner, profile, creds };
  const rewrite = b.rewrite;
  const target: Target = {
    ...inner,
    async send(req) {
      const r = await rewrite(structuredClone(req), creds);
      return 'status' in r ? r : inner.send(r);
    },
  };
  return { target, profile, creds };
}

export function header(req: OutgoingRequest, name: string): string | undefined {
  return Object.entries(req.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

export function swapValue(req: OutgoingRequest, from: string, to: string): OutgoingRequest {
  for (const k of Object.keys(req.headers)) req.headers[k] = req.headers[k]!.split(from).join(to);
  if (req.body) req.body = req.body.split(from).join(to);
  return req;
}

/** A JWT the server should have refused, replaced by a valid one with the same claims. */
export async function acceptAnyJwt(
  req: OutgoingRequest,
  creds: Credentials,
  when: (alg: string) => boolean,
): Promise<OutgoingRequest> {
  const auth = header(req, 'authorization');
  const token = auth?.match(/^Bearer (\S+)$/)?.[1];
  if (!token) return req;
  let alg: string;
  try {
    alg = String(decodeProtectedHeader(token).alg);
  } catch {
    return req;
  }
  if (!when(alg)) return req;
  const { iat: _iat, exp: _exp, nbf: _nbf, ...claims } = decodeJwt(token);
  const fresh = await mintJwt(creds.jwt!, {
    nowSeconds: Math.floor(Date.now() / 1000),
    lifetimeSeconds: 600,
    claims,
  });
  return swapValue(req, token, fresh);
}

export function json(status: number, body: unknown): ReceivedResponse {
  const rawBody = JSON.stringify(body);
  return { status, headers: { 'content-type': 'application/json' }, body, rawBody };
}
