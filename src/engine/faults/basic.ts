/** `basic`: HTTP Basic's value broken in one of the ways RFC 7617 §2 tells apart. */
import { withBasicFault } from '../authorization-faults.ts';
import { faultStep } from './fault-step.ts';

export const basic = faultStep({
  name: 'basic',
  edit: (ctx, req, step, opts) =>
    withBasicFault(ctx.profile, ctx.creds, ctx.route, req, opts.keyRole, step.basic),
});
