/**
 * Tokens a route needs that only the target can issue: a login JWT (through the profile's login
 * route) or a session token with the route's scope (through its issue route).
 */
import type { Credentials } from '../model/credentials.ts';
import type { Profile, Route } from '../model/profile.ts';
import { buildRequest } from '../request/build-request.ts';
import { targetHost, type Target } from '../targets/target.ts';
import { CheckFailure } from '../check/check-failure.ts';

export async function obtainTokens(
  profile: Profile,
  creds: Credentials,
  target: Target,
  route: Route,
  /** Tokens already held, by credential id: not asked for again. */
  have: Record<string, string> = {},
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (route.auth === 'public') return out;
  for (const id of new Set(route.auth.flatMap((a) => (Array.isArray(a) ? a : [a])))) {
    if (have[id] !== undefined) continue;
    const cred = profile.credentials[id]!;
    const spec = cred.token ? profile.tokens?.[cred.token] : undefined;
    if (!spec?.issue) continue;
    const issueRoute = profile.routes.find((r) => r.id === spec.issue!.route)!;
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
    const token = jsonPointer(res.body, spec.issue.tokenAt ?? '/token');
    if (res.status !== issueRoute.success.status || typeof token !== 'string') {
      throw new CheckFailure(
        'obtainToken',
        `could not obtain a ${cred.kind} for "${id}" from ${issueRoute.method} ${issueRoute.path}: status ${res.status}`,
      );
    }
    out[id] = token;
  }
  return out;
}

export function jsonPointer(doc: unknown, ptr: string): unknown {
  return ptr
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (cur, seg) =>
        cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string, unknown>)[seg],
      doc,
    );
}
