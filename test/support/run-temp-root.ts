/**
 * Vitest's global setup: the whole run's temporary files under one folder of its own, removed when
 * the run ends. Tests make their folders with `mkdtempSync(join(tmpdir(), ...))`, and child
 * processes (the CLI, servers, npm, a browser) use the system's temporary folder too; each run
 * left some hundred folders in /tmp. Workers and their children take TMPDIR from here (os.tmpdir()
 * reads it on every call). What is meant to outlast a run (the Chromium unpacked from npm, once
 * per machine) goes to the machine's own, named in AUTHCONFORM_MACHINE_TMPDIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const machine = tmpdir();
  const root = mkdtempSync(join(machine, 'authconform-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.AUTHCONFORM_MACHINE_TMPDIR ??= machine;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    try {
      // A process still writing there as the run ends (one a test left behind) must not fail
      // the run's teardown: retried, then said.
      rmSync(root, { recursive: true, force: true, maxRetries: 5 });
    } catch (e) {
      console.warn(`the test run's temporary folder ${root} was not removed: ${String(e)}`);
    }
  };
}
