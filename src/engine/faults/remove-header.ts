/** `removeHeader`: the header a reference names (credential, credential:jwt, binding:KIND, or a literal name) left out. */
import { withoutHeader } from '../../request/header-edits.ts';
import { headerName } from '../../request/header-reference.ts';
import { faultStep } from './fault-step.ts';

export const removeHeader = faultStep({
  name: 'removeHeader',
  edit: (ctx, req, step) =>
    withoutHeader(req, headerName(ctx.profile, ctx.route, step.removeHeader)),
});
