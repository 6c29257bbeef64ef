/**
 * `npx authconform mock &` then `kill $!` must stop the mock. `$!` is npm, which forwards SIGTERM
 * to the `sh -c` it runs the command in; where /bin/sh is dash (Debian, Ubuntu, the node images,
 * GitHub's and GitLab's runners) that shell dies of the signal without passing it on, and node is
 * left running, reparented, still holding its port. Nothing else ends that shell while we run
 * (it only waits for us), so its going is the signal that was meant for us.
 */
import { readFileSync } from 'node:fs';

export interface NpxShellProbe {
  env: NodeJS.ProcessEnv;
  /** The parent's pid now (process.ppid is read afresh on each access). */
  parentPid: () => number;
  /** The parent's argv, or undefined where it cannot be read (no /proc). */
  argvOf: (pid: number) => string[] | undefined;
  everyMs: number;
}

const realProbe: NpxShellProbe = {
  env: process.env,
  parentPid: () => process.ppid,
  argvOf: (pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      return undefined;
    }
  },
  everyMs: 200,
};

/**
 * Calls `stop` once the shell npx started this command in is gone. Watches only when the parent
 * is that very shell (`sh -c '<npm_lifecycle_script>' ...` under npm exec), so a mock started
 * any other way keeps running when its parent exits. The timer never keeps the process alive.
 * Returns a function that stops watching.
 */
export function stopWithNpxShell(stop: () => void, probe: Partial<NpxShellProbe> = {}): () => void {
  const { env, parentPid, argvOf, everyMs } = { ...realProbe, ...probe };
  const script = env.npm_lifecycle_script;
  if (env.npm_lifecycle_event !== 'npx' || !script) return () => {};
  const shell = parentPid();
  const argv = argvOf(shell);
  if (argv?.[1] !== '-c' || !argv[2]?.startsWith(script)) return () => {};
  const timer = setInterval(() => {
    if (parentPid() === shell) return;
    clearInterval(timer);
    stop();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
