/**
 * `advanceClock`: the target's clock moved forward before the faulty request (seconds,
 * lifetime+N, replayWindow-N, onTime-N); waited out in real time where it cannot be moved.
 */
import { advanceTargetClock } from '../target-state-steps.ts';
import { faultStep } from './fault-step.ts';

export const advanceClock = faultStep({
  name: 'advanceClock',
  movesClock: true,
  beforeFault: (ctx, route, step, twinSignTimeMs) =>
    advanceTargetClock(ctx, route, step.advanceClock, twinSignTimeMs),
});
