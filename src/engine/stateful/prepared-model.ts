/** What a stateful model gives the model runner: its commands, its initial state and its hooks. */
import type fc from 'fast-check';
import type { ClockMover } from '../clock-mover.ts';
import type { ResolvedRateLimit } from '../../model/resolved-profile.ts';
import type { ModelSession } from './model-session.ts';

export interface PreparedModel<M extends object> {
  commands: fc.Arbitrary<fc.AsyncCommand<M, ModelSession>>[];
  initial(): M;
  /** Run before every drawn sequence (a created key), so drawn commands find something to act on. */
  preamble?(model: M, session: ModelSession): Promise<void>;
  /** Undo what a run left on a target that cannot be reset. */
  cleanup?(model: M, session: ModelSession): Promise<void>;
  /** Longest command sequence (default 16). */
  maxCommands?: number;
  /** What this target let the model not check: a run that passed the rest is PARTIAL, not PASS. */
  unchecked?: string;
  /** Asked after the runs: what none of them got to check (PARTIAL too), or undefined. */
  uncheckedAfter?(): string | undefined;
  /** The keys (values, the first spent first) and the class a run spends: a guest waits for them fresh. */
  spends?: { keys: string[]; limit: ResolvedRateLimit };
  /** How the model's wait commands move time (a real wait limits the scenario to one run). */
  movers?: ClockMover[];
}

export type ModelName = 'key-lifecycle' | 'rate-window' | 'token-refresh';
