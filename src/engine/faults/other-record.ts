/**
 * `otherRecord`: reach the record of another party (the route's params name its resource); on a
 * route a JWT alone authenticates, the token held must be bound to a party of that kind.
 */
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { requireTokenBoundTo } from '../jwt-party.ts';
import { faultStep, jwtIn, type FaultContext } from './fault-step.ts';

export const otherRecord = faultStep({
  name: 'otherRecord',
  rebuild(ctx, opts, step) {
    requireTokenBoundTo(ctx.route, opts.tokens ?? {}, step.otherRecord, jwtIn(ctx.positive));
    opts.resources = {
      ...(opts.resources ?? {}),
      ...otherRecordResources(ctx, step.otherRecord),
    };
  },
});

function otherRecordResources(ctx: FaultContext, which: string): Record<string, string> {
  for (const ref of Object.values(ctx.route.params ?? {})) {
    if (typeof ref !== 'object') continue;
    const other = (ref as unknown as Record<string, string | undefined>)[which];
    if (other === undefined) continue;
    const value = ctx.creds.resources?.[other];
    if (value === undefined) throw new MissingRoleError(`resources.${other}`);
    return { [ref.resource]: value };
  }
  throw new MissingRoleError(`a path id of route ${ctx.route.id} naming an ${which} record`);
}
