/** The built-in profiles and their fixtures, found by id. */
import { addSchemasBesideProfile } from './schema-registry.ts';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, PROFILES_DIR } from './spec-paths.ts';
import { loadProfile, type LoadedProfile } from './load-profile.ts';
import { loadFixtures } from './load-fixtures.ts';
import type { Fixtures } from '../model/fixtures.ts';
import type { Profile } from '../model/profile.ts';

export function builtInProfileIds(): string[] {
  return readdirSync(PROFILES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** Loads a profile by built-in id, or from a path to a YAML file. */
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

export class UnknownProfileError extends Error {
  constructor(readonly requested: string) {
    super(
      `unknown profile "${requested}"; built-in profiles: ${builtInProfileIds().join(', ')} (or give a path to a profile YAML file)`,
    );
    this.name = 'UnknownProfileError';
  }
}
