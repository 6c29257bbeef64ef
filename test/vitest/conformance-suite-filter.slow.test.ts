// authconform/vitest under vitest's own test filter (`-t`): the run asks the target only the
// cases of the tests vitest will run, not every declared one, so picking one scenario out of a
// long suite costs that scenario's time. The suite is a user's test file run by a vitest of its own.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Runs the user's file with these vitest arguments: what its run recorded, and each test vitest
 * declared in it with its state (vitest's JSON report).
 */
async function recorded(...args: string[]): Promise<{ recorded: string[]; tests: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-filter-'));
  const out = join(dir, 'recorded.json');
  const report = join(dir, 'vitest.json');
  try {
    return await runAndRead(out, report, args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runAndRead(
  out: string,
  report: string,
  args: string[],
): Promise<{ recorded: string[]; tests: string[] }> {
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'test/vitest/fixtures/filtered-suite.config.ts',
      // One file: a worker thread, not a second process.
      '--pool=threads',
      '--reporter=json',
      `--outputFile=${report}`,
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, AUTHCONFORM_RECORDED: out } },
  );
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    testResults: { assertionResults: { title: string; status: string }[] }[];
  };
  return {
    recorded: (JSON.parse(readFileSync(out, 'utf8')) as string[]).sort(),
    tests: json.testResults
      .flatMap((f) => f.assertionResults.map((t) => `${t.title} ${t.status}`))
      .sort(),
  };
}

describe('conformanceSuite under vitest -t', () => {
  it('runs only the scenarios of the tests the filter selects, of all those declared', async () => {
    const run = await recorded('-t', 'revoked-key-refused');
    expect(run.recorded).toEqual(['revoked-key-refused PASS']);
    // The other two were declared and left out by vitest's filter: the run did not ask them.
    // (Unfiltered, every declared scenario is run: test/vitest/conformance-suite.test.ts.)
    expect(run.tests).toHaveLength(3);
    expect(run.tests.filter((t) => t.endsWith(' passed'))).toEqual([
      expect.stringContaining('revoked-key-refused'),
    ]);
    expect(run.tests.filter((t) => !t.endsWith(' passed'))).toEqual([
      expect.stringMatching(/missing-key.* (skipped|pending)$/),
      expect.stringMatching(/nonce-replayed.* (skipped|pending)$/),
    ]);
  }, 60_000);
});
