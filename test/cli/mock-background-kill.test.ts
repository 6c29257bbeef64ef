// Issue 13 item 7: a CI job starts the mock in the background and stops it with `kill $!`.
// Under npx, `$!` is npm, which hands SIGTERM to a `sh -c` that (as dash) dies without passing
// it on: node was left running, reparented, still listening. Each case runs the CI lines in a
// shell as a job would, then checks that nothing it started is left: no process carrying this
// run's marker, and nothing listening on the port the mock printed.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { userEnv } from '../package/packed-install.ts';
import { stopWithNpxShell } from '../../src/cli/stop-with-npx-shell.ts';

const ROOT = join(import.meta.dirname, '../..');
const MARK = 'AUTHCONFORM_TEST_MARK';

/** The pids of live processes whose environment carries `MARK=mark` (Linux /proc). */
function marked(mark: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (env.includes(`${MARK}=${mark}`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const marks: string[] = [];
afterAll(() => {
  // A failed case must not leave its mock behind: end only the processes carrying a case's mark.
  for (const pid of marks.flatMap(marked))
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
});

/**
 * Runs, in `sh` as a CI step would: start COMMAND in the background, wait (bounded) for its
 * ready line, `kill $!`, `wait $!`. Returns the port it listened on and what is still alive or
 * listening 3 s later.
 */
async function startThenKill(command: string) {
  const mark = randomUUID();
  marks.push(mark);
  const dir = mkdtempSync(join(tmpdir(), 'authconform-bgkill-'));
  const out = join(dir, 'mock.out');
  const script = [
    `${command} > '${out}' 2>&1 &`,
    'pid=$!',
    'i=0',
    `until grep -q 'Ctrl-C stops' '${out}'; do i=$((i+1)); [ $i -gt 300 ] && exit 9; sleep 0.1; done`,
    'kill $pid',
    'wait $pid',
    'exit 0',
  ].join('\n');
  try {
    const code = await new Promise<number | null>((resolve) => {
      const sh = spawn(script, {
        shell: true,
        cwd: ROOT,
        env: { ...userEnv(), [MARK]: mark },
        stdio: 'ignore',
      });
      sh.once('exit', resolve);
    });
    const printed = existsSync(out) ? readFileSync(out, 'utf8') : '';
    expect(code, `the job script: ${printed}`).toBe(0);
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1]);
    expect(port, printed).toBeGreaterThan(0);
    const deadline = Date.now() + 3_000;
    let alive = marked(mark);
    let open = await listening(port);
    while ((alive.length > 0 || open) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      alive = marked(mark);
      open = await listening(port);
    }
    const described = alive.map((pid) => {
      try {
        return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`;
      } catch {
        return String(pid);
      }
    });
    return { port, alive: described, open };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!existsSync('/proc/self/environ'))('`authconform mock &` then `kill $!`', () => {
  it.concurrent(
    'under npx: stops the mock, nothing left running or listening',
    async () => {
      const r = await startThenKill('npx authconform mock --profile luxcore --port 0');
      expect(r.alive, `left running after kill $! (port ${r.port})`).toEqual([]);
      expect(r.open, `port ${r.port} still listening`).toBe(false);
    },
    60_000,
  );

  it.concurrent(
    'run with node directly: stops the mock, nothing left running or listening',
    async () => {
      const r = await startThenKill('node bin/authconform.js mock --profile luxcore --port 0');
      expect(r.alive).toEqual([]);
      expect(r.open).toBe(false);
    },
    60_000,
  );
});

describe('stopWithNpxShell', () => {
  const npxEnv = { npm_lifecycle_event: 'npx', npm_lifecycle_script: "'authconform'" };
  const shellArgv = ['sh', '-c', "'authconform' mock --port 0", ''];
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('stops once the shell npx ran the command in is gone', async () => {
    let parent = 100;
    let stopped = 0;
    stopWithNpxShell(() => stopped++, {
      env: npxEnv,
      parentPid: () => parent,
      argvOf: () => shellArgv,
      everyMs: 5,
    });
    await wait(30);
    expect(stopped).toBe(0);
    parent = 1;
    await wait(30);
    expect(stopped).toBe(1);
  });

  it('does not watch a mock started any other way, so it outlives a parent that exits', async () => {
    let parent = 100;
    let stopped = 0;
    const probe = { parentPid: () => parent, argvOf: () => shellArgv, everyMs: 5 };
    stopWithNpxShell(() => stopped++, { ...probe, env: {} });
    stopWithNpxShell(() => stopped++, {
      ...probe,
      env: { ...npxEnv, npm_lifecycle_event: 'test' },
    });
    stopWithNpxShell(() => stopped++, {
      ...probe,
      env: npxEnv,
      argvOf: () => ['bash', 'ci.sh'],
    });
    parent = 1;
    await wait(30);
    expect(stopped).toBe(0);
  });
});
