/**
 * The mark an explicit in-process constructor leaves on its target (`nodeListenerTarget`,
 * `fetchHandlerTarget`, `fastifyTarget`): which kind the caller named, the app and its options,
 * so `appTarget` can build it again with a run's bounds (timeout, deadline) without guessing.
 */
import type { InProcessKind, InProcessOptions } from './in-process-target.ts';
import type { Target } from './target.ts';

const KIND = Symbol.for('authconform.inProcessKind');

export interface KindMark {
  kind: InProcessKind;
  app: unknown;
  options: InProcessOptions;
}

export function markKind(target: Target, mark: KindMark): Target {
  return Object.assign(target, { [KIND]: mark });
}

/** The kind an explicit constructor named, or undefined for anything else. */
export function kindMarkOf(value: unknown): KindMark | undefined {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
    ? ((value as { [KIND]?: KindMark })[KIND] ?? undefined)
    : undefined;
}
