/**
 * What a model run's commands share: the engine context, the log of every exchange (the
 * counterexample of a failing run), the tokens the target issued (masked like secrets) and a way
 * to call a route of the profile as the credentials' holder.
 */
import type { Credentials } from '../../model/credentials.ts';
import type { DenialReason } from '../../model/profile.ts';
import { errorById, type ResolvedRoute } from '../../model/resolved-profile.ts';
import { errorIdFor } from '../../model/error-for-denial.ts';
import { expectNoSecretEcho } from '../../check/expect-no-secret-echo.ts';
import { expectDeclaredHeaders } from '../../check/expect-header.ts';
import { secretsOf } from '../../secrets/mask-known-secrets.ts';
import { buildRequest, defaultKeyRole, type BuildOptions } from '../../request/build-request.ts';
import type { OutgoingRequest, ReceivedResponse } from '../../request/outgoing-request.ts';
import { targetHost } from '../../targets/target.ts';
import { CheckFailure } from '../../check/check-failure.ts';
import { expectStatus } from '../../check/expect-status.ts';
import { expectBodySchema } from '../../check/expect-body-schema.ts';
import { obtainTokens } from '../obtain-tokens.ts';
import type { Exchange } from '../failure-verdict.ts';
import type { EngineContext } from '../engine-context.ts';
import { freshNonce, nonceOption } from '../fresh-nonces.ts';

export interface ModelSession {
  ctx: EngineContext;
  log: Exchange[];
  obtained: Set<string>;
  /** A command checked what holds only once time passed (a retired secret, an expired token). */
  noteTimeChecked?: () => void;
}

export function routeById(ctx: EngineContext, id: string): ResolvedRoute {
  const route = ctx.profile.routes.find((r) => r.id === id);
  if (!route) throw new CheckFailure('profile', `the profile has no route "${id}"`);
  return route;
}

/**
 * Calls a route as the credentials' holder (or with `creds` given), with path parameters and
 * body as given, and logs the exchange.
 */
export async function callRoute(
  s: ModelSession,
  label: string,
  route: ResolvedRoute,
  opts: {
    creds?: Credentials;
    paramValue?: string;
    body?: unknown;
    keyRole?: string;
    /** Tokens to send, by credential id, instead of ones obtained from the target. */
    tokens?: Record<string, string>;
  } = {},
): Promise<{ req: OutgoingRequest; res: ReceivedResponse }> {
  const { profile, target } = s.ctx;
  const creds = opts.creds ?? s.ctx.creds;
  const tokens = {
    ...opts.tokens,
    ...(await obtainTokens(profile, creds, target, route, opts.tokens)),
  };
  for (const t of Object.values(tokens)) s.obtained.add(t);
  const resources: Record<string, string> = {};
  if (opts.paramValue !== undefined) {
    for (const ref of Object.values(route.params ?? {}))
      resources[typeof ref === 'string' ? ref : ref.resource] = opts.paramValue;
  }
  const build: BuildOptions = {
    nowSeconds: target.nowSeconds(),
    host: targetHost(target),
    keyRole: opts.keyRole ?? defaultKeyRole(profile, creds, route),
    tokens,
    ...nonceOption(freshNonce(target, profile, route)),
    resources,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  };
  const req = await buildRequest(profile, creds, route, build);
  const entry: Exchange = { req, label };
  s.log.push(entry);
  const res = await target.send(req);
  entry.res = res;
  return { req, res };
}

/** The route's success status and, where the profile gives one, its body schema. */
export function expectSuccess(
  s: ModelSession,
  route: ResolvedRoute,
  res: ReceivedResponse,
  what: string,
) {
  expectStatus(res, route.success.status, what);
  if (route.success.schema) expectBodySchema(s.ctx.registry, res, route.success.schema, what);
}

/** The profile's error for `reason` on an API-key call: its status and its body schema. */
export function expectDenial(
  s: ModelSession,
  route: ResolvedRoute,
  res: ReceivedResponse,
  reason: DenialReason,
  what: string,
  /** The credential the denial is about (default: the route's API key). */
  credentialId?: string,
): void {
  const { profile } = s.ctx;
  const credential = credentialId ?? route.credentials.find((c) => c.kind === 'api_key')?.id;
  const errorId = errorIdFor(profile, reason, credential ? { credential } : {});
  const error = errorById(profile, errorId);
  const full = `${what} (expected denial ${reason} -> ${errorId})`;
  expectStatus(res, error.status, full);
  expectBodySchema(s.ctx.registry, res, error, full);
  expectNoSecretEcho(res, secretsOf(s.ctx.creds, s.obtained));
  expectDeclaredHeaders(res, error.headers ?? {}, full);
}
