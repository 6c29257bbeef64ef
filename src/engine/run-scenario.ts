/**
 * One scenario on one profile as a fast-check property: draw a route and the scenario's inputs,
 * send the request the profile says must be accepted, check it is, apply the fault, check the
 * specified rejection. The engine knows no family: everything specific is in the scenario's data.
 */
import fc from 'fast-check';
import type { Credentials } from '../model/credentials.ts';
import { routeConsumes, type BindingKind } from '../model/profile.ts';
import { errorById, type ResolvedRoute, type ResolvedProfile } from '../model/resolved-profile.ts';
import { errorIdFor } from '../model/error-for-denial.ts';
import {
  buildRequest,
  defaultKeyRole,
  keyForRole,
  keyOfRoleIfAny,
  type BuildOptions,
} from '../request/build-request.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { profileCapabilities } from '../scenario/capabilities.ts';
import { routesOfProfile } from '../scenario/route-filter.ts';
import { arbFromSpec } from '../generate/arb-from-spec.ts';
import type { SchemaRegistry } from '../spec/schema-registry.ts';
import { targetHost, type ClockWindow, type Target } from '../targets/target.ts';
import { CheckFailure } from '../check/check-failure.ts';
import { expectStatus } from '../check/expect-status.ts';
import { expectBodySchema } from '../check/expect-body-schema.ts';
import { expectValueAt } from '../check/expect-value-at.ts';
import { expectedDenials } from './expected-denials.ts';
import type { CapRequest } from '../generate/arb-cap-request.ts';
import { expectNoSecretEcho } from '../check/expect-no-secret-echo.ts';
import { expectDeclaredHeaders, expectHeader } from '../check/expect-header.ts';
import { carriedSecrets } from '../request/carried-credentials.ts';
import { applyFault } from './apply-fault.ts';
import { faultHas, stepUses } from './faults/registry.ts';
import { jsonPointer } from '../model/json-pointer.ts';
import { obtainTokens } from './obtain-tokens.ts';
import { secretsOf } from '../secrets/mask-known-secrets.ts';
import type { Verdict } from '../verdict/verdict.ts';
import { verdictOfRun, type Exchange } from './failure-verdict.ts';
import { runModelScenario } from './stateful/run-model-scenario.ts';
import { rateWindowPolicy } from './fresh-rate-window.ts';
import { freshestKeyRole, leastSpentKeyRole } from './guest-keys.ts';
import { roomForCase } from './paced-target.ts';
import { freshNonce, nonceOption, withFreshNonces } from './fresh-nonces.ts';
import { edgeTimeMs, marginNote, pinnedClockWindow, targetClockWindow } from './target-clock.ts';
import { bindingWindow, countedWithin, spendWindowOnClock } from './rate-window-on-clock.ts';
import { signingOf } from '../sign/signers.ts';
import { createFreshRecords } from './fresh-records.ts';
import { authorizationCredential } from '../request/authorization-scheme.ts';
import { drawable, planScenario, scenarioRuns } from './plan-run.ts';
import {
  engineContext,
  type EngineContext,
  type EngineInput,
  type PropertyOptions,
} from './engine-context.ts';
import { citeFor } from '../scenario/profile-cites.ts';

/** Whether a scenario applies to a profile at all: its capabilities, and routes to draw from. */
export function scenarioApplies(profile: ResolvedProfile, scenario: Scenario): boolean {
  const caps = profileCapabilities(profile);
  if (!scenario.requires.every((c) => caps.has(c))) return false;
  return routesOfProfile(profile, scenario.routes).some((r) => drawable(profile, scenario, r));
}

/** null: the scenario does not apply to this profile (it lacks a capability). */
export async function runScenario(
  given: EngineInput,
  scenario: Scenario,
  opts: PropertyOptions,
): Promise<Verdict | null> {
  const ctx = engineContext(given);
  const { profile, creds } = ctx;
  const started = Date.now();
  // What applies, what SKIPs and why: the same decision `run --dry-run` prints.
  const plan = planScenario(ctx, scenario, opts.runs);
  if (plan.kind === 'not-applicable') return null;
  const policy = rateWindowPolicy(profile, scenario, ctx.target, ctx.guest);
  const realWaits = !ctx.target.advanceClock && faultHas(scenario.fault, 'movesClock');
  const base: Omit<Verdict, 'status' | 'durationMs'> = {
    profile: profile.id,
    scenario: scenario.id,
    title: scenario.title,
    family: scenario.family,
    severity: scenario.severity,
    cite: citeFor(profile, scenario),
    runs: scenarioRuns(ctx.target, profile, scenario, opts.runs),
    seed: opts.seed,
  };
  const done = (status: Verdict['status'], extra: Partial<Verdict> = {}): Verdict => ({
    ...base,
    ...extra,
    status,
    durationMs: Date.now() - started,
  });

  if (plan.kind === 'skip') return done('SKIP', { reason: plan.reason });
  if (scenario.model) {
    return runModelScenario(
      ctx,
      { ...scenario, model: scenario.model },
      opts,
      base.runs,
      done,
      policy,
    );
  }
  // On a guest target, a window is spent with the key of the party the run left unspent longest.
  const spender =
    policy.beforeCase && ctx.guest && !scenario.keyRole
      ? freshestKeyRole({ ...ctx, guest: ctx.guest }, plan.routes)
      : undefined;
  const routes = spender?.routes ?? plan.routes;

  // Tokens the target issues during the run are secrets too: masked in reports, never echoed.
  const obtained = new Set<string>();
  // What the verdict must say beyond its status (an edge tested with a margin).
  const notes = new Set<string>();
  let last:
    | {
        route: ResolvedRoute;
        drawn: Record<string, unknown>;
        exchanges: Exchange[];
      }
    | undefined;

  const input = fc.constantFrom(...routes).chain((route) => {
    const draws = Object.fromEntries(
      Object.entries(scenario.draw ?? {}).map(([name, spec]) => [
        name,
        arbFromSpec(spec, profile, route, creds),
      ]),
    );
    // salt: names of this case's records, drawn like everything else so a seed replays the same requests.
    return fc
      .tuple(
        fc.record(draws),
        fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => Buffer.from(b).toString('hex')),
      )
      .map(([drawn, salt]) => ({ route, drawn: drawn as Record<string, unknown>, salt }));
  });

  const property = fc.asyncProperty(input, async ({ route, drawn, salt }) => {
    const exchanges: Exchange[] = [];
    // Each case starts from the fixtures where the target allows it (the bundled mock): the
    // accepted twins of earlier cases must not use up rate windows or nonces of this one.
    await ctx.target.reset?.();
    try {
      const keyRole =
        spender?.role ??
        scenario.keyRole ??
        (ctx.guest
          ? leastSpentKeyRole({ ...ctx, guest: ctx.guest }, route)
          : defaultKeyRole(profile, creds, route));
      const key = keyOfRoleIfAny(creds, keyRole)?.value;
      if (policy.beforeCase) await policy.beforeCase(key ? [key] : [], route.rateLimit);
      else if (ctx.guest && key && route.rateLimit)
        await roomForCase(ctx.guest, key, route.rateLimit, ctx.target.deadline, scenario.id);
      await runCase(ctx, scenario, route, drawn, salt, exchanges, obtained, notes, keyRole);
    } catch (e) {
      last = { route, drawn, exchanges };
      throw e;
    }
  });

  type Case = { route: ResolvedRoute; drawn: Record<string, unknown>; salt: string };
  let result: Awaited<ReturnType<typeof fc.check<[Case]>>>;
  try {
    result = await fc.check(property, {
      numRuns: base.runs,
      seed: opts.seed,
      ...(policy.endOnFailure || realWaits ? { endOnFailure: true } : {}),
      ...(opts.path ? { path: opts.path } : {}),
    });
  } catch (e) {
    return done('ERROR', { reason: (e as Error).message });
  }
  const verdict = verdictOfRun(
    result,
    last && {
      route: `${last.route.method} ${last.route.path} (${last.route.id})`,
      drawn: last.drawn,
      exchanges: last.exchanges,
    },
    ctx.target,
    creds,
    last ? withSentKeys(obtained, profile, last.route, last.exchanges) : obtained,
    done,
  );
  return notes.size > 0 ? { ...verdict, note: [...notes].join('; ') } : verdict;
}

async function runCase(
  ctx: EngineContext,
  scenario: Scenario,
  route: ResolvedRoute,
  drawn: Record<string, unknown>,
  salt: string,
  exchanges: Exchange[],
  obtained: Set<string>,
  notes: Set<string>,
  keyRole: string,
): Promise<void> {
  const { profile, creds, target, registry } = ctx;
  const send = async (label: string, req: OutgoingRequest) => {
    const entry: Exchange = { req, label };
    exchanges.push(entry);
    entry.res = await target.send(req);
    return entry.res;
  };
  const tokens = await obtainTokens(profile, creds, target, route);
  for (const t of Object.values(tokens)) obtained.add(t);
  const uses = stepUses(scenario.fault);
  // A step may have the twin carry other tokens: a JWT fault re-signs the token with the
  // credentials' material, so the accepted twin must carry one signed the same way.
  for (const { definition } of uses)
    if (definition.twinTokens)
      Object.assign(tokens, await definition.twinTokens(ctx, route, tokens));
  // A route that uses up its record gets a fresh one for each request that may reach it.
  const freshRecords = () =>
    routeConsumes(route)
      ? createFreshRecords(
          { ...ctx, obtained },
          route,
          (creator) => freshNonce(target, profile, creator),
          send,
        )
      : Promise.resolve({});
  // Of a route's alternatives, the one carrying the credential the scenario is about.
  const kind = scenario.routes?.auth;
  const underTest = scenario.routes?.authorizationScheme
    ? authorizationCredential(route)?.id
    : kind !== undefined && kind !== 'any'
      ? credentialOfKind(route, kind)
      : undefined;
  // A rate window on the clock is placed against the target's clock: known as closely as it can be.
  if (route.rateLimit?.windowStart === 'clock' && faultHas(scenario.fault, 'spendsRateWindow'))
    await target.calibrateClock?.();
  const buildOptions: BuildOptions = {
    nowSeconds: target.nowSeconds(),
    host: targetHost(target),
    keyRole,
    tokens,
    ...(underTest !== undefined ? { credential: underTest } : {}),
    ...nonceOption(freshNonce(target, profile, route)),
    resources: await freshRecords(),
    ...(await twinSigningTime(ctx, route, scenario)),
  };
  const positive = await buildRequest(profile, creds, route, buildOptions);
  // Where on the target's clock the twin was counted, for a scenario that spends the rest of its
  // rate window.
  const twinSent = targetClockWindow(target);
  const accepted = await send('accepted twin', positive);
  const twinAt = countedWithin(twinSent, targetClockWindow(target));
  expectAccepted(registry, route, accepted, 'the request the profile says must be accepted');
  expectNoSecretEcho(accepted, [], carriedSecrets(profile, route, positive));
  if (!scenario.fault) return;
  // A rate-limit scenario wants to see the 429s a guest would otherwise wait out.
  const exhausting = faultHas(scenario.fault, 'spendsRateWindow');
  const seeing =
    exhausting && target.seeing429
      ? target.seeing429.bind(target)
      : <T>(fn: () => Promise<T>) => fn();
  if (exhausting) {
    await seeing(() =>
      exhaustRate(ctx, route, buildOptions, twinAt, (label, req, res) =>
        exchanges.push({ label, req, res }),
      ),
    );
  }

  let faultTokens = tokens;
  for (const { definition } of uses)
    if (definition.faultTokens)
      faultTokens = { ...faultTokens, ...(await definition.faultTokens(ctx, route, obtained)) };
  // A replay (byte for byte) and a repeat (freshly signed) go to the record the twin used up.
  const faultResources = faultHas(scenario.fault, 'keepsTwinRecord')
    ? buildOptions.resources
    : await freshRecords();
  for (const { step, definition } of uses)
    await definition.beforeFault?.(ctx, route, step, buildOptions.signTimeMs);
  // A time window's edge is placed against where the target's clock is when it checks.
  const clock = uses.some(({ step, definition }) => definition.pinsClock?.(step))
    ? await pinnedClockWindow(target)
    : undefined;
  const note = clock && marginNote(clock, signingOf(route)?.parts.timestamp?.resolutionMs ?? 1000);
  if (note) notes.add(note);
  const faulty = await applyFault(
    {
      profile,
      creds,
      route,
      positive,
      buildOptions: {
        ...buildOptions,
        tokens: faultTokens,
        nowSeconds: target.nowSeconds(),
        ...nonceOption(freshNonce(target, profile, route)),
        resources: faultResources ?? {},
      },
      // Drawn nonces are sent fresh: unique in the run, of the drawn length and alphabet.
      drawn: withFreshNonces(target, profile, route, scenario, drawn),
      ...(clock ? { clock } : {}),
      ...(buildOptions.nonce !== undefined ? { acceptedNonce: buildOptions.nonce } : {}),
    },
    scenario.fault,
  );
  const res = await seeing(() => send('with the fault', faulty));
  if (scenario.expect.accepted) {
    expectAccepted(
      registry,
      route,
      res,
      'with the fault (which the profile says must still be accepted)',
    );
    if (scenario.expect.sameBinding)
      expectSameBinding(profile, creds, keyRole, scenario.expect.sameBinding, res);
    if (scenario.expect.capHeld) {
      const cap = drawn[scenario.expect.capHeld.replace(/^\$/, '')] as CapRequest;
      const sent = cap.sent === undefined ? `no ${cap.field}` : `${cap.field} ${cap.sent}`;
      expectValueAt(res, cap.at, cap.held, `the request with ${sent}`);
    }
    return;
  }
  const credential = credentialOfKind(route, scenario.expect.credential);
  // The first denial the answer is, of those the scenario allows; else the first one's failure.
  let failure: CheckFailure | undefined;
  for (const { denial, binding } of expectedDenials(profile, scenario)) {
    const errorId = errorIdFor(profile, denial, {
      ...(binding ? { binding } : {}),
      ...(credential ? { credential } : {}),
    });
    const error = errorById(profile, errorId);
    const what = `the faulty request (expected denial ${denial} -> ${errorId})`;
    try {
      expectStatus(res, error.status, what);
      expectBodySchema(registry, res, error, what);
      expectDeclaredHeaders(res, error.headers ?? {}, what);
      failure = undefined;
      break;
    } catch (e) {
      if (!(e instanceof CheckFailure)) throw e;
      failure ??= e;
    }
  }
  if (failure) throw failure;
  expectNoSecretEcho(res, secretsOf(creds, obtained), carriedSecrets(profile, route, faulty));
  for (const h of scenario.expect.headers ?? []) expectHeader(res, h);
}

/**
 * Spends the route's rate window with accepted requests (the accepted twin, counted within
 * `twinAt` on the target's clock, was the first): the smallest of its limit and burst. Each must
 * be accepted: a target that limits earlier than its profile says fails here, with the request
 * count in the message. A window on the clock (`windowStart: clock`) is filled where each request
 * is known to fall in it, up to a window from its start (rate-window-on-clock.ts).
 */
async function exhaustRate(
  ctx: EngineContext,
  route: ResolvedRoute,
  buildOptions: BuildOptions,
  twinAt: ClockWindow,
  record: (label: string, req: OutgoingRequest, res: ReceivedResponse) => void,
): Promise<void> {
  const limit = route.rateLimit;
  if (!limit)
    throw new CheckFailure('exhaustRate', `route ${route.id} has no rate limit to exhaust`);
  const { budget } = bindingWindow(limit);
  const sendOne = async (i: number) => {
    const req = await buildRequest(ctx.profile, ctx.creds, route, {
      ...buildOptions,
      nowSeconds: ctx.target.nowSeconds(),
      host: targetHost(ctx.target),
      ...nonceOption(freshNonce(ctx.target, ctx.profile, route)),
    });
    const res = await ctx.target.send(req);
    if (res.status !== route.success.status) {
      record(`request ${i} of the ${budget} the window allows`, req, res);
      throw new CheckFailure(
        'expectStatus',
        `request ${i} of the ${budget} the rate window allows was answered ${res.status}, expected ${route.success.status}`,
      );
    }
  };
  if (limit.windowStart === 'clock') return spendWindowOnClock(ctx, limit, twinAt, sendOne);
  for (let i = 2; i <= budget; i++) await sendOne(i);
}

/** The answer shows, where the profile says it does, the key's own binding: a header did not switch it. */
function expectSameBinding(
  profile: ResolvedProfile,
  creds: Credentials,
  keyRole: string,
  kind: BindingKind,
  res: ReceivedResponse,
): void {
  const at = profile.bindings?.[kind]?.resolvedAt;
  if (!at)
    throw new CheckFailure(
      'expectSameBinding',
      `the profile gives no resolvedAt for the ${kind} binding`,
    );
  const mine = keyForRole(creds, keyRole)[kind];
  const shown = jsonPointer(res.body, at);
  if (shown !== mine) {
    throw new CheckFailure(
      'expectSameBinding',
      `the answer acts for ${kind} ${JSON.stringify(shown)} (at ${at}), not the key's own ${JSON.stringify(mine)}: a sent header switched it`,
    );
  }
}

function expectAccepted(
  registry: SchemaRegistry,
  route: ResolvedRoute,
  res: ReceivedResponse,
  what: string,
): void {
  expectStatus(res, route.success.status, what);
  if (route.success.schema) expectBodySchema(registry, res, route.success.schema, what);
}

function credentialOfKind(route: ResolvedRoute, kind: string | undefined): string | undefined {
  const { credentials } = route;
  return (
    credentials.find((c) => c.kind === (kind ?? 'api_key')) ?? (kind ? undefined : credentials[0])
  )?.id;
}

/** The twin's signing time where a step of the scenario places it (`signTwinAt`). */
async function twinSigningTime(
  ctx: EngineContext,
  route: ResolvedRoute,
  scenario: Scenario,
): Promise<{ signTimeMs?: number }> {
  for (const { step, definition } of stepUses(scenario.fault))
    if (definition.twinSignTime)
      return { signTimeMs: await definition.twinSignTime(ctx, route, step) };
  return {};
}

/**
 * The secrets a report masks, with every API key the case's requests carried: a key a fault
 * altered (its last character changed) is all but a real one, in a header or in a URL alike.
 */
function withSentKeys(
  obtained: ReadonlySet<string>,
  profile: ResolvedProfile,
  route: ResolvedRoute,
  exchanges: readonly Exchange[],
): ReadonlySet<string> {
  const out = new Set(obtained);
  for (const x of exchanges)
    for (const c of carriedSecrets(profile, route, x.req))
      if (c.kind === 'api_key') out.add(c.value);
  return out;
}
