/**
 * One fault step of the scenario format (specs/schemas/scenario.schema.json, $defs/faultStep):
 * its name (the key a scenario writes), what it changes and what it needs of the run. A step
 * changes how the faulty request is built (`rebuild`: it is signed afresh), changes it after it
 * is built (`edit`: a signature no longer matches), or acts on the target before the faulty
 * request goes (a moved clock, a token of another scope, a spent rate window). The engine asks
 * the registry (registry.ts) and knows no step by name.
 */
import type { Credentials } from '../../model/credentials.ts';
import type { ResolvedRoute, ResolvedProfile } from '../../model/resolved-profile.ts';
import type { BuildOptions } from '../../request/build-request.ts';
import type { OutgoingRequest } from '../../request/outgoing-request.ts';
import type { FaultStep } from '../../scenario/scenario-model.ts';
import type { ClockWindow } from '../../targets/target.ts';
import type { EngineContext } from '../engine-context.ts';

export interface FaultContext {
  profile: ResolvedProfile;
  creds: Credentials;
  route: ResolvedRoute;
  positive: OutgoingRequest;
  buildOptions: BuildOptions;
  /** Drawn values by name. */
  drawn: Record<string, unknown>;
  /** Where the target's clock is when the faulty request is checked (time-window edges). */
  clock?: ClockWindow;
  /** The nonce the accepted twin was signed with, where the scheme has one. */
  acceptedNonce?: string;
}

/** The key that names a step (`value` and `to` are arguments of setHeader and renameHeader). */
export type FaultStepName = Exclude<
  FaultStep extends infer S ? (S extends unknown ? keyof S : never) : never,
  'value' | 'to'
>;

/** The step written with key N (setHeader: { setHeader, value }). */
export type StepOf<N extends FaultStepName> = Extract<FaultStep, Record<N, unknown>>;

export interface FaultStepDefinition<N extends FaultStepName, S = StepOf<N>> {
  name: N;
  /** Changes how the faulty request is built; it is then signed afresh. */
  rebuild?(ctx: FaultContext, opts: BuildOptions, step: S): void | Promise<void>;
  /** Changes the faulty request once built (after signing). */
  edit?(ctx: FaultContext, req: OutgoingRequest, step: S, opts: BuildOptions): OutgoingRequest;
  /** The faulty request is the accepted one itself, byte for byte: no other step changes it. */
  sendsAcceptedRequest?: true;
  /** The faulty request goes to the record the accepted twin used (not a fresh one). */
  keepsTwinRecord?: true;
  /** Edges are placed against the target's clock, pinned just before the faulty request. */
  pinsClock?(step: S): boolean;
  /** Moves the target's clock before the faulty request (a real wait where it cannot be moved). */
  movesClock?: true;
  /** Spends the route's rate window with accepted requests first (seen through the target's 429s). */
  spendsRateWindow?: true;
  /** The signing time of the accepted twin, where the step places it. */
  twinSignTime?(ctx: EngineContext, route: ResolvedRoute, step: S): Promise<number>;
  /** Tokens the accepted twin carries instead of those obtained (signed as the faulty one is). */
  twinTokens?(
    ctx: EngineContext,
    route: ResolvedRoute,
    held: Record<string, string>,
  ): Promise<Record<string, string>>;
  /** Tokens the faulty request carries instead of the twin's (another scope's). */
  faultTokens?(
    ctx: EngineContext,
    route: ResolvedRoute,
    obtained: Set<string>,
  ): Promise<Record<string, string>>;
  /** What the target must go through before the faulty request (its clock moved). */
  beforeFault?(
    ctx: EngineContext,
    route: ResolvedRoute,
    step: S,
    twinSignTimeMs: number | undefined,
  ): Promise<void>;
}

/** A step's definition, checked against its name's own shape. */
export function faultStep<N extends FaultStepName>(
  definition: FaultStepDefinition<N>,
): FaultStepDefinition<N> {
  return definition;
}

/** A step's value: a literal, or `$name` for a drawn value. */
export function drawnValue(ctx: FaultContext, v: unknown): unknown {
  return typeof v === 'string' && v.startsWith('$') ? ctx.drawn[v.slice(1)] : v;
}

/** The target's clock window; without one, the whole second the build options name. */
export function clockOf(ctx: FaultContext): ClockWindow {
  const ms = ctx.buildOptions.nowSeconds * 1000;
  return ctx.clock ?? { loMs: ms, hiMs: ms + 999 };
}

/** The bearer JWT a request carries in Authorization, if any. */
export function jwtIn(req: OutgoingRequest): string | undefined {
  const auth = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  return auth?.match(/^Bearer (\S+)$/)?.[1];
}
