// The one test that starts bin/authconform.js as a user's shell does (node, the sources' bundle in a
// clone, main, the exit code): every other CLI test calls main(argv, out, err) in-process
// (test/cli/run-main.ts), which is what the bin runs once it has loaded.
import { execFile, spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sourceBundle } from '../../bin/source-bundle.js';

const BIN = join(import.meta.dirname, '../../bin/authconform.js');
const ROOT = join(import.meta.dirname, '../..');

async function bin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npx authconform (bin/authconform.js started as a process)', () => {
  it('runs a scenario against the mock and exits with the code main returns', async () => {
    // The spec files a start finds valid are marked beside its bundle, for the next start
    // (src/spec/checked-marks.ts): the 24 built-in scenario files and the profile.
    const marks = join(dirname(fileURLToPath(await sourceBundle())), 'checked');
    rmSync(marks, { recursive: true, force: true });
    const ok = await bin('run', '--profile', 'luxcore', '--scenario', 'missing-key', '--runs', '1');
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(marks).length).toBeGreaterThan(20);
    expect(ok.stdout).toMatch(/PASS {2}luxcore missing-key/);
    expect(ok.stdout).toMatch(/1 passed, 0 failed/);
    const usage = await bin('run', '--profile', 'luxcore', '--runs', 'many');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--runs must be an integer, got "many"');
  }, 60_000);

  it('ends quietly with 141 when its reader goes away (| head), with no stack trace', async () => {
    // A run writes its header line at once and its verdicts later: the later writes meet the closed pipe.
    const child = spawn(
      process.execPath,
      [BIN, 'run', '--profile', 'luxcore', '--scenario', 'missing-key', '--runs', '1'],
      {
        cwd: ROOT,
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The first chunk read, the pipe is closed, as `head -1` does.
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  }, 60_000);
});
