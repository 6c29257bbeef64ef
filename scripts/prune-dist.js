// After `tsc -b tsconfig.build.json` (npm run build): removes from dist/ what no source compiles
// to any more. An incremental build only writes; a file renamed or deleted under src/ or
// mock-server/ would otherwise leave its old .js and .d.ts in dist/, and in the packed tarball.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

/** The source a file of dist/ was compiled from, or undefined for files the build keeps. */
function sourceOf(file) {
  const m = /^(.*)\.(js|d\.ts)(\.map)?$/.exec(relative(dist, file));
  return m ? join(root, `${m[1]}.ts`) : undefined;
}

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else {
      const source = sourceOf(path);
      if (source && !existsSync(source)) {
        rmSync(path);
        console.log(`removed ${relative(root, path)} (its source is gone)`);
      }
    }
  }
}

if (existsSync(dist)) prune(dist);
