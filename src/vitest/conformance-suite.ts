/**
 * `authconform/vitest`: the conformance scenarios as tests of the user's own vitest run. One test
 * per profile x scenario, declared where `conformanceSuite()` is called; the first test to run
 * starts one `verify()` for them all, and each test waits for its own verdict, so the run keeps
 * its order, its seed and its one reset per property, and every test reports what its case found.
 * Under vitest's filter (`-t`) the run asks only the scenarios of the tests vitest will run.
 */
import { describe, it, type RunnerTask, type TestContext } from 'vitest';
import { checkVerifyOptions } from '../api/prepare-run.ts';
import { scenariosOfRun, verify, type VerifyOptions } from '../api/verify.ts';
import { failureDetails } from '../report/console-report.ts';
import type { RecordedVerdict, RunRecord } from '../report/run-record.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { builtInProfileIds, resolveProfile } from '../spec/builtin-specs.ts';
import type { LoadedProfile } from '../spec/load-profile.ts';

/**
 * `verify()`'s options, less the callbacks the suite uses itself, and how the tests are declared.
 */
export interface ConformanceSuiteOptions extends Omit<
  VerifyOptions,
  'onStart' | 'onPlan' | 'onVerdict' | 'profile'
> {
  /** As in `verify()`: a built-in id, `all`, a profile file, a loaded profile, or a list. */
  profile: VerifyOptions['profile'];
  /** The longest one test waits for its verdict, ms (default 120,000). */
  testTimeoutMs?: number;
  /** The name of the `describe` block of each profile (default: "<profile> conformance"). */
  describeName?: (profile: LoadedProfile) => string;
}

/** What a declared suite gives back: the whole run's record, once every test has its verdict. */
export interface ConformanceSuite {
  /** The run's record (every verdict, totals, exit code), for reports or further assertions. */
  record(): Promise<RunRecord>;
}

/**
 * A case as the run ended it: its verdict (`known`: a failure the baseline had, under `failOn:
 * 'new'`), or why it does not apply.
 */
type Outcome = { verdict: RecordedVerdict; known?: boolean } | { notApplicable: string };

/**
 * Declares one vitest test per profile x scenario. A MUST that fails, an ERROR, and (with
 * `failOn: 'should'`) a SHOULD that fails fail their test with the failure's counterexample,
 * curl replay and rerun command as the error. A SKIP (a credentials role missing) and a
 * scenario that does not apply are shown as skipped with their reasons, never as a pass, and fail
 * under `failOn: 'skip'` (or `certify`) when they are a MUST; a PARTIAL, a WAIVED failure, a
 * failing SHOULD and (with `failOn: 'new'`) a failure the `baseline` had pass with an annotation
 * saying so. With `waivers` or `baseline`, each test waits for the whole run's record.
 *
 * Called where vitest collects tests (a test file's top level or a `describe`). Throws, while
 * collecting, what `verify()` throws for a profile or scenario file (`SpecError`,
 * `UnknownProfileError`) or a selection that matches nothing (`VerifyOptionError`); any other
 * error of the run fails every test with it.
 *
 * @example
 * ```ts
 * // test/auth-conformance.test.ts
 * import express from 'express';
 * import { conformanceSuite } from 'authconform/vitest';
 *
 * const app = express(); // your app, its routes and auth middleware included
 *
 * conformanceSuite({
 *   profile: './authconform/profile.yaml',
 *   target: app, // or 'mock', or 'http://127.0.0.1:8080'
 *   credentials: './authconform/credentials.yaml',
 *   seed: 1,
 * });
 * ```
 */
export function conformanceSuite(options: ConformanceSuiteOptions): ConformanceSuite {
  // A mistaken option fails the file while vitest collects it, once, not in every test.
  checkVerifyOptions(options);
  const loaded = profilesOf(options.profile);
  const scenarios = scenariosOfRun(options);
  const failOn = options.certify ? 'skip' : (options.failOn ?? 'must');
  // Waivers and a baseline judge a verdict against the whole run (a waived FAIL, a failure the
  // baseline had): those tests end with the record, as its exit code does, not as verdicts come.
  const judgedByRecord = options.waivers !== undefined || options.baseline !== undefined;
  const outcomes = new Map<string, Deferred<Outcome>>();
  for (const { profile } of loaded)
    for (const s of scenarios) outcomes.set(key(profile.id, s.id), deferred());

  const suite = `authconform-suite-${++suitesDeclared}`;
  let running: Promise<RunRecord> | undefined;
  const run = (selected?: readonly string[]): Promise<RunRecord> =>
    (running ??= verify({
      ...options,
      ...(selected ? { scenarios: selected } : {}),
      onPlan: (cases) => {
        for (const c of cases)
          if (c.plan.kind === 'not-applicable')
            outcomes.get(key(c.profile, c.scenario.id))?.resolve({ notApplicable: c.plan.reason });
      },
      ...(judgedByRecord
        ? {}
        : {
            onVerdict: (v: RecordedVerdict) =>
              outcomes.get(key(v.profile, v.scenario))?.resolve({ verdict: v }),
          }),
    }).then(
      (record) => {
        const known = new Set(
          failOn === 'new'
            ? (record.baseline?.changes ?? [])
                .filter((c) => c.change === 'still-failing')
                .map((c) => key(c.profile, c.scenario))
            : [],
        );
        // A verdict judged by the record, or a case the run never reached, ends with the record.
        for (const v of record.verdicts) {
          const k = key(v.profile, v.scenario);
          outcomes.get(k)?.resolve({ verdict: v, ...(known.has(k) ? { known: true } : {}) });
        }
        for (const d of outcomes.values())
          d.reject(new Error('the run ended without a verdict for this case'));
        return record;
      },
      (e: unknown) => {
        for (const d of outcomes.values()) d.reject(e);
        throw e;
      },
    ));

  for (const lp of loaded) {
    const name = options.describeName?.(lp) ?? `${lp.profile.id} conformance`;
    describe(name, () => {
      for (const scenario of scenarios) {
        const title = `${scenario.severity} ${scenario.id}: ${scenario.title}`;
        // vitest's TaskMeta is open to any reporter's fields: ours is said as an object.
        const meta: object = { authconformCase: { suite, scenario: scenario.id } } as CaseMeta;
        it(title, { timeout: options.testTimeoutMs ?? 120_000, meta }, async (ctx) => {
          // The first test to run starts the run, for the tests vitest will run (`-t`) only; its
          // error reaches every test through its outcome.
          void run(selectedScenarios(ctx, suite, scenarios.length)).catch(() => {});
          const outcome = await outcomes.get(key(lp.profile.id, scenario.id))!.promise;
          await judge(ctx, outcome, failOn, scenario);
        });
      }
    });
  }
  return { record: run };
}

let suitesDeclared = 0;

/** What each declared test carries: which suite declared it, for which scenario. */
type CaseMeta = { authconformCase: { suite: string; scenario: string } };

/**
 * The scenarios of this suite's tests that vitest will run, when its filter (`-t`, an `.only`
 * elsewhere) left some out: the run asks only those (each property's seed is its own, so their
 * verdicts are the same). Undefined when every declared scenario is to run.
 */
function selectedScenarios(
  ctx: TestContext,
  suite: string,
  declared: number,
): string[] | undefined {
  // A vitest that keeps no meta from a test's options (before 4) cannot tell: the run asks all.
  if (!(ctx.task.meta as Partial<CaseMeta>).authconformCase) return undefined;
  const selected = new Set<string>();
  const walk = (tasks: readonly RunnerTask[]): void => {
    for (const t of tasks) {
      if (t.type === 'suite') walk(t.tasks);
      const meta = (t.meta as Partial<CaseMeta>).authconformCase;
      if (meta?.suite === suite && (t.mode === 'run' || t.mode === 'only'))
        selected.add(meta.scenario);
    }
  };
  walk(ctx.task.file.tasks);
  return selected.size < declared ? [...selected] : undefined;
}

async function judge(
  ctx: TestContext,
  outcome: Outcome,
  failOn: NonNullable<VerifyOptions['failOn']>,
  scenario: Scenario,
): Promise<void> {
  // The reason is the skip's note (the default reporter prints it) and an annotation (JUnit keeps it).
  const skip = async (note: string): Promise<never> => {
    await ctx.annotate(note, 'notice');
    return ctx.skip(note);
  };
  if ('notApplicable' in outcome) await skip(`N/A: ${outcome.notApplicable}`);
  const { verdict: v, known } = outcome as { verdict: RecordedVerdict; known?: boolean };
  const must = v.severity === 'MUST';
  switch (v.status) {
    case 'PASS':
      return;
    case 'FAIL':
      if (known) {
        await ctx.annotate(`known failure (the baseline had it): ${v.reason ?? ''}`, 'warning');
        return;
      }
      if (must || failOn === 'should') throw new Error(failureDetails(v, v.rerun));
      await ctx.annotate(`SHOULD not met: ${v.reason ?? ''}`, 'warning');
      return;
    case 'ERROR':
      throw new Error(`ERROR: ${v.reason ?? 'the target could not be asked'}\nrerun: ${v.rerun}`);
    case 'SKIP':
      if (must && failOn === 'skip')
        throw new Error(`SKIP of a MUST (${scenario.id}): ${v.reason ?? ''}`);
      return skip(`SKIP: ${v.reason ?? ''}`);
    case 'PARTIAL':
      if (must && failOn === 'skip')
        throw new Error(`PARTIAL for a MUST (${scenario.id}): ${v.reason ?? ''}`);
      await ctx.annotate(`PARTIAL: ${v.reason ?? ''}`, 'warning');
      return;
    default:
      // WAIVED: a known failure, until its waiver expires.
      await ctx.annotate(`${v.status}: ${v.reason ?? ''}`, 'notice');
  }
}

function profilesOf(profile: VerifyOptions['profile']): LoadedProfile[] {
  const list = (Array.isArray(profile) ? profile : [profile]) as (string | LoadedProfile)[];
  return list
    .flatMap((p) => (p === 'all' ? builtInProfileIds() : [p]))
    .map((p) => (typeof p === 'string' ? resolveProfile(p) : p));
}

function key(profile: string, scenario: string): string {
  return `${profile}\u0000${scenario}`;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** A promise settled from outside; settling it a second time does nothing. */
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a case no test awaits (filtered by vitest -t) is no unhandled rejection
  return { promise, resolve, reject };
}
