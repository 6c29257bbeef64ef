/** Where the built-in specs live, whether run from a clone or from the installed package. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SPECS_DIR = join(PACKAGE_ROOT, 'specs');
export const SCHEMAS_DIR = join(SPECS_DIR, 'schemas');
export const PROFILES_DIR = join(SPECS_DIR, 'profiles');
export const SCENARIOS_DIR = join(SPECS_DIR, 'scenarios');
export const VECTORS_DIR = join(SPECS_DIR, 'vectors');
export const FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures');
