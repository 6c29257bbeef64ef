/**
 * Where the built-in specs live, whether run from a clone or from the installed package.
 * This module runs as src/spec/spec-paths.ts in a clone and as dist/src/spec/spec-paths.js in
 * the published package, so the root is found by walking up to the folder that holds both
 * package.json and specs/, not by a fixed number of `..`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const SPECS_DIR = join(PACKAGE_ROOT, 'specs');
export const SCHEMAS_DIR = join(SPECS_DIR, 'schemas');
export const PROFILES_DIR = join(SPECS_DIR, 'profiles');
export const SCENARIOS_DIR = join(SPECS_DIR, 'scenarios');
export const VECTORS_DIR = join(SPECS_DIR, 'vectors');
export const FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures');

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'specs'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(
        `authconform: no package root (a folder with package.json and specs/) above ${from}; the installed package is incomplete`,
      );
  }
}
