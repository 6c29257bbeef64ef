#!/usr/bin/env node
// Entry point for `npx authconform`. In a clone the CLI is the TypeScript source, bundled by
// esbuild whenever a source file changed since the last start (bin/source-bundle.js): no build
// step, and an edit is live at once. The published package carries no src/, only the compiled
// dist/ (built by `npm pack`'s prepack), so it needs neither esbuild's bundle nor TypeScript. The
// source wins when both exist, so a dist/ left over from a pack never runs stale code in a clone.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A reader that goes away (`authconform list | head`) ends the process as it ends other Unix
// tools, with 141 (128 + SIGPIPE) and no stack trace; the run's own verdict is not known then.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(141);
  });

const source = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { sourceBundle } = await import('./source-bundle.js');
  let bundle;
  try {
    bundle = await sourceBundle();
  } catch {
    // No bundle (node_modules not writable, say): the sources through tsx's loader, as before.
  }
  if (bundle) {
    // Stack traces name the TypeScript files and lines (the bundle's map).
    process.setSourceMapsEnabled(true);
    const cli = await import(bundle);
    main = cli.main;
    // Spec files this bundle found valid at an earlier start are not checked again.
    cli.rememberChecksIn(join(dirname(fileURLToPath(bundle)), 'checked'));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import(source.href));
  }
} else {
  const cli = await import('../dist/src/cli/main.js');
  main = cli.main;
  const marks = installedMarksDir();
  if (marks) cli.rememberChecksIn(marks);
}
process.exitCode = await main(process.argv.slice(2));

/**
 * An installed package's folder for its marks of checked spec files: beside npm's other caches
 * (node_modules/.cache/), one per version and build of the package. None outside a node_modules.
 */
function installedMarksDir() {
  const pkg = fileURLToPath(new URL('..', import.meta.url));
  const modules = dirname(pkg);
  if (basename(modules) !== 'node_modules') return undefined;
  try {
    const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    const built = Math.round(statSync(join(pkg, 'dist/src/cli/main.js')).mtimeMs);
    return join(modules, '.cache', 'authconform', `checked-${version}-${built}`);
  } catch {
    return undefined;
  }
}
