/**
 * A stateful scenario as a fast-check model run: commands drawn against a model of the state the
 * profile implies (keys and their lifecycle, a key's rate window), each command's answer checked
 * against the model. Shrinking gives the shortest command sequence that still fails; the verdict
 * carries it with every exchange of that run.
 */
import fc from 'fast-check';
import type { Scenario } from '../../scenario/scenario-model.ts';
import type { ResolvedRateLimit } from '../../model/resolved-profile.ts';
import type { Verdict } from '../../verdict/verdict.ts';
import { verdictOfRun, type FailingCase } from '../failure-verdict.ts';
import type { EngineContext, PropertyOptions } from '../engine-context.ts';
import type { ModelSession } from './model-session.ts';
import type { ModelName, PreparedModel } from './prepared-model.ts';
import { prepareKeyLifecycle } from './key-lifecycle-model.ts';
import { prepareRateWindow } from './rate-window-model.ts';
import { prepareTokenRefresh } from './token-refresh-model.ts';

const MODELS: Record<ModelName, (ctx: EngineContext) => PreparedModel<object> | null> = {
  'key-lifecycle': prepareKeyLifecycle as (ctx: EngineContext) => PreparedModel<object> | null,
  'rate-window': prepareRateWindow as (ctx: EngineContext) => PreparedModel<object> | null,
  'token-refresh': prepareTokenRefresh as (ctx: EngineContext) => PreparedModel<object> | null,
};

/** Whether the profile offers something this model can drive (preparing it sends nothing). */
export function modelApplies(ctx: EngineContext, model: ModelName): boolean {
  return MODELS[model](ctx) !== null;
}

/** null: the profile offers nothing this model can drive. */
export async function runModelScenario(
  ctx: EngineContext,
  scenario: Scenario & { model: ModelName },
  opts: PropertyOptions,
  runs: number,
  done: (status: Verdict['status'], extra?: Partial<Verdict>) => Verdict,
  policy: {
    endOnFailure?: true;
    beforeCase?: (spends: readonly string[], limit?: ResolvedRateLimit) => Promise<void>;
  } = {},
): Promise<Verdict | null> {
  const prepared = MODELS[scenario.model](ctx);
  if (!prepared) return null;
  // Real waits are long: stop at the first failure (no shrinking through waits).
  const realWaits = prepared.movers?.some((m) => m.real) ?? false;
  const obtained = new Set<string>();
  let last: FailingCase | undefined;

  // size 'max': sequences up to the maximum length, not fast-check's short default; a lifecycle
  // mistake usually needs four or five steps in the right order to show.
  const input = fc.commands(prepared.commands, {
    maxCommands: prepared.maxCommands ?? 16,
    size: 'max',
  });
  const property = fc.asyncProperty(input, async (commands) => {
    await ctx.target.reset?.();
    await policy.beforeCase?.(prepared.spends?.keys ?? [], prepared.spends?.limit);
    for (const m of prepared.movers ?? []) m.newRun();
    const session: ModelSession = {
      ctx,
      log: [],
      obtained,
      noteTimeChecked: () => prepared.movers?.forEach((m) => m.noteChecked()),
    };
    const model = prepared.initial();
    try {
      await prepared.preamble?.(model, session);
      await fc.asyncModelRun(() => ({ model, real: session }), commands);
    } catch (e) {
      last = {
        route: `commands: ${String(commands)}`,
        drawn: { commands: String(commands) },
        exchanges: [...session.log],
      };
      throw e;
    } finally {
      await prepared.cleanup?.(model, session);
    }
  });

  let result;
  try {
    result = await fc.check(property, {
      numRuns: runs,
      seed: opts.seed,
      ...(policy.endOnFailure || realWaits ? { endOnFailure: true } : {}),
      ...(opts.path ? { path: opts.path } : {}),
    });
  } catch (e) {
    return done('ERROR', { reason: (e as Error).message });
  }
  const verdict = verdictOfRun(result, last, ctx.target, ctx.creds, obtained, done);
  // A real wait that no drawn run checked anything after leaves that part unchecked too.
  const unwatched = (prepared.movers ?? []).some((m) => m.real && !m.checked)
    ? 'time was to pass in real time, but no drawn run both waited and checked what follows (more --runs draw more sequences)'
    : undefined;
  const unchecked = [prepared.unchecked, prepared.uncheckedAfter?.(), unwatched]
    .filter(Boolean)
    .join('; ');
  return verdict.status === 'PASS' && unchecked
    ? { ...verdict, status: 'PARTIAL', reason: unchecked }
    : verdict;
}
