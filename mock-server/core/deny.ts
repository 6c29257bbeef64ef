/**
 * Every denial goes through here: a reason (and the credential or binding it is about) becomes
 * the profile's status, error body and headers, as resolving derived them. The body is the
 * profile's literal one, so it can never echo what the client sent.
 */
import type { DenialReason } from '../../src/model/profile.ts';
import type { MockResponse } from './mock-types.ts';
import { errorIdFor, type DenialContext } from '../../src/model/error-for-denial.ts';
import { errorById, type ResolvedProfile } from '../../src/model/resolved-profile.ts';

export type { DenialContext };

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

export function renderDenial(
  profile: ResolvedProfile,
  reason: DenialReason,
  ctx: DenialContext = {},
): MockResponse {
  const id = errorIdFor(profile, reason, ctx);
  const error = errorById(profile, id);
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
