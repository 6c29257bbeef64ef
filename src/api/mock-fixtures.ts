/**
 * The world the bundled mock serves for a profile, as `mock`, `run --target mock|msw` and
 * `credentials` choose it: the --fixtures file when one is given (a missing file is named, with
 * what to do instead), else the built-in fixtures of a built-in profile, else a world generated
 * from the profile (src/spec/generate-fixtures.ts), so your own profile runs with no file at all.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixtures } from '../model/fixtures.ts';
import type { Profile } from '../model/profile.ts';
import { builtInFixtures } from '../spec/builtin-specs.ts';
import { generateFixtures } from '../spec/generate-fixtures.ts';
import { FIXTURES_DIR } from '../spec/spec-paths.ts';
import { VerifyOptionError } from './verify-error.ts';

export function mockFixtures(
  profile: Profile,
  profileArg: string,
  fixturesPath: string | undefined,
): { fixtures: Fixtures; generated: boolean } {
  if (fixturesPath !== undefined) {
    checkFixturesFile(fixturesPath, profileArg);
    return { fixtures: builtInFixtures(profile, fixturesPath), generated: false };
  }
  const builtIn = join(FIXTURES_DIR, `${profile.id}.yaml`);
  if (existsSync(builtIn)) return { fixtures: builtInFixtures(profile, builtIn), generated: false };
  return { fixtures: generateFixtures(profile), generated: true };
}

/** A --fixtures file that is not there: one line saying which, and how to make one. */
export function checkFixturesFile(path: string, profileArg: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // missing or unreadable: said below
  }
  if (!isFile)
    throw new VerifyOptionError(
      `--fixtures ${path}: no such file; write one with \`authconform fixtures --profile ${profileArg} --out ${path}\`, or leave --fixtures out to use a world generated from the profile`,
    );
}
