/** `renameHeader`: the referenced header sent under another name (literal, or $drawn: a casing). */
import { findHeader, withoutHeader } from '../../request/header-edits.ts';
import { headerName } from '../../request/header-reference.ts';
import type { OutgoingRequest } from '../../request/outgoing-request.ts';
import { drawnValue, faultStep } from './fault-step.ts';

export const renameHeader = faultStep({
  name: 'renameHeader',
  edit: (ctx, req, step) =>
    renamed(
      req,
      headerName(ctx.profile, ctx.route, step.renameHeader),
      String(drawnValue(ctx, step.to)),
    ),
});

function renamed(req: OutgoingRequest, name: string, to: string): OutgoingRequest {
  const k = findHeader(req, name);
  if (k === undefined) return req;
  const value = req.headers[k]!;
  const out = withoutHeader(req, name);
  return { ...out, headers: { ...out.headers, [to]: value } };
}
