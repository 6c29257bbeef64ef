// `npm run build` (npm pack's prepack) and `npm run typecheck` are incremental (tsc -b): they
// compile only what changed since the build dist/.tsbuildinfo records. Whatever the files'
// timestamps say, dist/ must end as a clean build of the sources as they are, and a source that
// no longer type-checks must fail both. Run, as package.json has them, in a small project laid
// out as this one (its tsconfig.build.json and scripts/, a base tsconfig.json), so each case
// compiles three files, not the whole of src/.
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '../..');
const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const LONG_AGO = new Date('2001-01-01T00:00:00Z');

let project: string;

function write(file: string, text: string, mtime?: Date): void {
  const path = join(project, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (mtime) utimesSync(path, mtime, mtime);
}

const read = (file: string) => readFileSync(join(project, file), 'utf8');

/** An npm script of this repository's package.json, run in the small project as npm runs it. */
async function npmRun(script: 'build' | 'typecheck'): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('sh', ['-c', scripts[script]!], {
      cwd: project,
      env: {
        ...process.env,
        PATH: [join(REPO_ROOT, 'node_modules/.bin'), process.env.PATH].join(delimiter),
      },
    });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, output: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}

async function build(): Promise<string> {
  const r = await npmRun('build');
  expect(r.code, r.output).toBe(0);
  return r.output;
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'authconform-build-'));
  cpSync(join(REPO_ROOT, 'tsconfig.build.json'), join(project, 'tsconfig.build.json'));
  cpSync(join(REPO_ROOT, 'scripts'), join(project, 'scripts'), { recursive: true });
  write('package.json', JSON.stringify({ name: 'small', type: 'module', private: true }));
  // The options tsconfig.build.json inherits, with the few global types TypeScript needs in place
  // of its lib files and Node's (a compile in a third of the CPU time).
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        noLib: true,
        typeRoots: ['./types'],
        types: ['globals'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        noEmit: true,
        tsBuildInfoFile: 'node_modules/.cache/typecheck.tsbuildinfo',
      },
      include: ['test'],
      references: [{ path: './tsconfig.build.json' }],
    }),
  );
  const globals = ['Boolean', 'CallableFunction', 'Function', 'IArguments', 'NewableFunction']
    .concat(['Number', 'Object', 'RegExp', 'String'])
    .map((name) => `interface ${name} {}\n`);
  write('types/globals/index.d.ts', `interface Array<T> { [n: number]: T }\n${globals.join('')}`);
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'node_modules/typescript'), join(project, 'node_modules/typescript'));
  write(
    'node_modules/dep/package.json',
    JSON.stringify({ name: 'dep', type: 'module', types: 'index.d.ts' }),
  );
  write('node_modules/dep/index.d.ts', 'export declare function double(n: number): number;\n');
  write('src/a.ts', "import { b } from './b.ts';\nexport const a: number = b + 1;\n");
  write('src/b.ts', 'export const b: number = 1;\n');
  write('mock-server/m.ts', "import { double } from 'dep';\nexport const m: number = double(2);\n");
  write('test/a.test.ts', "import { a } from '../src/a.ts';\nexport const x: number = a;\n");
  await build();
  expect(read('dist/src/a.js')).toContain('from "./b.js"');
}, 60_000);
afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

// Each case puts back what it changed; its own build then ends from the state the last one left.
describe('npm run build after an earlier build', () => {
  it('compiles nothing when nothing changed (what the package test relies on after the typecheck)', async () => {
    const before = statSync(join(project, 'dist/src/a.js')).mtimeMs;
    await build();
    expect(statSync(join(project, 'dist/src/a.js')).mtimeMs).toBe(before);
  }, 30_000);

  it('builds again what was deleted from dist/ since', async () => {
    rmSync(join(project, 'dist/src/b.js'));
    rmSync(join(project, 'dist/mock-server/m.d.ts'));
    await build();
    expect(read('dist/src/b.js')).toContain('export const b = 1;');
    expect(read('dist/mock-server/m.d.ts')).toContain('export declare const m: number;');
  }, 30_000);

  it('compiles an ordinary edit (a newer time) incrementally, not from scratch', async () => {
    const untouched = statSync(join(project, 'dist/mock-server/m.js')).mtimeMs;
    write('src/b.ts', 'export const b: number = 2;\n');
    try {
      expect(await build()).not.toContain('from scratch');
      expect(read('dist/src/b.js')).toContain('export const b = 2;');
      // What the edit does not reach is not written again.
      expect(statSync(join(project, 'dist/mock-server/m.js')).mtimeMs).toBe(untouched);
    } finally {
      write('src/b.ts', 'export const b: number = 1;\n');
    }
  }, 30_000);

  it('compiles a source whose new text has an older time than the last build (copied, restored, saved during the build)', async () => {
    write('src/b.ts', 'export const b: number = 41;\n', LONG_AGO);
    try {
      await build();
      expect(read('dist/src/b.js')).toContain('export const b = 41;');
    } finally {
      write('src/b.ts', 'export const b: number = 1;\n');
    }
  }, 30_000);

  it('compiles a source saved in the millisecond the build info was written, after it (tsc -b compares whole milliseconds)', async () => {
    const info = join(project, 'dist/.tsbuildinfo');
    // Seconds, as utimes takes them: the build info at .1 of a millisecond, the edit at .4 (a
    // Stats' mtime Date, which tsc -b compares, rounds both to the same millisecond).
    const ms = Math.floor(Date.now());
    utimesSync(info, (ms + 0.1) / 1000, (ms + 0.1) / 1000);
    write('src/b.ts', 'export const b: number = 43;\n');
    utimesSync(join(project, 'src/b.ts'), (ms + 0.4) / 1000, (ms + 0.4) / 1000);
    expect(statSync(join(project, 'src/b.ts')).mtimeMs).toBeGreaterThan(statSync(info).mtimeMs);
    try {
      await build();
      expect(read('dist/src/b.js')).toContain('export const b = 43;');
    } finally {
      write('src/b.ts', 'export const b: number = 1;\n');
    }
  }, 30_000);

  it('compiles a new source with an older time than the last build (moved in), and removes its outputs once it is deleted', async () => {
    write('src/c.ts', 'export const c = 3;\n', LONG_AGO);
    try {
      await build();
      expect(read('dist/src/c.js')).toContain('export const c = 3;');
    } finally {
      rmSync(join(project, 'src/c.ts'));
    }
    // tsc -b sees a deleted source itself, and compiles only what it changes.
    expect(await build()).not.toContain('from scratch');
    expect(existsSync(join(project, 'dist/src/c.js'))).toBe(false);
    expect(existsSync(join(project, 'dist/src/c.d.ts'))).toBe(false);
  }, 30_000);

  it('removes from dist/ whatever no source compiles to with these options (a JSON file, the maps of a build with source maps)', async () => {
    write('dist/src/table.json', '{}');
    write('dist/src/b.js.map', '{}');
    write('dist/src/old/gone.txt', '');
    await build();
    for (const stale of ['src/table.json', 'src/b.js.map', 'src/old'])
      expect(existsSync(join(project, 'dist', stale)), stale).toBe(false);
    expect(existsSync(join(project, 'dist/src/b.js'))).toBe(true);
    expect(existsSync(join(project, 'dist/.tsbuildinfo'))).toBe(true);
  }, 30_000);

  it("fails, as the typecheck does, when a dependency's new types make a source wrong", async () => {
    // What `npm install` of a new version leaves: the package's files changed, the sources not.
    write('node_modules/dep/index.d.ts', 'export declare function double(n: string): number;\n');
    try {
      for (const script of ['build', 'typecheck'] as const) {
        const r = await npmRun(script);
        expect(r.output, script).toMatch(/mock-server\/m\.ts.*TS2345/);
        expect(r.code, script).not.toBe(0);
      }
    } finally {
      write('node_modules/dep/index.d.ts', 'export declare function double(n: number): number;\n');
    }
  }, 60_000);
});
