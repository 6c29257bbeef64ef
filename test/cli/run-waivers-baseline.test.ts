// Issue 13 item 3 against broken servers of the project's own (test/support/broken-corpus.ts):
// --waivers turns a known failure WAIVED in every report, and a waiver that no longer holds
// (expired, the failure gone) fails the run; a bad waivers file is exit 2 at file:line:column;
// --baseline classifies each profile x scenario against an earlier run, and --fail-on new fails
// only on a failure the baseline did not have.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaRegistry } from '../../src/spec/schema-registry.ts';
import { BROKEN_CORPUS } from '../support/broken-corpus.ts';
import type { BrokenServer } from '../support/broken-targets.ts';
import { serveBroken, serveCorrectMock, type ServedImplementation } from '../teeth/serve-broken.ts';
import { runMain } from './run-main.ts';

const broken = (name: string): BrokenServer =>
  BROKEN_CORPUS.find((b) => b.profile === 'luxcore' && b.name === name)!;
/** Fails revoked-key-refused, and only it among SCENARIOS. */
const REVOKED = broken('revoked key still accepted');
/** The same fault, and another: scope-denied fails too. */
const REVOKED_AND_SCOPES: BrokenServer = {
  ...REVOKED,
  name: 'revoked key still accepted, scopes not checked',
  caughtBy: ['revoked-key-refused', 'scope-denied'],
  mutateProfile: broken('scopes not checked').mutateProfile!,
};
const SCENARIOS = 'revoked-key-refused,scope-denied,missing-key';

const dir = mkdtempSync(join(tmpdir(), 'authconform-waivers-'));
const credentials = join(dir, 'luxcore.credentials.yaml');
const servers: ServedImplementation[] = [];
let revoked: ServedImplementation;
let both: ServedImplementation;
let correct: ServedImplementation;

beforeAll(async () => {
  expect((await runMain('credentials', '--profile', 'luxcore', '--out', credentials)).code).toBe(0);
  revoked = await serveBroken(REVOKED);
  both = await serveBroken(REVOKED_AND_SCOPES);
  correct = await serveCorrectMock('luxcore');
  servers.push(revoked, both, correct);
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

let n = 0;
function file(name: string, text: string): string {
  const path = join(dir, `${++n}-${name}`);
  writeFileSync(path, text);
  return path;
}

function waiver(scenario: string, expires: string, extra = ''): string {
  return [
    `- scenario: ${scenario}`,
    '  profile: luxcore',
    '  reason: the key cache is invalidated by a nightly job until the event bus lands',
    '  issue: https://tracker.example.com/AUTH-42',
    `  expires: ${expires}`,
    extra,
  ].join('\n');
}

async function run(target: ServedImplementation, ...flags: string[]) {
  const out = join(dir, `report-${++n}`);
  const r = await runMain(
    'run',
    '--profile',
    'luxcore',
    '--target',
    target.url,
    '--credentials',
    credentials,
    '--scenario',
    SCENARIOS,
    '--runs',
    '3',
    '--seed',
    '7',
    '--report',
    out,
    ...flags,
  );
  const json = () =>
    JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      overall: { verdict: string; exitCode: number; reason: string };
      failOn: string;
      totals: { waived?: number };
      verdicts: { scenario: string; status: string; waiver?: { status: string; issue: string } }[];
      waivers?: { waived: number; problems: { kind: string; at: string; message: string }[] };
      baseline?: {
        counts: Record<string, number>;
        changes: { scenario: string; change: string }[];
      };
    };
  const text = (f: string) => readFileSync(join(out, f), 'utf8');
  return { ...r, out, json, text };
}

function statusOf(report: { verdicts: { scenario: string; status: string }[] }, id: string) {
  return report.verdicts.find((v) => v.scenario === id)?.status;
}

describe('run --waivers', { timeout: 60_000 }, () => {
  it('turns the one known failure WAIVED in every report and exits 0', async () => {
    const r = await run(
      revoked,
      '--waivers',
      file('waivers.yaml', waiver('revoked-key-refused', '2099-12-31')),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = r.json();
    expect(statusOf(report, 'revoked-key-refused')).toBe('WAIVED');
    expect(report.verdicts.find((v) => v.scenario === 'revoked-key-refused')!.waiver).toMatchObject(
      {
        status: 'FAIL',
        issue: 'https://tracker.example.com/AUTH-42',
      },
    );
    expect(report.overall).toMatchObject({ verdict: 'PASS', exitCode: 0 });
    expect(report.totals.waived).toBe(1);
    expect(report.overall.reason).toMatch(/^1 known failure\(s\) WAIVED \(not passed/);
    // report.json still conforms to its schema with the new fields.
    const validate = schemaRegistry().validator('report.schema.json');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    // Console, summary.md, report.html and junit.xml all say WAIVED, with the reason and issue.
    expect(r.stdout).toMatch(
      /revoked-key-refused\s+MUST\s+WAIVED\s+waived \(FAIL\) until 2099-12-31/,
    );
    expect(r.stdout).toContain('1 waived');
    expect(r.text('summary.md')).toContain('🏷️ WAIVED');
    expect(r.text('summary.md')).toContain('https://tracker.example.com/AUTH-42');
    expect(r.text('report.html')).toContain('class="v v-WAIVED">WAIVED');
    expect(r.text('report.html')).toContain('<a href="https://tracker.example.com/AUTH-42">');
    expect(r.text('junit.xml')).toMatch(
      /<skipped message="WAIVED: waived \(FAIL\) until 2099-12-31: the key cache .*AUTH-42\)"\/>/,
    );
    expect(r.text('junit.xml')).toContain('failures="0"');
  });

  it('fails the run when the waiver has expired, saying so; the failure stays FAIL', async () => {
    const r = await run(
      revoked,
      '--waivers',
      file('waivers.yaml', waiver('revoked-key-refused', '2020-01-31')),
    );
    expect(r.code).toBe(1);
    const report = r.json();
    expect(statusOf(report, 'revoked-key-refused')).toBe('FAIL');
    expect(report.waivers!.problems).toEqual([
      expect.objectContaining({ kind: 'expired', at: expect.stringMatching(/waivers\.yaml:1:3$/) }),
    ]);
    expect(r.stdout).toContain('waivers that fail the run:');
    expect(r.stdout).toContain('the waiver of luxcore / revoked-key-refused expired on 2020-01-31');
    expect(r.text('summary.md')).toContain('expired on 2020-01-31');
  });

  it('fails the run when the waived failure no longer happens', async () => {
    const r = await run(
      revoked,
      '--waivers',
      file(
        'waivers.yaml',
        waiver('revoked-key-refused', '2099-12-31') + '\n' + waiver('missing-key', '2099-12-31'),
      ),
    );
    expect(r.code).toBe(1);
    const report = r.json();
    expect(report.overall.verdict).toBe('FAIL');
    expect(statusOf(report, 'revoked-key-refused')).toBe('WAIVED');
    expect(report.waivers!.problems).toEqual([
      expect.objectContaining({ kind: 'no-longer-fails', at: expect.stringMatching(/:7:3$/) }),
    ]);
    expect(report.overall.reason).toMatch(
      /^1 waiver\(s\) no longer hold: luxcore \/ missing-key is waived but no longer fails \(PASS\)/,
    );
  });

  it('refuses a bad waivers file before the run: file:line:column, exit 2', async () => {
    const badDate = file('waivers.yaml', waiver('revoked-key-refused', '2099-02-30'));
    let r = await run(revoked, '--waivers', badDate);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /waivers\.yaml:5:12: .*expires: expected a date, found string "2099-02-30"/,
    );
    const unknown = file(
      'waivers.yaml',
      waiver('revoked-key-refused', '2099-12-31') + '\n' + waiver('revoked-key', '2099-12-31'),
    );
    r = await run(revoked, '--waivers', unknown);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /waivers\.yaml:7:13: unknown scenario "revoked-key"; did you mean "revoked-key-refused"\?/,
    );
    r = await run(
      revoked,
      '--waivers',
      file('waivers.yaml', waiver('missing-key', '2099-12-31').replace('luxcore', 'luxcorp')),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/waivers\.yaml:2:12: unknown profile "luxcorp"/);
  });
});

describe('run --baseline', { timeout: 60_000 }, () => {
  let first: string;
  beforeAll(async () => {
    const r = await run(revoked);
    expect(r.code).toBe(1);
    expect(statusOf(r.json(), 'revoked-key-refused')).toBe('FAIL');
    expect(statusOf(r.json(), 'scope-denied')).toBe('PASS');
    first = join(r.out, 'report.json');
  });

  it('tells a new failure from one the baseline had; --fail-on new fails on the new one', async () => {
    const r = await run(both, '--baseline', first, '--fail-on', 'new');
    expect(r.code).toBe(1);
    const b = r.json().baseline!;
    expect(b.counts).toEqual({
      'new-failure': 1,
      fixed: 0,
      'still-failing': 1,
      'unchanged-pass': 1,
      'not-compared': 0,
    });
    expect(Object.fromEntries(b.changes.map((c) => [c.scenario, c.change]))).toEqual({
      'revoked-key-refused': 'still-failing',
      'scope-denied': 'new-failure',
      'missing-key': 'unchanged-pass',
    });
    expect(r.json().overall.reason).toContain('1 new MUST failure(s) against the baseline');
    expect(r.stdout).toMatch(/new failure\s+luxcore \/ scope-denied \(MUST\): was PASS, now FAIL/);
    expect(r.stdout).toMatch(/still failing\s+luxcore \/ revoked-key-refused/);
    expect(r.text('summary.md')).toContain('### Compared with the baseline');
    expect(r.text('summary.md')).toContain(
      '| new failure | luxcore | scope-denied | MUST | PASS | FAIL |',
    );
  });

  it('--fail-on new tolerates a failure the baseline had (exit 0); without it the run fails', async () => {
    const tolerated = await run(revoked, '--baseline', first, '--fail-on', 'new');
    expect(tolerated.code).toBe(0);
    expect(tolerated.json()).toMatchObject({ failOn: 'new', overall: { verdict: 'PASS' } });
    expect(statusOf(tolerated.json(), 'revoked-key-refused')).toBe('FAIL');
    const gated = await run(revoked, '--baseline', first);
    expect(gated.code).toBe(1);
    expect(gated.json().baseline!.counts['still-failing']).toBe(1);
  });

  it('reports a fixed failure', async () => {
    const r = await run(correct, '--baseline', first, '--fail-on', 'new');
    expect(r.code).toBe(0);
    expect(r.json().baseline!.counts).toMatchObject({ fixed: 1, 'unchanged-pass': 2 });
    expect(r.stdout).toMatch(/fixed\s+luxcore \/ revoked-key-refused \(MUST\): was FAIL, now PASS/);
  });

  it('refuses a baseline that is not a report.json, and --fail-on new without one (exit 2)', async () => {
    let r = await run(revoked, '--baseline', file('report.json', '{\n  "verdicts": []\n}\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /report\.json:1:1: not an authconform report\.json \(report\.schema\.json\): .*"\$schema"/,
    );
    r = await run(revoked, '--fail-on', 'new');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fail-on new fails only on failures an earlier run did not have');
  });
});
