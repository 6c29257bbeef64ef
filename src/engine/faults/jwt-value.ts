/** `jwtValue`: send this value (literal or $drawn, e.g. a malformed token) as the route's JWT. */
import { routeJwtCredential } from '../../request/header-reference.ts';
import { drawnValue, faultStep } from './fault-step.ts';

export const jwtValue = faultStep({
  name: 'jwtValue',
  rebuild(ctx, opts, step) {
    opts.tokens = {
      ...opts.tokens,
      [routeJwtCredential(ctx.route).id]: String(drawnValue(ctx, step.jwtValue)),
    };
  },
});
