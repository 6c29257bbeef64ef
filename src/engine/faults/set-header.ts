/** `setHeader`: the referenced header set to a value: literal, $drawn, or resource:NAME (from the credentials' resources). */
import { withHeader } from '../../request/header-edits.ts';
import { headerName } from '../../request/header-reference.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { drawnValue, faultStep, type FaultContext } from './fault-step.ts';

export const setHeader = faultStep({
  name: 'setHeader',
  edit: (ctx, req, step) =>
    withHeader(
      req,
      headerName(ctx.profile, ctx.route, step.setHeader),
      String(resourceValue(ctx, drawnValue(ctx, step.value))),
    ),
});

function resourceValue(ctx: FaultContext, v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith('resource:')) {
    const name = v.slice(9);
    const r = ctx.creds.resources?.[name];
    if (r === undefined) throw new MissingRoleError(`resources.${name}`);
    return r;
  }
  return v;
}
