/** `setBody`: the body replaced, after signing, by these raw bytes (text, or $drawn). */
import { drawnValue, faultStep } from './fault-step.ts';

export const setBody = faultStep({
  name: 'setBody',
  edit: (ctx, req, step) => ({ ...req, body: String(drawnValue(ctx, step.setBody)) }),
});
