/**
 * Fault steps that need the target, not just the request: a token the target issues for another
 * scope (a session token, a client-credentials JWT), and the target's clock moved past a token's
 * lifetime.
 */
import { clockMover, DEFAULT_MAX_WAIT_SECONDS } from './clock-mover.ts';
import type { FaultStep } from '../scenario/scenario-model.ts';
import type { ResolvedRoute } from '../model/resolved-profile.ts';
import { signingOf, windowSeconds } from '../sign/signers.ts';
import { everyScope, scopeGrants } from '../model/scope-vocabulary.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';
import { TargetLacksError } from '../targets/target.ts';
import { obtainTokens } from './obtain-tokens.ts';
import type { EngineContext } from './engine-context.ts';

/** A token the target issued for one of its other scopes, one that does not grant the route. */
export async function sessionTokenOfOtherScope(
  ctx: EngineContext,
  route: ResolvedRoute,
  obtained: Set<string>,
): Promise<Record<string, string>> {
  // The route's token credential (JWT or session token) and its spec.
  const { token } = route;
  // A client-credentials JWT is requested for the scope of the route it is for (obtain-tokens.ts),
  // unless the profile fixes the scope it asks for.
  const scopes =
    token?.spec.kind === 'session_token'
      ? token.spec.scopes
      : token?.spec.kind === 'jwt' &&
          token.spec.issue?.grant === 'client_credentials' &&
          token.spec.issue.scope === undefined
        ? everyScope(ctx.profile)
        : undefined;
  if (scopes === undefined || route.scope === undefined)
    throw new MissingRoleError(
      `a scoped session-token or client-credentials credential on route ${route.id}`,
    );
  const other = scopes.find((s) => !scopeGrants(ctx.profile.scopes, [s], route.scope!));
  if (other === undefined) throw new MissingRoleError(`a token scope other than ${route.scope}`);
  const tokens = await obtainTokens(ctx.profile, ctx.creds, ctx.target, { ...route, scope: other });
  for (const t of Object.values(tokens)) obtained.add(t);
  return tokens;
}

/**
 * Seconds; lifetime+N: the route's token lifetime (and its leeway, for a JWT) plus N; or
 * replayWindow-N: the route's nonce replay window (or its timestamp window, where shorter, so a
 * replay is still on time) less N.
 */
export async function advanceTargetClock(
  ctx: EngineContext,
  route: ResolvedRoute,
  by: Extract<FaultStep, { advanceClock: unknown }>['advanceClock'],
  /** When the accepted twin was signed (ms), for onTime-N. */
  twinSignedAtMs?: number,
): Promise<void> {
  let seconds: number;
  if (typeof by === 'number') seconds = by;
  else if (by.startsWith('onTime-')) {
    // As long as the twin's timestamp stays inside the window (from now), less N.
    const timestamp = signingOf(route)?.parts.timestamp;
    if (!timestamp) throw new MissingRoleError(`a timestamp in the signing of route ${route.id}`);
    const signedAt = (twinSignedAtMs ?? ctx.target.nowSeconds() * 1000) / 1000;
    seconds =
      Math.floor(signedAt + windowSeconds(timestamp) - ctx.target.nowSeconds()) -
      Number(by.slice('onTime-'.length));
  } else if (by.startsWith('replayWindow-')) {
    const signing = signingOf(route);
    if (!signing) throw new MissingRoleError(`a signed route (${route.id} is not signed)`);
    const { nonce, timestamp } = signing.parts;
    if (!nonce) throw new MissingRoleError(`a nonce in the signing of route ${route.id}`);
    const window = Math.min(
      nonce.replayWindowSeconds,
      timestamp ? windowSeconds(timestamp) : Infinity,
    );
    seconds = window - Number(by.slice('replayWindow-'.length));
  } else {
    const spec = route.token?.spec;
    if (!spec) throw new MissingRoleError(`a token credential on route ${route.id}`);
    const leeway = spec.kind === 'jwt' ? (spec.leewaySeconds ?? 0) : 0;
    seconds = spec.lifetimeSeconds + leeway + Number(by.slice('lifetime+'.length));
  }
  const maxWait = ctx.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const mover = clockMover(ctx.target, seconds, maxWait, ctx.guest?.clock);
  if (!mover)
    throw new TargetLacksError(
      `the scenario moves the target's clock ${seconds} s forward, and ${ctx.target.description} offers no way to (the bundled mock does), and waiting that long is beyond --max-wait ${maxWait} s`,
    );
  await mover.move(seconds);
}
