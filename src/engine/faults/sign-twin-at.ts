/** `signTwinAt`: the accepted twin signed at an inside edge of the timestamp window (future-inside, past-inside). */
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { signingOf } from '../../sign/signers.ts';
import { edgeTimeMs, pinnedClockWindow } from '../target-clock.ts';
import { faultStep } from './fault-step.ts';

export const signTwinAt = faultStep({
  name: 'signTwinAt',
  async twinSignTime(ctx, route, step) {
    const timestamp = signingOf(route)?.parts.timestamp;
    if (!timestamp) throw new MissingRoleError(`a timestamp in the signing of route ${route.id}`);
    return edgeTimeMs(timestamp, await pinnedClockWindow(ctx.target), step.signTwinAt);
  },
});
