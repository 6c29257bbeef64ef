/**
 * The profile's answer to a denial: its error id, picked by the binding the denial is about,
 * then the credential sent, then the default. A reading of the profile, shared by the mock (to
 * answer) and the harness (to expect); neither asks the other.
 */
import type { BindingKind, DenialReason, Profile } from './profile.ts';
import { DEFAULT_STATUS, defaultAnswer } from './derive-errors.ts';

export interface DenialContext {
  credential?: string;
  binding?: BindingKind;
  retryAfterSeconds?: number;
}

export function errorIdFor(profile: Profile, reason: DenialReason, ctx: DenialContext): string {
  const denial =
    profile.denials[reason] ?? fallbackFor(profile, reason) ?? defaultFor(profile, reason);
  if (typeof denial === 'string') return denial;
  return (
    (ctx.binding && denial[ctx.binding]) ||
    (ctx.credential && denial[ctx.credential]) ||
    denial.default
  );
}

/**
 * A reason the profile does not map (it says the API never gives it) still needs an answer if
 * it happens: the closest reason the profile does map.
 */
function fallbackFor(profile: Profile, reason: DenialReason) {
  for (const r of closest(reason)) {
    const denial = profile.denials[r];
    if (denial) return denial;
  }
  return undefined;
}

function closest(reason: DenialReason): DenialReason[] {
  return reason === 'rate_limited' || reason === 'not_found' || reason === 'malformed_request'
    ? ['malformed_request']
    : ['unknown_credential', 'malformed_request'];
}

/**
 * A profile built in code (not loaded: the loader fills the defaults in) that maps neither the
 * reason nor a closest one: the error of its default status, or of a closest one's, as a loaded
 * profile would have it (derive-errors.ts, defaultAnswer).
 */
function defaultFor(profile: Profile, reason: DenialReason): string {
  for (const r of [reason, ...closest(reason)]) {
    const id = defaultAnswer(profile, r).id;
    if (id !== undefined) return id;
  }
  throw new Error(
    `profile "${profile.id}" has no answer for ${reason}: map it in denials, or give one error status ${DEFAULT_STATUS[reason]}`,
  );
}
