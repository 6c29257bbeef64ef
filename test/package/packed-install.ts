/**
 * What a user gets from `npm pack`: the tarball packed from this checkout (prepack compiles
 * dist/), installed with `npm install --save-dev <tarball>` into an empty folder, nothing else.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * The environment of a user's shell: an `npm test` parent exports npm_package_* and
 * npm_lifecycle_* variables that would make the npm commands below act on this checkout.
 * Where the cache and registry are stays.
 */
export function userEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') || keep.has(k)),
  );
}

/** Runs a command to its end; a non-zero exit comes back as `code`, not as a throw. */
export async function sh(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, {
      cwd,
      env: userEnv(),
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

export interface PackedInstall {
  /** The empty folder the tarball was installed into. */
  consumer: string;
  /** Every path in the tarball, relative to the package root. */
  files: string[];
  remove(): void;
}

/**
 * Where the install goes: memory (/dev/shm) where the machine has it. Installing and removing a
 * node_modules of some 16,000 files on disk took 4 s each on an idle machine and over 10 s on a
 * busy one; in memory, under one.
 */
function scratchBase(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/**
 * `also`: packages the user installs in the same `npm install` (vitest, for authconform/vitest):
 * one install, as a user adding both at once does, instead of a second one later.
 */
export async function packAndInstall(also: readonly string[] = []): Promise<PackedInstall> {
  const dir = mkdtempSync(join(scratchBase(), 'authconform-pack-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const pack = await sh('npm', ['pack', '--json', '--pack-destination', dir], REPO_ROOT);
    if (pack.code !== 0) throw new Error(`npm pack exited ${pack.code}:\n${pack.stderr}`);
    const [packed] = JSON.parse(pack.stdout) as {
      filename: string;
      files: { path: string }[];
    }[];
    const consumer = join(dir, 'consumer');
    mkdirSync(consumer);
    // What `npm init -y` writes, without starting npm for it.
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2),
    );
    await expectOk(
      sh(
        'npm',
        [
          'install',
          '--save-dev',
          join(dir, packed!.filename),
          ...also,
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
        ],
        consumer,
      ),
      'npm install --save-dev <tarball>',
    );
    return { consumer, files: packed!.files.map((f) => f.path), remove };
  } catch (e) {
    remove();
    throw e;
  }
}

async function expectOk(result: ReturnType<typeof sh>, what: string): Promise<void> {
  const { code, stderr } = await result;
  if (code !== 0) throw new Error(`${what} exited ${code}:\n${stderr}`);
}

/**
 * Starts a long-running command in its own process group (npx runs the bin in a child shell),
 * so `stop()` ends the whole group by its id and nothing is left listening.
 */
export function startDetached(
  cmd: string,
  args: string[],
  cwd: string,
): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const child = spawn(cmd, args, {
    cwd,
    env: userEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // the group is already gone
        }
      }
      await exited;
    },
  };
}
