/** `nonce`: sign with the drawn nonce. */
import { drawnValue, faultStep } from './fault-step.ts';

export const nonce = faultStep({
  name: 'nonce',
  rebuild(ctx, opts, step) {
    opts.nonce = String(drawnValue(ctx, step.nonce));
  },
});
