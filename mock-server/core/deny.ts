/**
 * Every denial goes through here: a reason (and the credential or binding it is about) becomes
 * the profile's status, error body and headers. The body is the profile's literal one, so it
 * can never echo what the client sent.
 */
import type { BindingKind, DenialReason, Profile } from '../../src/model/profile.ts';
import type { MockResponse } from './mock-types.ts';

export interface DenialContext {
  /** The credential id the denial is about, if any. */
  credential?: string;
  /** The binding the denial is about, if any. */
  binding?: BindingKind;
  /** Seconds to put in Retry-After (rate limits). */
  retryAfterSeconds?: number;
}

/** A decision of the core to refuse: thrown inside the pipeline, rendered once at its edge. */
export class Denial extends Error {
  constructor(
    readonly reason: DenialReason,
    readonly context: DenialContext = {},
  ) {
    super(reason);
    this.name = 'Denial';
  }
}

/** The error id the profile gives for a reason: binding override, then credential, then default. */
export function errorIdFor(profile: Profile, reason: DenialReason, ctx: DenialContext): string {
  const denial = profile.denials[reason] ?? fallbackFor(profile, reason);
  if (typeof denial === 'string') return denial;
  return (
    (ctx.binding && denial[ctx.binding]) ||
    (ctx.credential && denial[ctx.credential]) ||
    denial.default
  );
}

/**
 * A reason the profile does not map (it says the API never gives it) still needs an answer if
 * it happens: the closest reason the profile does map, never a 5xx.
 */
function fallbackFor(profile: Profile, reason: DenialReason) {
  const order: DenialReason[] =
    reason === 'rate_limited' || reason === 'not_found' || reason === 'malformed_request'
      ? ['malformed_request']
      : ['unknown_credential'];
  for (const r of order) if (profile.denials[r]) return profile.denials[r]!;
  return profile.denials.malformed_request!;
}

export function renderDenial(
  profile: Profile,
  reason: DenialReason,
  ctx: DenialContext = {},
): MockResponse {
  const id = errorIdFor(profile, reason, ctx);
  const error = profile.errors[id]!;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  for (const [name, value] of Object.entries(error.headers ?? {})) {
    // Header values in the profile are descriptions unless they are literal (WWW-Authenticate: Bearer).
    if (name.toLowerCase() === 'retry-after') continue;
    headers[name.toLowerCase()] = value;
  }
  if (reason === 'rate_limited')
    headers['retry-after'] = String(Math.max(1, ctx.retryAfterSeconds ?? 1));
  return { status: error.status, headers, body: structuredClone(error.body) };
}
