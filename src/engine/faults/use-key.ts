/** `useKey`: send the key of another role (revoked, expired, otherTenant...), or the role drawn as $name. */
import { drawnValue, faultStep } from './fault-step.ts';

export const useKey = faultStep({
  name: 'useKey',
  rebuild(ctx, opts, step) {
    opts.keyRole = String(drawnValue(ctx, step.useKey));
  },
});
