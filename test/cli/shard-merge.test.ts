// Issue 16 item 3: `run --shard I/N` runs a deterministic share of the profile x scenario cases,
// and `merge` joins the shards' report.json into the whole run's reports: the same verdicts,
// totals and exit code as one unsharded run, whether it passes or fails.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planVerify } from '../../src/api/verify.ts';
import type { RunRecord } from '../../src/report/run-record.ts';
import { schemaRegistry } from '../../src/spec/schema-registry.ts';
import { runMain } from './run-main.ts';

const dir = mkdtempSync(join(tmpdir(), 'authconform-shard-'));
const read = (d: string) => JSON.parse(readFileSync(join(d, 'report.json'), 'utf8')) as RunRecord;
const caseIds = (r: RunRecord) => r.verdicts.map((v) => `${v.profile}/${v.scenario}:${v.status}`);

/** A stateful model, cases that apply to one profile only, some to all, a signed one. */
const MOCK_RUN = [
  '--profile',
  'all',
  '--scenario',
  'missing-key,revoked-key-refused,missing-tenant-header,key-lifecycle-model,nonce-replayed,expired-jwt,session-token-missing,body-not-json',
  '--runs',
  '2',
  '--seed',
  '11',
];

/** Runs unsharded and as shards 1/3..3/3, then merges; every report folder and result. */
async function unshardedAndMerged(args: string[], name: string) {
  const whole = await runMain('run', ...args, '--report', join(dir, `${name}-whole`));
  const shards = [];
  for (const i of [1, 2, 3]) {
    const r = await runMain(
      'run',
      ...args,
      '--shard',
      `${i}/3`,
      '--report',
      join(dir, `${name}-${i}`),
    );
    shards.push(r);
  }
  const merged = await runMain(
    'merge',
    ...[1, 2, 3].map((i) => join(dir, `${name}-${i}`)),
    '--report',
    join(dir, `${name}-merged`),
  );
  return { whole, shards, merged, report: (which: string) => read(join(dir, `${name}-${which}`)) };
}

describe('authconform run --shard and merge, against the bundled mock', () => {
  let run: Awaited<ReturnType<typeof unshardedAndMerged>>;
  beforeAll(async () => {
    run = await unshardedAndMerged(MOCK_RUN, 'mock');
  }, 60_000);

  it('the shards are disjoint and together run every case of the unsharded run', () => {
    const whole = run.report('whole');
    const shardIds = [1, 2, 3].map((i) => caseIds(run.report(String(i))));
    expect(shardIds.every((ids) => ids.length > 0)).toBe(true);
    const all = shardIds.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...caseIds(whole)].sort());
  });

  it('each shard says which shard it is, in report.json, the console and the Markdown report', () => {
    for (const i of [1, 2, 3]) {
      const r = run.report(String(i));
      expect(r.shard).toMatchObject({ index: i, count: 3 });
      expect(run.shards[i - 1]!.stdout).toContain(`shard ${i}/3`);
      expect(readFileSync(join(dir, `mock-${i}`, 'summary.md'), 'utf8')).toMatch(
        new RegExp(`shard ${i} of 3`),
      );
    }
  });

  it('merged: the same verdicts in the same order, coverage, totals and exit code as unsharded', () => {
    expect(run.whole.code, run.whole.stderr).toBe(0);
    expect(run.merged.code, run.merged.stderr + run.merged.stdout).toBe(run.whole.code);
    const whole = run.report('whole');
    const merged = run.report('merged');
    expect(caseIds(merged)).toEqual(caseIds(whole));
    expect(merged.totals).toEqual(whole.totals);
    expect(merged.overall).toEqual(whole.overall);
    expect(merged.coverage).toEqual(whole.coverage);
    expect(merged.shard).toBeUndefined();
    for (const f of ['junit.xml', 'summary.md', 'report.html'])
      expect(existsSync(join(dir, 'mock-merged', f)), f).toBe(true);
    expect(run.merged.stdout).toContain(whole.overall.banner);
  });

  it('a shard of a different run, a shard given twice or left out, a missing or broken report: exit 2, saying which', async () => {
    const other = join(dir, 'other-seed-2');
    const seedArgs = MOCK_RUN.map((a) => (a === '11' ? '12' : a));
    expect((await runMain('run', ...seedArgs, '--shard', '2/3', '--report', other)).code).not.toBe(
      2,
    );
    const shard = (i: number) => join(dir, `mock-${i}`);

    const seed = await runMain('merge', shard(1), other, shard(3));
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(
      /other-seed-2\/report\.json:\d+:\d+: the seed differs from .*mock-1\/report\.json \(12 here, 11 there\)/,
    );

    const twice = await runMain('merge', shard(1), shard(2), shard(2));
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/mock-2\/report\.json:\d+:\d+: shard 2\/3 again/);
    expect(twice.stderr).toMatch(/shard\(s\) 3\/3 missing/);

    const empty = mkdtempSync(join(dir, 'empty-'));
    const missing = await runMain('merge', shard(1), empty);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${join(empty, 'report.json').replace(process.cwd() + '/', '')}:1:1: cannot read file (ENOENT)`,
    );

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...run.report('1'), seed: 'eleven' }));
    const bad = await runMain('merge', broken, shard(2), shard(3));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.json:\d+:\d+: not an authconform report\.json/);

    const whole = await runMain('merge', join(dir, 'mock-whole'));
    expect(whole.code).toBe(2);
    expect(whole.stderr).toMatch(
      /mock-whole\/report\.json:1:1: the report of a whole run, not of a shard/,
    );
  });
});

describe('authconform run --shard and merge, against a target that fails', () => {
  let server: Server;
  let url: string;
  const creds = join(dir, 'luxcore.credentials.yaml');
  beforeAll(async () => {
    // Accepts everything: every positive request passes, every fault FAILs its scenario.
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    expect((await runMain('credentials', '--profile', 'luxcore', '--out', creds)).code).toBe(0);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  /** Six scenarios of luxcore against the server that accepts everything: every one FAILs. */
  const failingRun = () => [
    '--profile',
    'luxcore',
    '--target',
    url,
    '--credentials',
    creds,
    '--scenario',
    'missing-key,unknown-key,revoked-key-refused,malformed-key,body-not-json,header-name-case',
    '--runs',
    '2',
    '--seed',
    '5',
  ];

  it('merged: exit 1 as unsharded, the same failures; each failure reruns alone without --shard', async () => {
    const args = failingRun();
    const run = await unshardedAndMerged(args, 'fails');
    expect(run.whole.code, run.whole.stderr).toBe(1);
    expect(run.merged.code, run.merged.stderr).toBe(1);
    const whole = run.report('whole');
    const merged = run.report('merged');
    expect(caseIds(merged)).toEqual(caseIds(whole));
    expect(merged.totals).toEqual(whole.totals);
    expect(merged.overall).toEqual(whole.overall);
    expect(merged.totals.failMust).toBeGreaterThan(0);

    const failing = merged.verdicts.find((v) => v.status === 'FAIL')!;
    expect(failing.rerun).not.toContain('--shard');
    const argv = failing.rerun.replace(/^npx authconform /, '').split(' ');
    const again = await runMain(...argv);
    expect(again.code, again.stderr).toBe(1);
    expect(again.stdout).toContain(failing.scenario);
  }, 60_000);

  it('merge judges --waivers, --baseline and --fail-on new as the unsharded run does (a shard refuses them)', async () => {
    const args = failingRun();
    // Shards run without them, and the unsharded run with the same flags, judged.
    await unshardedAndMerged(args, 'unjudged');
    const shards = [1, 2, 3].map((i) => join(dir, `unjudged-${i}`));
    const waivers = join(dir, 'waivers.yaml');
    writeFileSync(
      waivers,
      [
        '- { profile: luxcore, scenario: missing-key, reason: known, issue: https://example.com/1, expires: 2099-01-01 }',
        '- { profile: luxcore, scenario: unknown-key, reason: known, issue: https://example.com/2, expires: 2020-01-01 }',
      ].join('\n'),
    );
    const judged = [
      ['--waivers', waivers],
      ['--baseline', join(dir, 'unjudged-whole', 'report.json'), '--fail-on', 'new'],
    ];
    for (const [i, flags] of judged.entries()) {
      const refused = await runMain('run', ...args, ...flags, '--shard', '1/3');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--shard does not take ${flags[0]}`);
      const whole = await runMain('run', ...args, ...flags, '--report', join(dir, `judged-${i}`));
      const merged = await runMain('merge', ...shards, ...flags, '--report', join(dir, `jm-${i}`));
      expect(merged.code, merged.stderr).toBe(whole.code);
      const [w, m] = [read(join(dir, `judged-${i}`)), read(join(dir, `jm-${i}`))];
      expect(caseIds(m)).toEqual(caseIds(w));
      expect(m.totals).toEqual(w.totals);
      expect(m.overall).toEqual(w.overall);
      expect(m.failOn).toEqual(w.failOn);
      expect(m.waivers).toEqual(w.waivers);
      expect(m.baseline).toEqual(w.baseline);
    }
    // One failure waived, one waiver expired; against its own baseline every failure still fails.
    expect(read(join(dir, 'jm-0')).totals.waived).toBe(1);
    expect(read(join(dir, 'jm-0')).waivers!.problems.map((p) => p.kind)).toEqual(['expired']);
    expect(read(join(dir, 'jm-1')).baseline!.counts['still-failing']).toBe(6);

    const skip = await runMain('merge', ...shards, '--fail-on', 'skip');
    expect(skip.code).toBe(2);
    expect(skip.stderr).toContain('merge takes only --fail-on new (with --baseline)');
  }, 60_000);
});

describe('a shard with nothing to run', () => {
  it('passes (the merged run judges "nothing passed"), and merges into the one-case run', async () => {
    const args = [
      '--profile',
      'vaulera',
      '--scenario',
      'missing-key',
      '--runs',
      '1',
      '--seed',
      '3',
    ];
    const empty = await runMain('run', ...args, '--shard', '2/2', '--report', join(dir, 'one-2'));
    expect(empty.code, empty.stdout + empty.stderr).toBe(0);
    expect(read(join(dir, 'one-2')).verdicts).toEqual([]);
    expect(
      (await runMain('run', ...args, '--shard', '1/2', '--report', join(dir, 'one-1'))).code,
    ).toBe(0);
    const merged = await runMain(
      'merge',
      join(dir, 'one-1'),
      join(dir, 'one-2'),
      '--report',
      join(dir, 'one'),
    );
    expect(merged.code, merged.stderr).toBe(0);
    expect(caseIds(read(join(dir, 'one')))).toEqual(['vaulera/missing-key:PASS']);
    // What merge writes is a report.json like any other: it validates.
    const validate = schemaRegistry().validator('report.schema.json');
    expect(validate(read(join(dir, 'one'))), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('the deal of cases to shards', () => {
  it('is the same on every call, balanced by cost, and a bad --shard names the flag', async () => {
    const plans = await Promise.all(
      [1, 2, 3].map((index) =>
        planVerify({ profile: 'all', runs: 25, seed: 1, shard: { index, count: 3 } }),
      ),
    );
    const deals = plans.map((p) => p.shard!.cases);
    expect(deals[1]).toEqual(deals[0]);
    expect(deals[2]).toEqual(deals[0]);
    const cases = deals[0]!;
    const load = [1, 2, 3].map((i) =>
      cases.filter((c) => c.shard === i).reduce((s, c) => s + c.cost, 0),
    );
    const total = load.reduce((a, b) => a + b, 0);
    const biggest = Math.max(...cases.map((c) => c.cost));
    // Longest-first dealing: no shard is more than one case over an even share.
    expect(Math.max(...load)).toBeLessThanOrEqual(total / 3 + biggest);
    // A rate window costs more than a plain property, a model more than a plain property.
    const cost = (p: string, s: string) =>
      cases.find((c) => c.profile === p && c.scenario === s)!.cost;
    expect(cost('gateway', 'rate-limit-429')).toBeGreaterThan(10 * cost('gateway', 'missing-key'));
    expect(cost('gateway', 'key-lifecycle-model')).toBeGreaterThan(cost('gateway', 'missing-key'));
    const dry = await runMain(
      'run',
      '--profile',
      'all',
      '--shard',
      '2/3',
      '--dry-run',
      '--seed',
      '1',
    );
    expect(dry.stdout).toMatch(
      new RegExp(
        `^shard 2/3: ${plans[1]!.cases.length} of ${cases.length} profile x scenario case\\(s\\), estimated cost ${load[1]} exchange\\(s\\) \\(shard 1: ${load[0]}, shard 3: ${load[2]}\\)$`,
        'm',
      ),
    );
    expect(dry.stdout).toMatch(
      new RegExp(
        `^total: ${plans[1]!.cases.filter((c) => c.plan.kind === 'run').length} would run`,
        'm',
      ),
    );
    // The dry run lists the shard's own cases.
    expect(plans[0]!.cases.length + plans[1]!.cases.length + plans[2]!.cases.length).toBe(
      cases.length,
    );

    for (const [value, message] of [
      ['0/3', '--shard 0/3: the shard number must be from 1 to 3'],
      ['4/3', '--shard 4/3: the shard number must be from 1 to 3'],
      ['a/b', '--shard must be I/N'],
      ['2', '--shard must be I/N'],
    ])
      expect(
        (await runMain('run', '--profile', 'vaulera', '--shard', value!, '--dry-run')).stderr,
      ).toContain(message);
  });
});
