/**
 * A real run of the engine whose verdicts are known in advance, for the reporter tests:
 * - luxcore against a server that still accepts a revoked key: revoked-key-refused FAILs with a
 *   shrunk counterexample and a curl replay; every other luxcore scenario PASSes;
 * - auxvault against the correct mock, with credentials that lack the revoked key:
 *   revoked-key-refused is SKIPped; every other auxvault scenario PASSes;
 * - optionally vaulera against a target that refuses every connection, one scenario only
 *   (missing-key): an ERROR.
 */
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { ProfileRun } from '../../src/engine/engine-context.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import { type Target } from '../../src/targets/target.ts';
import { TargetError } from '../../src/targets/target-error.ts';
import { secretsOf } from '../../src/secrets/mask-known-secrets.ts';
import { buildRunRecord, type FailOn, type RunRecord } from '../../src/report/run-record.ts';
import { rerunCommand } from '../../src/api/rerun-command.ts';
import { brokenTarget, swapValue } from '../support/broken-targets.ts';

export const KNOWN_SEED = 7;
export const KNOWN_RUNS = 5;

export interface KnownRun {
  verdicts: Verdict[];
  record: RunRecord;
}

type KnownRunOptions = { withError?: boolean; failOn?: FailOn };

/**
 * Runs made in this worker, by their options: the run is deterministic (one seed, in-process
 * targets), and five reporter test files ask for it, often in the same worker. Each caller gets
 * a copy of its own, so what one test file does to its run cannot reach another's.
 */
const made = new Map<string, Promise<KnownRun>>();

export async function knownRun(opts: KnownRunOptions = {}): Promise<KnownRun> {
  const key = JSON.stringify([opts.withError ?? false, opts.failOn ?? 'must']);
  let run = made.get(key);
  if (!run) {
    run = makeKnownRun(opts);
    made.set(key, run);
    run.catch(() => made.delete(key));
  }
  return structuredClone(await run);
}

async function makeKnownRun(opts: KnownRunOptions): Promise<KnownRun> {
  const scenarios = loadScenarios();
  const luxcore = await brokenTarget({
    name: 'revoked key still accepted',
    profile: 'luxcore',
    models: 'a key cache that is never invalidated on revocation',
    caughtBy: ['revoked-key-refused'],
    rewrite: (req, creds) => swapValue(req, creds.keys!.revoked!.value, creds.keys!.valid!.value),
  });
  const auxvault = resolveProfile('auxvault');
  const auxCreds = fixturesToCredentials(builtInFixtures(auxvault.profile), auxvault.profile);
  delete auxCreds.keys!.revoked;
  const runs: ProfileRun[] = [
    luxcore,
    {
      profile: auxvault.profile,
      creds: auxCreds,
      target: await inProcessMockTarget(auxvault.profile),
    },
  ];
  const verdicts = await runConformance(runs, scenarios, { runs: KNOWN_RUNS, seed: KNOWN_SEED });
  for (const r of runs) await r.target.close();

  const loaded = [resolveProfile('luxcore'), auxvault];
  const secrets = [...secretsOf(luxcore.creds), ...secretsOf(auxCreds)];
  if (opts.withError) {
    const vaulera = resolveProfile('vaulera');
    const creds = fixturesToCredentials(builtInFixtures(vaulera.profile), vaulera.profile);
    verdicts.push(
      ...(await runConformance(
        [{ profile: vaulera.profile, creds, target: unreachable() }],
        scenarios.filter((s) => s.id === 'missing-key'),
        { runs: KNOWN_RUNS, seed: KNOWN_SEED },
      )),
    );
    loaded.push(vaulera);
    secrets.push(...secretsOf(creds));
  }
  const record = buildRunRecord({
    profiles: loaded,
    target: { description: 'the bundled mock (in-process)', url: 'http://127.0.0.1:4010' },
    seed: KNOWN_SEED,
    runs: KNOWN_RUNS,
    failOn: opts.failOn ?? 'must',
    verdicts,
    rerun: (v) =>
      rerunCommand(v, {
        argv: [],
        values: { profile: 'all' },
        runs: KNOWN_RUNS,
        seed: KNOWN_SEED,
        target: 'mock',
      }),
    secrets,
    startedAt: new Date('2026-01-15T10:00:00Z'),
    durationMs: 1234,
  });
  return { verdicts, record };
}

/** A target whose every request is refused at the socket, as a stopped server's would be. */
function unreachable(): Target {
  return {
    description: 'http://127.0.0.1:9 (nothing listening)',
    baseUrl: 'http://127.0.0.1:9',
    send: async () => {
      throw new TargetError('connect ECONNREFUSED 127.0.0.1:9');
    },
    nowSeconds: () => Math.floor(Date.now() / 1000),
    close: async () => {},
  };
}
