/**
 * The profile's answer to a denial: its error id, picked by the binding the denial is about,
 * then the credential sent, then the default. A reading of the profile, shared by the mock (to
 * answer) and the harness (to expect); neither asks the other.
 */
import type { BindingKind, DenialReason, Profile } from './profile.ts';

export interface DenialContext {
  credential?: string;
  binding?: BindingKind;
  retryAfterSeconds?: number;
}

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
 * it happens: the closest reason the profile does map.
 */
function fallbackFor(profile: Profile, reason: DenialReason) {
  const order: DenialReason[] =
    reason === 'rate_limited' || reason === 'not_found' || reason === 'malformed_request'
      ? ['malformed_request']
      : ['unknown_credential'];
  for (const r of order) {
    const denial = profile.denials[r];
    if (denial) return denial;
  }
  return profile.denials.malformed_request!;
}
