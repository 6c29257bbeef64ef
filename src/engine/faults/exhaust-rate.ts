/** `exhaustRate`: the route's rate window spent with accepted requests first; the faulty request is one more. */
import { faultStep } from './fault-step.ts';

export const exhaustRate = faultStep({
  name: 'exhaustRate',
  spendsRateWindow: true,
});
