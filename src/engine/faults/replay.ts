/** `replay`: the accepted request sent again, byte for byte, to the record it used. */
import { faultStep } from './fault-step.ts';

export const replay = faultStep({
  name: 'replay',
  sendsAcceptedRequest: true,
  keepsTwinRecord: true,
});
