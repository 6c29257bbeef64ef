/** `timestampOffset`: seconds added to the signing time (literal or $drawn); signed afresh. */
import { drawnValue, faultStep } from './fault-step.ts';

export const timestampOffset = faultStep({
  name: 'timestampOffset',
  rebuild(ctx, opts, step) {
    opts.nowSeconds = ctx.buildOptions.nowSeconds + Number(drawnValue(ctx, step.timestampOffset));
  },
});
