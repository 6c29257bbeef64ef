// In a clone, the CLI's TypeScript sources (src/, mock-server/) bundled by esbuild into one
// JavaScript module (split where a module is imported only when needed) under
// node_modules/.cache/authconform/, named by a hash of every source
// file's path and content and of package.json (10 ms to read): an edit makes a new bundle
// at the next start (a tenth of a second), so a clone never runs stale code and needs no build
// step. npm packages stay imports (resolved from node_modules as before). One module instead of
// three hundred, loaded without a loader thread: a start costs about half the CPU it did through
// tsx's loader. The published package does not ship this file; it runs dist/.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The URL of a bundle of the sources as they are now, built if none is. `root`: the clone (its
 * src/cli/main.ts is the entry; the bundle goes to its node_modules/.cache/authconform/).
 */
export async function sourceBundle(root = ROOT) {
  const hash = createHash('sha256');
  // Node's version and this file (the bundle's options) name the bundle as well as the sources.
  hash.update(process.version);
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const file of [
    join(root, 'package.json'),
    ...sourceFiles(join(root, 'src')),
    ...sourceFiles(join(root, 'mock-server')),
  ]) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(file));
  }
  const dir = join(root, 'node_modules', '.cache', 'authconform');
  const name = `cli-${hash.digest('hex').slice(0, 16)}`;
  const main = join(dir, name, 'main.mjs');
  if (!existsSync(main)) await bundle(root, dir, name);
  // Marked as used now: a bundle is removed only once no start has used it for a day (a process
  // that started from it may still load one of its chunks).
  const now = new Date();
  utimesSync(join(dir, name), now, now);
  return pathToFileURL(main).href;
}

function sourceFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files.sort();
}

async function bundle(root, cache, name) {
  const out = join(cache, name);
  const { build } = await import('esbuild');
  mkdirSync(cache, { recursive: true });
  const { outputFiles } = await build({
    entryPoints: { main: join(root, 'src', 'cli', 'main.ts') },
    bundle: true,
    // A module imported only when needed (the Redis store) stays a chunk of its own, its npm
    // imports with it: a start that needs no Redis does not load its client.
    splitting: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    // Stack traces name the source files and lines (Node reads the map: setSourceMapsEnabled).
    sourcemap: 'linked',
    sourcesContent: false,
    outdir: out,
    write: false,
    logLevel: 'error',
  });
  // Written into a folder of its own, then renamed into place whole: processes started together
  // never read half a bundle, and where two build the same one, the first rename wins.
  const tmp = `${out}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  for (const f of outputFiles) {
    const path = join(tmp, relative(out, f.path));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.contents);
  }
  try {
    renameSync(tmp, out);
  } catch (e) {
    if (!existsSync(join(out, 'main.mjs'))) throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Bundles of older sources no start has used for a day, and folders a crashed build left.
  const unused = Date.now() - 24 * 3600_000;
  for (const f of readdirSync(cache)) {
    const path = join(cache, f);
    if (f.startsWith('cli-') && f !== name && statSync(path).mtimeMs < unused)
      rmSync(path, { recursive: true, force: true });
  }
}
