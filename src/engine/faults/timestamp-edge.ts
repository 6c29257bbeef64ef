/**
 * `timestampEdge`: sign at the exact edge of the timestamp window against the target's clock
 * (past-inside, past-outside, future-inside, future-outside, or $drawn).
 */
import { edgeTimeMs, type TimestampEdge } from '../target-clock.ts';
import { clockOf, drawnValue, faultStep } from './fault-step.ts';
import { requireSigning } from './route-signing.ts';

export const timestampEdge = faultStep({
  name: 'timestampEdge',
  pinsClock: () => true,
  rebuild(ctx, opts, step) {
    const edge = String(drawnValue(ctx, step.timestampEdge));
    const timestamp = requireSigning(ctx, 'timestamp', 'a timestamp').parts.timestamp!;
    if (!/^(past|future)-(inside|outside)$/.test(edge))
      throw new Error(
        `timestampEdge is past-inside, past-outside, future-inside or future-outside, not ${JSON.stringify(edge)}`,
      );
    opts.signTimeMs = edgeTimeMs(timestamp, clockOf(ctx), edge as TimestampEdge);
  },
});
