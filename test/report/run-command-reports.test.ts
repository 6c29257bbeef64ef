// `authconform run` with reports: --report DIR writes all four, the per-format flags one each,
// the job summary is appended in GitHub Actions, --fail-on is checked, and the exit code is the
// one the report states.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runMain, type CliResult } from '../cli/run-main.ts';

/**
 * The CLI as CI runs it, in-process: output to pipes (not a terminal), and of the environment
 * only what the test gives of the variables the CLI reads (CI, GITHUB_STEP_SUMMARY).
 */
async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  for (const name of ['CI', 'GITHUB_STEP_SUMMARY']) vi.stubEnv(name, env[name]);
  return runMain(...args);
}
afterEach(() => {
  vi.unstubAllEnvs();
});

const tmp = () => mkdtempSync(join(tmpdir(), 'authconform-run-'));
const QUICK = ['run', '--profile', 'luxcore', '--target', 'mock', '--runs', '2', '--seed', '3'];

describe('authconform run --report', () => {
  it('writes all four reports into DIR, appends the job summary, and exits as the report says', async () => {
    const dir = join(tmp(), 'out', 'reports');
    const summary = join(tmp(), 'step-summary.md');
    writeFileSync(summary, '## an earlier step\n');
    const r = await cli([...QUICK, '--report', dir], { GITHUB_STEP_SUMMARY: summary });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'junit.xml',
      'report.html',
      'report.json',
      'summary.md',
    ]);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      overall: { verdict: string; exitCode: number };
      seed: number;
      runs: number;
      verdicts: unknown[];
      coverage: { notApplicable: number }[];
    };
    expect(report.overall).toMatchObject({ verdict: 'PASS', exitCode: 0 });
    expect([report.seed, report.runs]).toEqual([3, 2]);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain(
      // Not-applicable scenarios are testcases too, <skipped> with their reason.
      `<testsuite name="luxcore" package="authconform" tests="${report.verdicts.length + report.coverage[0]!.notApplicable}" failures="0"`,
    );
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('data-verdict="PASS"');
    // Appended after what an earlier step wrote, not over it; the same text as summary.md.
    const job = readFileSync(summary, 'utf8');
    expect(job).toBe(`## an earlier step\n${readFileSync(join(dir, 'summary.md'), 'utf8')}\n`);
    expect(job).toContain('## ✅ authconform: PASS');
    for (const f of ['junit.xml', 'report.json', 'summary.md', 'report.html'])
      expect(r.stdout).toContain(`report written: ${join(dir, f)}\n`);
    expect(r.stdout).toContain(`report written: ${summary}\n`);
  });

  it('gives CI plain progress lines, not a redrawn bar (and --fail-on should passes a clean run)', async () => {
    const r = await cli(
      [...QUICK, '--scenario', 'missing-key,unknown-key', '--fail-on', 'should'],
      {
        CI: 'true',
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[1\/2\] PASS {2}luxcore missing-key$/m);
    expect(r.stdout).toMatch(/^\[2\/2\] PASS {2}luxcore unknown-key$/m);
    expect(r.stdout).not.toMatch(/[\r\x1b]/);
  });

  it('writes just the files asked for with --junit and --json, and no job summary outside GitHub', async () => {
    const dir = tmp();
    const r = await cli([
      ...QUICK,
      '--scenario',
      'missing-key',
      '--junit',
      join(dir, 'a', 'results.xml'),
      '--json',
      join(dir, 'run.json'),
    ]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'a', 'results.xml'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['a', 'run.json']);
    expect(r.stdout.match(/^report written: /gm)).toHaveLength(2);
  });

  it('exits 3 with an ERROR report when the target cannot be reached', async () => {
    const dir = tmp();
    const creds = join(dir, 'luxcore.credentials.yaml');
    expect((await cli(['credentials', '--profile', 'luxcore', '--out', creds])).code).toBe(0);
    const r = await cli([
      'run',
      '--profile',
      'luxcore',
      '--target',
      'http://127.0.0.1:9',
      '--credentials',
      creds,
      '--scenario',
      'missing-key',
      '--runs',
      '1',
      '--markdown',
      join(dir, 'summary.md'),
    ]);
    expect(r.code).toBe(3);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(
      /^## ⚠️ authconform: ERROR\n\n1 case\(s\) could not be asked of the target/,
    );
  });

  it('--fail-on takes must, should or skip; anything else is exit 2', async () => {
    const bad = await cli([...QUICK, '--fail-on', 'may']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'authconform run: --fail-on must be "must", "should" or "skip", got "may"\n',
    );
  });

  it('refuses a report path that cannot be written before running anything (exit 2)', async () => {
    const dir = tmp();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const r = await cli([...QUICK, '--report', join(file, 'reports')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^authconform run: cannot create the folder for the junit report .*plain-file\/reports\/junit\.xml: (ENOTDIR|EEXIST)\n$/,
    );
    expect(r.stdout).toBe('');
    const r2 = await cli([...QUICK, '--html', dir]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe(
      `authconform run: the html report ${dir} is a folder; give a file name\n`,
    );
  });
});
