/**
 * `alterKey`: change the key sent (on a route that takes only a token, the token): its last
 * character (another of the same class: well-formed, never issued) or its prefix (malformed).
 */
import { defaultKeyRole, keyForRole } from '../../request/build-request.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import type { OutgoingRequest } from '../../request/outgoing-request.ts';
import { faultStep, type FaultContext } from './fault-step.ts';

export const alterKey = faultStep({
  name: 'alterKey',
  edit: (ctx, req, step, opts) => alteredKey(ctx, req, opts.keyRole, step.alterKey),
});

/** The request with its key changed: one last character of the same class, or its prefix. */
function alteredKey(
  ctx: FaultContext,
  req: OutgoingRequest,
  keyRole: string | undefined,
  how: 'lastChar' | 'prefix',
): OutgoingRequest {
  const key = credentialValue(ctx, keyRole);
  const last = key.at(-1)!;
  const pools = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const pool = pools.find((p) => p.includes(last)) ?? pools[0]!;
  const altered =
    how === 'lastChar'
      ? key.slice(0, -1) + pool[(pool.indexOf(last) + 1) % pool.length]
      : 'zz9_' + key.replace(/^[A-Za-z]+[_-](?:[A-Za-z]+[_-])*/, '');
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, v.split(key).join(altered)]),
  );
  // A key in the query travels URL-encoded (query-cookie-credential.ts); a cookie is a header.
  const pathWithQuery = req.pathWithQuery
    .split(encodeURIComponent(key))
    .join(encodeURIComponent(altered));
  return {
    ...req,
    pathWithQuery,
    headers,
    ...(req.body !== undefined ? { body: req.body.split(key).join(altered) } : {}),
  };
}

/** The value the request carries as its credential: the API key, else the route's token. */
function credentialValue(ctx: FaultContext, keyRole: string | undefined): string {
  const { profile, route } = ctx;
  if (route.credentials.some((c) => c.kind === 'api_key'))
    return keyForRole(ctx.creds, keyRole ?? defaultKeyRole(profile, ctx.creds, route)).value;
  const token = route.credentials
    .map((c) => ctx.buildOptions.tokens?.[c.id])
    .find((t) => t !== undefined);
  if (token === undefined) throw new MissingRoleError(`a credential on route ${route.id} to alter`);
  return token;
}
