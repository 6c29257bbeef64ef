/** `repeat`: the accepted request built again (a fresh nonce and signature) on the record it used up. */
import { faultStep } from './fault-step.ts';

export const repeat = faultStep({
  name: 'repeat',
  keepsTwinRecord: true,
});
