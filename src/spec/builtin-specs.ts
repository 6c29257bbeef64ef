/** The built-in profiles and their fixtures, found by id. */
import { addSchemasBesideProfile } from './schema-registry.ts';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FIXTURES_DIR, PROFILES_DIR } from './spec-paths.ts';
import { loadProfile, type LoadedProfile } from './load-profile.ts';
import { loadFixtures } from './load-fixtures.ts';
import type { Fixtures } from '../model/fixtures.ts';
import type { Profile } from '../model/profile.ts';

/**
 * The ids of the built-in profiles (specs/profiles/*.yaml), sorted: what `profile: 'all'` runs.
 * Throws nothing in an intact install.
 *
 * @example
 * ```ts
 * import { builtInProfileIds } from 'authconform';
 *
 * console.log(builtInProfileIds()); // ['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay']
 * ```
 */
export function builtInProfileIds(): string[] {
  return readdirSync(PROFILES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/**
 * Loads a profile by built-in id (`luxcore`), or from a path to a profile YAML file (.yaml or
 * .yml), whose `schemas/` folder beside it (or one level up) joins the body schemas. This is how
 * `verify()` reads its `profile` option.
 *
 * Throws `UnknownProfileError` (listing the built-in ids) when `idOrPath` is neither, and
 * `SpecError` (file:line:col) when the file does not validate.
 *
 * @example
 * ```ts
 * import { resolveProfile, verify } from 'authconform';
 *
 * const mine = resolveProfile('authconform/profile.yaml'); // or a built-in id: 'luxcore'
 * console.log(mine.profile.id, mine.profile.version, mine.sha256);
 * const record = await verify({ profile: mine, target: 'mock' });
 * ```
 */
export function resolveProfile(idOrPath: string): LoadedProfile {
  const builtIn = join(PROFILES_DIR, `${idOrPath}.yaml`);
  if (existsSync(builtIn)) return loadProfile(builtIn);
  if (/\.ya?ml$/.test(idOrPath) && existsSync(idOrPath)) {
    addSchemasBesideProfile(idOrPath);
    return loadProfile(idOrPath);
  }
  throw new UnknownProfileError(idOrPath);
}

export function builtInFixtures(
  profile: Profile,
  path: string = join(FIXTURES_DIR, `${profile.id}.yaml`),
): Fixtures {
  return loadFixtures(path, profile);
}

/**
 * A profile named by an id that is no built-in profile, or by a profile file that does not
 * exist (its message says where it was looked for); the message lists the built-in ids. `authconform run` reports it as a usage error (exit 2).
 *
 * @example
 * ```ts
 * import { UnknownProfileError, verify } from 'authconform';
 *
 * try {
 *   await verify({ profile: 'no-such-api' });
 * } catch (e) {
 *   if (e instanceof UnknownProfileError) console.error(e.requested, e.message);
 * }
 * ```
 */
export class UnknownProfileError extends Error {
  constructor(readonly requested: string) {
    super(
      // Named as a file (a .yaml name or a path): "give a path" would not help; say it is missing.
      /\.ya?ml$|[/\\]/.test(requested)
        ? `profile file "${requested}" not found (looked for ${resolve(requested)}); give the path to a profile YAML file, or a built-in profile: ${builtInProfileIds().join(', ')}`
        : `unknown profile "${requested}"; built-in profiles: ${builtInProfileIds().join(', ')} (or give a path to a profile YAML file)`,
    );
    this.name = 'UnknownProfileError';
  }
}
