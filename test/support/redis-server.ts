/**
 * A throwaway redis-server for the tests of the Redis store: started on a free port of
 * 127.0.0.1 with nothing persisted, stopped after. Where redis-server is not installed the
 * Redis tests are skipped, with the one line saying how to install it (CI installs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether redis-server can be run here. */
export const HAS_REDIS = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** The title that says why the Redis tests did not run, where they do not. */
export const NEEDS_REDIS = HAS_REDIS
  ? ''
  : ' (skipped: redis-server is not installed; apt-get install -y redis-server)';

// One line per test run, not one per file or worker: the first worker to create the marker
// (named after the run's main process) prints it.
if (!HAS_REDIS && process.env.VITEST) {
  try {
    writeFileSync(join(tmpdir(), `authconform-no-redis-${process.ppid}`), '', { flag: 'wx' });
    console.warn(
      'Redis store tests skipped: redis-server is not installed (apt-get install -y redis-server)',
    );
  } catch {
    // another worker of this run said it
  }
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
  });
  return { url: `redis://127.0.0.1:${port}/0`, port, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A port of 127.0.0.1 nothing listens on now: taken from the system, then let go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
