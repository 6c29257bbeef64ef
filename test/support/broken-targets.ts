/**
 * Deliberately broken servers, built in test code only: the bundled mock with one real-world
 * mistake put in (a changed copy of its profile or fixtures, a forgetful store, a request
 * rewritten before the core sees it, or an answer changed after). The harness is given the
 * correct profile and credentials and must catch each one. The same fault is served in-process
 * here and over HTTP by test/teeth/serve-broken.ts, so both runs test the same corpus.
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { createAuthMock, type AuthMock } from '../../mock-server/create-auth-mock.ts';
import { MemoryStore } from '../../mock-server/state/memory-store.ts';
import type { StateStore } from '../../mock-server/state/state-store.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import { renderDenial, type DenialContext } from '../../mock-server/core/deny.ts';
import type { DenialReason, Profile } from '../../src/model/profile.ts';
import type { Credentials } from '../../src/model/credentials.ts';
import type { Fixtures } from '../../src/model/fixtures.ts';
import type { ResolvedProfile } from '../../src/model/resolved-profile.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';
import type { OutgoingRequest, ReceivedResponse } from '../../src/request/outgoing-request.ts';
import { mintJwt } from '../../src/request/mint-jwt.ts';
import { canonicalString, signatureHeaderValue } from '../../src/sign/hmac-canonical.ts';
import { hmacSigning } from './hmac-signing.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { ProfileRun } from '../../src/engine/engine-context.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { Scenario } from '../../src/scenario/scenario-model.ts';

/**
 * What a fault sees: the correct profile, fixtures and credentials, and the broken mock (its clock,
 * its state) for faults that act on state the way the broken code would.
 */
export interface BrokenContext {
  profile: ResolvedProfile;
  fixtures: Fixtures;
  creds: Credentials;
  clock: MockClock;
  mock: AuthMock;
}

type Maybe<T> = Promise<T> | T;

export interface BrokenServer {
  name: string;
  profile: string;
  /** The real-world mistake it models. */
  models: string;
  /** Scenario ids that must catch it (FAIL). */
  caughtBy: string[];
  mutateProfile?: (p: Profile) => void;
  /** The mock's world where the profile (a path) has no built-in fixtures: a generated one. */
  fixtures?: (p: Profile) => Fixtures;
  mutateFixtures?: (f: Fixtures) => void;
  forgetNonces?: true;
  /** Changes how the mock's state store answers (a lookup that forgets a filter). */
  mutateStore?: (store: StateStore, ctx: Omit<BrokenContext, 'mock'>) => void;
  /** Changes the request before the mock sees it, or answers in the mock's place. */
  rewrite?: (
    req: OutgoingRequest,
    creds: Credentials,
    ctx: BrokenContext,
  ) => Maybe<OutgoingRequest | ReceivedResponse>;
  /** Changes the mock's answer before the client sees it. */
  respond?: (
    res: ReceivedResponse,
    req: OutgoingRequest,
    ctx: BrokenContext,
  ) => Maybe<ReceivedResponse>;
}

/** The broken mock itself (profile and fixtures changed, store forgetful), and its context. */
export async function brokenMock(
  b: BrokenServer,
): Promise<{ mock: AuthMock; brokenProfile: Profile; ctx: BrokenContext }> {
  const { profile } = resolveProfile(b.profile);
  const fixtures = b.fixtures?.(profile) ?? builtInFixtures(profile);
  const creds = fixturesToCredentials(fixtures, profile);
  const brokenProfile = structuredClone(profile);
  b.mutateProfile?.(brokenProfile);
  const brokenFixtures = structuredClone(fixtures);
  b.mutateFixtures?.(brokenFixtures);
  const clock = new MockClock();
  const store = new MemoryStore(clock);
  const world = { profile, fixtures, creds, clock };
  if (b.forgetNonces) store.rememberNonce = async () => 'fresh';
  b.mutateStore?.(store, world);
  const mock = await createAuthMock({
    profile: brokenProfile,
    fixtures: brokenFixtures,
    clock,
    store,
  });
  return { mock, brokenProfile, ctx: { ...world, mock } };
}

/** One exchange through the fault: rewrite, the mock (`send`), then the answer changed. */
export async function throughFault(
  b: BrokenServer,
  ctx: BrokenContext,
  req: OutgoingRequest,
  send: (req: OutgoingRequest) => Promise<ReceivedResponse>,
): Promise<ReceivedResponse> {
  const rewritten = b.rewrite ? await b.rewrite(structuredClone(req), ctx.creds, ctx) : req;
  const res = 'status' in rewritten ? rewritten : await send(rewritten);
  return b.respond ? b.respond(res, req, ctx) : res;
}

/** The broken server in-process (Hapi inject), with the correct profile and credentials. */
export async function brokenTarget(
  b: BrokenServer,
): Promise<{ target: Target; profile: Profile; creds: Credentials }> {
  const { mock, brokenProfile, ctx } = await brokenMock(b);
  const inner = await inProcessMockTarget(brokenProfile, mock);
  const target: Target = {
    ...inner,
    send: (req) => throughFault(b, ctx, req, (r) => inner.send(r)),
  };
  return { target, profile: ctx.profile, creds: ctx.creds };
}

export function header(req: OutgoingRequest, name: string): string | undefined {
  return Object.entries(req.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

export function setHeader(req: OutgoingRequest, name: string, value: string): OutgoingRequest {
  for (const k of Object.keys(req.headers))
    if (k.toLowerCase() === name.toLowerCase()) delete req.headers[k];
  req.headers[name] = value;
  return req;
}

export function swapValue(req: OutgoingRequest, from: string, to: string): OutgoingRequest {
  for (const k of Object.keys(req.headers)) req.headers[k] = req.headers[k]!.split(from).join(to);
  if (req.body) req.body = req.body.split(from).join(to);
  return req;
}

export function bearerOf(req: OutgoingRequest): string | undefined {
  return header(req, 'authorization')?.match(/^Bearer (\S+)$/)?.[1];
}

/**
 * A JWT the server should have refused, replaced by a valid one with the same claims: what a
 * server that skips that check does with it. `when` sees the token's alg and claims.
 */
export async function acceptAnyJwt(
  req: OutgoingRequest,
  ctx: BrokenContext,
  when: (alg: string, claims: JWTPayload) => boolean,
): Promise<OutgoingRequest> {
  const token = bearerOf(req);
  if (!token) return req;
  let alg: string;
  let claims: JWTPayload;
  try {
    alg = String(decodeProtectedHeader(token).alg);
    claims = decodeJwt(token);
  } catch {
    return req;
  }
  if (!when(alg, claims)) return req;
  const { iat: _iat, exp: _exp, nbf: _nbf, ...rest } = claims;
  const fresh = await mintJwt(ctx.creds.jwt!, {
    nowSeconds: Math.floor(ctx.clock.now() / 1000),
    lifetimeSeconds: 600,
    claims: rest,
  });
  return swapValue(req, token, fresh);
}

/**
 * The request signed again as the harness would sign it, with the merchant's secret from the
 * fixtures: what a server that skipped (or mis-did) a signature check sees as a valid request.
 */
export function signedAgain(
  req: OutgoingRequest,
  ctx: BrokenContext,
  change: { timestamp?: string } = {},
): OutgoingRequest {
  const id = Object.keys(ctx.profile.signing ?? {})[0];
  if (id === undefined || (ctx.profile.signing![id]!.scheme ?? 'hmac') !== 'hmac') return req;
  const signing = hmacSigning(ctx.profile, id);
  const merchant = header(req, signing.headers.merchant) ?? '';
  const secret = ctx.fixtures.hmacSecrets?.find((s) => s.merchant === merchant)?.secret;
  if (secret === undefined) return req;
  if (change.timestamp !== undefined) setHeader(req, signing.headers.timestamp, change.timestamp);
  const canonical = canonicalString(signing, {
    method: req.method,
    pathWithQuery: req.pathWithQuery,
    timestamp: header(req, signing.headers.timestamp) ?? '',
    nonce: header(req, signing.headers.nonce) ?? '',
    merchant,
    body: req.body ?? '',
  });
  return setHeader(
    req,
    signing.headers.signature,
    signatureHeaderValue(signing, secret, canonical),
  );
}

/** The denial the correct profile renders for `reason`, as a received answer. */
export function denialOf(
  ctx: BrokenContext,
  reason: DenialReason,
  dctx: DenialContext = {},
): ReceivedResponse {
  const d = renderDenial(ctx.profile, reason, dctx);
  const rawBody = JSON.stringify(d.body);
  return { status: d.status, headers: d.headers, body: d.body, rawBody };
}

/** Whether `res` is exactly the profile's answer to `reason` (status and body). */
export function isDenial(
  res: ReceivedResponse,
  ctx: BrokenContext,
  reason: DenialReason,
  dctx: DenialContext = {},
): boolean {
  const d = denialOf(ctx, reason, dctx);
  return res.status === d.status && JSON.stringify(res.body) === d.rawBody;
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ReceivedResponse {
  const rawBody = JSON.stringify(body);
  return { status, headers: { 'content-type': 'application/json', ...headers }, body, rawBody };
}

/** The scenarios of the families that must catch `b`: its caughtBy ids and their siblings. */
export function familyScenarios<S extends { id: string; family: string }>(
  b: Pick<BrokenServer, 'caughtBy'>,
  scenarios: readonly S[],
): S[] {
  const families = new Set(scenarios.filter((s) => b.caughtBy.includes(s.id)).map((s) => s.family));
  return scenarios.filter((s) => families.has(s.family));
}

/**
 * The verdicts of a broken server's `caughtBy` scenarios against it (the run every corpus test
 * makes before it asserts that each of them FAILed). Each property's seed is its own
 * (propertySeed) and the target is reset between properties, so a scenario's verdict is the same
 * whether its family's other scenarios run beside it or not; they are left out here, where no
 * test reads them (the teeth table, test/teeth/teeth-run.ts, runs the whole family).
 */
export function caughtByVerdicts(
  run: ProfileRun,
  b: Pick<BrokenServer, 'caughtBy'>,
  scenarios: readonly Scenario[],
  runs = 15,
): Promise<Verdict[]> {
  return runConformance(
    [run],
    scenarios.filter((s) => b.caughtBy.includes(s.id)),
    { runs, seed: 1 },
  );
}
