/**
 * `moveCredential`: the accepted request with its API key moved from its usual header (its own, or Authorization
 * after its scheme word) to the other place the profile says the same credential is accepted
 * (`alsoIn`): a body field or another header, the key alone.
 */
import type { ResolvedRoute } from '../../model/resolved-profile.ts';
import type { OutgoingRequest } from '../../request/outgoing-request.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { alsoInCredential } from '../../model/route-credentials.ts';
import { faultStep } from './fault-step.ts';

export const moveCredential = faultStep({
  name: 'moveCredential',
  edit: (ctx, req, step) => movedCredential(ctx.route, req, step.moveCredential),
});

function movedCredential(
  route: ResolvedRoute,
  req: OutgoingRequest,
  where: 'body' | 'header',
): OutgoingRequest {
  const also = alsoInCredential(route, where);
  if (also === undefined)
    throw new MissingRoleError(`an API key of route ${route.id} also accepted in the ${where}`);
  const { credential: cred, place } = also;
  const name = cred.in === 'authorization' ? 'Authorization' : cred.name!;
  const sent = Object.keys(req.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  if (sent === undefined) throw new MissingRoleError(`the ${name} header on route ${route.id}`);
  // In Authorization the key is what follows the scheme word.
  const value =
    cred.in === 'authorization' ? req.headers[sent]!.replace(/^\S+\s+/, '') : req.headers[sent]!;
  const headers = { ...req.headers };
  delete headers[sent];
  if (where === 'header') return { ...req, headers: { ...headers, [place.name]: value } };
  const body = req.body === undefined ? {} : (JSON.parse(req.body) as Record<string, unknown>);
  return {
    ...req,
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...body, [place.name]: value }),
  };
}
