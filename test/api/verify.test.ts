// verify(): the programmatic run every caller uses (issue 15 item 1). It returns the run's record
// (the CLI prints it, the reporters render it), fails a broken target with a masked, replayable
// counterexample, gives plan and verdicts while it goes, and refuses options it cannot honour.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  jsonReport,
  junitReport,
  planVerify,
  reportsWritten,
  resolveProfile,
  verify,
  UnknownProfileError,
  VerifyOptionError,
  writeRunReports,
  type RecordedVerdict,
} from 'authconform';
import { BROKEN_CORPUS } from '../support/broken-corpus.ts';
import { brokenTarget } from '../support/broken-targets.ts';

const REVOKED_ACCEPTED = BROKEN_CORPUS.find(
  (b) => b.profile === 'luxcore' && b.name === 'revoked key still accepted',
)!;

describe('verify()', () => {
  it('runs a profile against the bundled mock and returns a passing record', async () => {
    const record = await verify({
      profile: 'vaulera',
      target: 'mock',
      scenarios: ['revoked-key-refused', 'missing-key'],
      runs: 5,
      seed: 7,
    });
    expect(record.overall).toMatchObject({ verdict: 'PASS', exitCode: 0 });
    expect(record.verdicts.map((v) => [v.scenario, v.status])).toEqual([
      ['missing-key', 'PASS'],
      ['revoked-key-refused', 'PASS'],
    ]);
    expect(record.seed).toBe(7);
    expect(record.target.description).toBe('the bundled mock (in-process)');
    expect(record.scenarioFilter).toBe('revoked-key-refused,missing-key');
  });

  it('FAILs a broken target with a masked counterexample and a rerun command, exit code 1', async () => {
    const { target, creds } = await brokenTarget(REVOKED_ACCEPTED);
    const seen: RecordedVerdict[] = [];
    const record = await verify({
      profile: resolveProfile('luxcore'),
      target,
      credentials: creds,
      scenarios: ['revoked-key-refused'],
      runs: 5,
      seed: 3,
      // Bounds that do not change the verdict, carried by the rerun command as flags.
      maxBodyBytes: 65536,
      maxWaitSeconds: 12,
      maxTimeMs: 90_000,
      onVerdict: (v) => seen.push(v),
    });
    await target.close(); // a Target the caller gives is the caller's to close
    expect(record.overall).toMatchObject({ verdict: 'FAIL', exitCode: 1 });
    const [v] = record.verdicts;
    expect(v).toMatchObject({ scenario: 'revoked-key-refused', status: 'FAIL' });
    expect(v!.counterexample).toBeDefined();
    expect(v!.rerun).toMatch(
      /^npx authconform run --profile \S*luxcore\.yaml .*--scenario revoked-key-refused --runs 5 --seed 3/,
    );
    // The credentials were given as an object: the command names the file its reader must supply.
    expect(v!.rerun).toContain('--credentials YOUR-CREDENTIALS-FILE');
    // Neither the record nor the verdict given while the run went holds a whole secret.
    const revoked = creds.keys!.revoked!.value;
    expect(JSON.stringify(record)).not.toContain(revoked);
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toContain(revoked);
    expect(seen[0]!.rerun).toBe(v!.rerun);
    expect(v!.rerun).toContain('--max-body 65536 --max-wait 12 --max-time 90s');
    expect(junitReport(record)).toContain('<failure');
  });

  it('gives the plan before the first request, with each not-applicable reason', async () => {
    let plan: { scenario: { id: string }; plan: { kind: string; reason?: string } }[] = [];
    await verify({
      profile: 'gateway',
      scenarios: ['nonce-replayed', 'missing-key'],
      runs: 2,
      seed: 1,
      onPlan: (cases) => (plan = cases),
    });
    const nonce = plan.find((c) => c.scenario.id === 'nonce-replayed')!;
    expect(nonce.plan.kind).toBe('not-applicable');
    expect(nonce.plan.reason).toMatch(/\S/);
    expect(plan.find((c) => c.scenario.id === 'missing-key')!.plan.kind).toBe('run');
  });

  it('planVerify() sends nothing and says what would run', async () => {
    const plan = await planVerify({ profile: 'luxcore', scenarios: ['nonce-replayed'], seed: 5 });
    expect(plan.seed).toBe(5);
    expect(plan.cases.map((c) => [c.profile, c.scenario.id, c.plan.kind])).toEqual([
      ['luxcore', 'nonce-replayed', 'run'],
    ]);
  });

  it('writes the reports it is given, and writeRunReports renders a record anywhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-reports-'));
    const record = await verify({
      profile: 'auxvault',
      scenarios: ['missing-key'],
      runs: 2,
      seed: 1,
      reports: { dir: join(dir, 'a') },
    });
    expect(
      reportsWritten(record)
        .map((p) => p.slice(dir.length + 1))
        .sort(),
    ).toEqual(['a/junit.xml', 'a/report.html', 'a/report.json', 'a/summary.md']);
    const again = writeRunReports(record, { json: join(dir, 'b/run.json') });
    expect(again).toEqual([join(dir, 'b/run.json')]);
    expect(readFileSync(again[0]!, 'utf8')).toBe(jsonReport(record));
    expect(existsSync(join(dir, 'b/junit.xml'))).toBe(false);
  });

  it('an aborted signal ends the run: the cases left are ERROR, and the record is still built', async () => {
    const record = await verify({
      profile: 'vaulera',
      scenarios: ['missing-key', 'revoked-key-refused'],
      runs: 2,
      seed: 1,
      signal: AbortSignal.abort(),
    });
    expect(record.verdicts.map((v) => v.status)).toEqual(['ERROR', 'ERROR']);
    expect(record.verdicts[0]!.reason).toMatch(/the abort signal/);
    expect(record.overall.exitCode).toBe(3);
  });

  it('says a profile file that does not exist is missing, and where it was looked for', async () => {
    const err = await verify({ profile: './no-such/profile.yaml' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownProfileError);
    expect((err as Error).message).toMatch(
      /^profile file "\.\/no-such\/profile\.yaml" not found \(looked for \/\S+\/no-such\/profile\.yaml\)/,
    );
  });

  it.each([
    [{ profile: 'luxcore', target: 'http://127.0.0.1:1' }, /needs --credentials FILE/],
    [
      { profile: 'luxcore', target: 'ftp://x' },
      /--target must be "mock", "msw" or an http\(s\) URL/,
    ],
    [{ profile: 'luxcore', runs: 0 }, /--runs must be at least 1, got 0/],
    [
      { profile: 'luxcore', target: { baseUrl: 'http://x' } as never, credentials: {} as never },
      /--target must be .* or a Target \(with send and close\); got an object \(Object\) with baseUrl/,
    ],
    [{ profile: 'luxcore', path: 'x' }, /--path must be the replay path/],
    [{ profile: 'luxcore', scenarios: ['no-such-scenario'] }, /no-such-scenario/],
    [{ profile: 'luxcore', scenarios: [] }, /scenarios is an empty list/],
    [{ profile: 'luxcore', certify: true, runs: 3 }, /--runs 3 is below the 25/],
  ])('refuses options it cannot honour, before any request: %o', async (options, message) => {
    const err = await verify(options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyOptionError);
    expect((err as Error).message).toMatch(message);
  });
});
