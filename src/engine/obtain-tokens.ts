/**
 * Tokens a route needs that only the target can issue: a login JWT (through the profile's login
 * route), a JWT of a client-credentials grant (through the token endpoint, for the route's scope)
 * or a session token with the route's scope (through its issue route).
 */
import type { Credentials } from '../model/credentials.ts';
import type { ResolvedRoute, ResolvedProfile } from '../model/resolved-profile.ts';
import { buildRequest } from '../request/build-request.ts';
import { targetHost, type Target } from '../targets/target.ts';
import { CheckFailure } from '../check/check-failure.ts';
import { jsonPointer } from '../model/json-pointer.ts';
import type { ReceivedResponse } from '../request/outgoing-request.ts';
import {
  ACCESS_TOKEN_AT,
  clientCredentialsRequest,
  clientCredentialsTokenOf,
} from '../request/client-credentials.ts';

export async function obtainTokens(
  profile: ResolvedProfile,
  creds: Credentials,
  target: Target,
  route: ResolvedRoute,
  /** Tokens already held, by credential id: not asked for again. */
  have: Record<string, string> = {},
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const cred of route.credentials) {
    const { id } = cred;
    if (have[id] !== undefined) continue;
    const spec = cred.tokenSpec;
    const issueRoute = spec?.issueRoute;
    if (!spec?.issue || !issueRoute) continue;
    const grant = clientCredentialsTokenOf(profile, issueRoute);
    if (grant) {
      // The route's own scope is asked for (RFC 6749 §3.3), unless the profile names one.
      const req = clientCredentialsRequest(grant.issue, creds, issueRoute, {
        ...(route.scope !== undefined ? { scope: route.scope } : {}),
      });
      out[id] = tokenOf(
        await target.send(req),
        issueRoute,
        grant.issue.tokenAt ?? ACCESS_TOKEN_AT,
        cred.kind,
        id,
      );
      continue;
    }
    const body =
      spec.kind === 'session_token'
        ? { ...(issueRoute.requestBody as object), [spec.issue.scopeField ?? 'scope']: route.scope }
        : undefined;
    const req = await buildRequest(profile, creds, issueRoute, {
      nowSeconds: target.nowSeconds(),
      host: targetHost(target),
      ...(body ? { body } : {}),
    });
    const res = await target.send(req);
    out[id] = tokenOf(res, issueRoute, spec.issue.tokenAt ?? '/token', cred.kind, id);
  }
  return out;
}

function tokenOf(
  res: ReceivedResponse,
  issueRoute: ResolvedRoute,
  tokenAt: string,
  kind: string,
  id: string,
): string {
  const token = jsonPointer(res.body, tokenAt);
  if (res.status !== issueRoute.success.status || typeof token !== 'string') {
    throw new CheckFailure(
      'obtainToken',
      `could not obtain a ${kind} for "${id}" from ${issueRoute.method} ${issueRoute.path}: status ${res.status}`,
    );
  }
  return token;
}
