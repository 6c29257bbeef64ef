/**
 * The teeth run over HTTP: each broken implementation of the corpus served on a real socket and
 * tested by the harness with the correct profile and the scenarios of the families that must
 * catch it; then the correct mock of each profile with every scenario, where any verdict but
 * PASS is a false alarm. Shared by `npm run teeth` and test/teeth/teeth-over-http.test.ts.
 */
import { verify } from '../../src/api/verify.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { Scenario } from '../../src/scenario/scenario-model.ts';
import { familyScenarios, type BrokenServer } from '../support/broken-targets.ts';
import { serveBroken, serveCorrectMock, type ServedImplementation } from './serve-broken.ts';

export interface TeethOptions {
  runs: number;
  seed: number;
}

export interface EntryResult {
  entry: BrokenServer;
  /** Every scenario of `caughtBy` FAILed. */
  caught: boolean;
  /** Scenario ids that FAILed (of the families run). */
  failing: string[];
  /** The caughtBy scenarios that did not FAIL, with what they said instead. */
  missedBy: { scenario: string; status: string; reason?: string }[];
  ms: number;
}

export interface CorrectRunResult {
  profile: string;
  verdicts: Verdict[];
  /** Verdicts other than PASS: on the correct mock each one is the harness crying wolf. */
  falseAlarms: Verdict[];
  ms: number;
}

/**
 * The harness against one served implementation, over HTTP, as a user's CI would run it: verify()
 * with the URL (the bundled mock's control routes reset it between cases: resettable), the
 * credentials, and the scenarios by id.
 */
async function runOverHttp(
  served: ServedImplementation,
  scenarios: Scenario[],
  opts: TeethOptions,
): Promise<Verdict[]> {
  try {
    // No scenario is no run (an empty selection would be verify()'s every scenario).
    if (scenarios.length === 0) return [];
    const record = await verify({
      profile: served.profile,
      target: served.url,
      resettable: true,
      timeoutMs: 10_000,
      credentials: served.creds,
      scenarios: scenarios.map((s) => s.id),
      runs: opts.runs,
      seed: opts.seed,
    });
    return record.verdicts;
  } finally {
    await served.stop();
  }
}

export async function runBrokenEntry(
  entry: BrokenServer,
  scenarios: Scenario[],
  opts: TeethOptions,
): Promise<EntryResult> {
  const started = Date.now();
  let verdicts: Verdict[];
  try {
    verdicts = await runOverHttp(await serveBroken(entry), familyScenarios(entry, scenarios), opts);
  } catch (e) {
    // The implementation could not be served or the run broke: nothing was caught.
    const reason = `the run did not complete: ${(e as Error).message}`;
    return {
      entry,
      caught: false,
      failing: [],
      missedBy: entry.caughtBy.map((scenario) => ({ scenario, status: 'ERROR', reason })),
      ms: Date.now() - started,
    };
  }
  const missedBy = entry.caughtBy
    .map((id) => ({ id, v: verdicts.find((x) => x.scenario === id) }))
    .filter(({ v }) => v?.status !== 'FAIL')
    .map(({ id, v }) => ({
      scenario: id,
      status: v?.status ?? 'NOT RUN',
      ...(v?.reason !== undefined ? { reason: v.reason } : {}),
    }));
  return {
    entry,
    caught: missedBy.length === 0,
    failing: verdicts.filter((v) => v.status === 'FAIL').map((v) => v.scenario),
    missedBy,
    ms: Date.now() - started,
  };
}

/** Every scenario against the correct mock of `profileId`, over HTTP. */
export async function runCorrectMock(
  profileId: string,
  scenarios: Scenario[],
  opts: TeethOptions,
): Promise<CorrectRunResult> {
  return runExpectingNoAlarm(serveCorrectMock(profileId), scenarios, opts);
}

/** Every scenario against an implementation that must pass them all (any other verdict is an alarm). */
export async function runExpectingNoAlarm(
  serving: Promise<ServedImplementation>,
  scenarios: Scenario[],
  opts: TeethOptions,
): Promise<CorrectRunResult> {
  const started = Date.now();
  const served = await serving;
  const verdicts = await runOverHttp(served, scenarios, opts);
  return {
    profile: served.profile.profile.id,
    verdicts,
    falseAlarms: verdicts.filter((v) => v.status !== 'PASS'),
    ms: Date.now() - started,
  };
}

/** One line per broken implementation: caught or missed, and by which scenarios. */
export function entryLine(r: EntryResult): string {
  const head = `${r.entry.profile.padEnd(10)}  ${r.entry.name.padEnd(54)}  ${(r.caught ? 'caught' : 'MISSED').padEnd(6)}`;
  const tail = r.caught
    ? r.failing.join(', ')
    : r.missedBy
        .map((m) => `${m.scenario} ${m.status}${m.reason ? `: ${m.reason}` : ''}`)
        .join('; ');
  return `${head}  ${tail}  (${(r.ms / 1000).toFixed(1)} s)`;
}

export function correctLine(r: CorrectRunResult): string {
  const alarms = r.falseAlarms.map((v) => `${v.scenario} ${v.status}: ${v.reason ?? ''}`);
  return `${r.profile.padEnd(10)}  ${String(r.verdicts.length).padStart(2)} scenarios  ${r.falseAlarms.length} false alarm(s)${alarms.length ? `\n    ${alarms.join('\n    ')}` : ''}  (${(r.ms / 1000).toFixed(1)} s)`;
}
