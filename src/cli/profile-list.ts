/**
 * The profiles a `--profile` flag names: one (a built-in id or a profile file), `all` (every
 * built-in profile), or several, comma-separated (`luxcore,gateway`), as `--allow-host` takes
 * its list. A value that is an existing file is that one file, commas and all.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtInProfileIds } from '../spec/builtin-specs.ts';
import { PROFILES_DIR } from '../spec/spec-paths.ts';
import { UsageError } from './usage-error.ts';

export function profileList(value: string): string[] {
  if (value === 'all') return builtInProfileIds();
  if (!value.includes(',') || existsSync(value)) return [value];
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '' || name === 'all'))
    throw new UsageError(
      `--profile "${value}": a list names each profile once, comma-separated (luxcore,gateway); "all" stands alone`,
    );
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new UsageError(`--profile "${value}" names ${twice} twice`);
  // The same file under two names (its id and its path, or two paths): its cases would run twice.
  // A name is the file resolveProfile reads for it, a link the file it leads to.
  const files = names.map((name) => {
    const builtIn = join(PROFILES_DIR, `${name}.yaml`);
    const file = existsSync(builtIn) ? builtIn : resolve(name);
    return existsSync(file) ? realpathSync(file) : file;
  });
  const again = files.findIndex((file, i) => files.indexOf(file) !== i);
  if (again >= 0) {
    const first = names[files.indexOf(files[again]!)]!;
    throw new UsageError(
      `--profile "${value}" names ${first} twice: ${first} and ${names[again]} are the same profile file`,
    );
  }
  return names;
}
