/**
 * The target as one scenario sees it: once it could not be asked (refused, timed out, a body over
 * --max-body, the run's deadline: a TargetError), every later request of the scenario fails at
 * once with that same error. fast-check shrinks a failing case by running smaller ones; each
 * would otherwise ask again and wait a whole --timeout for the same non-answer, a dozen times per
 * scenario. The verdict is ERROR with the first error's reason either way.
 */
import { type Target } from '../targets/target.ts';
import { TargetError } from '../targets/target-error.ts';
import { DeadlinePassedError } from '../targets/run-deadline.ts';

const ASKING = new Set<PropertyKey>(['send', 'reset', 'advanceClock']);

export function stopWhenUnreachable(target: Target): Target {
  return latched(target, () => true).target;
}

/**
 * The target as the whole run sees it: when its first requests cannot be asked (connection
 * refused, no answer within --timeout) before it ever answered, it is unreachable, and the run
 * stops asking: every later request fails at once with that error, and the run makes the cases
 * left ERROR in moments instead of letting each scenario find out (and wait) on its own. A target
 * that has answered once is reachable: a later non-answer is that scenario's ERROR only.
 */
export function runReachability(target: Target): {
  target: Target;
  unreachable(): TargetError | undefined;
} {
  // The run's deadline is not the target's doing.
  const { target: watched, stoppedBy } = latched(
    target,
    (e, answered) => !answered && !(e instanceof DeadlinePassedError),
  );
  return { target: watched, unreachable: stoppedBy };
}

/** `target` whose asking calls fail at once, from the first TargetError `stops` accepts on. */
function latched(
  target: Target,
  stops: (e: TargetError, answered: boolean) => boolean,
): { target: Target; stoppedBy(): TargetError | undefined } {
  let answered = false;
  let stopped: TargetError | undefined;
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      const value: unknown = Reflect.get(t, key, receiver);
      if (!ASKING.has(key) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (stopped) throw stopped;
        try {
          const res: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
            t,
            args,
          );
          answered = true;
          return res;
        } catch (e) {
          if (e instanceof TargetError && stops(e, answered)) stopped = e;
          throw e;
        }
      };
    },
  });
  return { target: proxy, stoppedBy: () => stopped };
}
