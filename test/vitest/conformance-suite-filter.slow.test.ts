// authconform/vitest under vitest's own test filter (`-t`): the run asks the target only the
// cases of the tests vitest will run, not every declared one, so picking one scenario out of a
// long suite costs that scenario's time. The suite is a user's test file run by a vitest of its own.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** Runs the user's file with these vitest arguments; what its run recorded. */
async function recorded(...args: string[]): Promise<string[]> {
  const out = join(mkdtempSync(join(tmpdir(), 'authconform-filter-')), 'recorded.json');
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'test/vitest/fixtures/filtered-suite.config.ts',
      // One file: a worker thread, not a second process.
      '--pool=threads',
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, AUTHCONFORM_RECORDED: out } },
  );
  return (JSON.parse(readFileSync(out, 'utf8')) as string[]).sort();
}

describe('conformanceSuite under vitest -t', () => {
  it('runs only the scenarios of the tests the filter selects', async () => {
    expect(await recorded('-t', 'revoked-key-refused')).toEqual(['revoked-key-refused PASS']);
  }, 60_000);

  it('runs every declared scenario when no filter is given', async () => {
    expect(await recorded()).toEqual([
      'missing-key PASS',
      'nonce-replayed PASS',
      'revoked-key-refused PASS',
    ]);
  }, 60_000);
});
