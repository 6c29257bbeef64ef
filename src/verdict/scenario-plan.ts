/**
 * What a run will say of one profile x scenario before a request is sent: it runs (how many
 * cases, on which routes), it is SKIPPED (with the reason), or it does not apply. The engine
 * decides it (src/engine/plan-run.ts); `run --dry-run` and the coverage report show it.
 */
import type { ResolvedRoute } from '../model/resolved-profile.ts';

export type ScenarioPlan =
  | {
      kind: 'run';
      runs: number;
      routes: ResolvedRoute[];
      /**
       * Routes drawn among the others that the credentials cannot build a request for (no
       * HMAC secret, no resource for a path parameter): a case drawn on one SKIPs the scenario
       * when it runs, which the plan cannot know without drawing. One line per missing role.
       */
      maySkip?: string[];
    }
  | { kind: 'skip'; reason: string }
  | { kind: 'not-applicable'; reason: string };
