/**
 * `removeHeader`: the header a reference names (credential, credential:jwt, binding:KIND, or a
 * literal name) left out; `credential` of a key in a query parameter or a cookie: that left out.
 */
import { withoutHeader } from '../../request/header-edits.ts';
import { headerName, routeKeyCredential } from '../../request/header-reference.ts';
import { withoutCookie, withoutQueryParam } from '../../request/query-cookie-credential.ts';
import { faultStep } from './fault-step.ts';

export const removeHeader = faultStep({
  name: 'removeHeader',
  edit: (ctx, req, step) => {
    if (step.removeHeader === 'credential') {
      const cred = routeKeyCredential(ctx.route);
      if (cred.in === 'query') return withoutQueryParam(req, cred.name!);
      if (cred.in === 'cookie') return withoutCookie(req, cred.name!);
    }
    return withoutHeader(req, headerName(ctx.profile, ctx.route, step.removeHeader));
  },
});
