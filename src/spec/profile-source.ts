/**
 * The guide a profile's scheme comes from, as every report names it: title, version, URL, and a
 * copy of the guide beside the profile when there is one. A profile may give its `source` as one
 * string: a URL, a path (relative to the profile file) or a title.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Profile, ProfileSource } from '../model/profile.ts';
import type { SpecProblem } from './spec-error.ts';
import type { YamlSource } from './yaml-source.ts';

/** A string source read as a URL, a file path (it names a file: a folder or an extension), or a title. */
export function sourceOf(source: Profile['source']): ProfileSource {
  if (typeof source !== 'string') return source;
  if (/^https?:\/\//.test(source)) return { title: source, url: source };
  if (/[\\/]/.test(source) || /\.[a-z0-9]{1,5}$/i.test(source))
    return { title: source, path: source };
  return { title: source };
}

/** Where a source's copy of the guide is on disk: relative to the profile file. */
export function sourceFile(source: ProfileSource, profileFile: string): string | undefined {
  return source.path === undefined ? undefined : resolve(dirname(profileFile), source.path);
}

/** One line: title, version, URL, path (the ones given). */
export function sourceLine(source: ProfileSource): string {
  return [
    source.title,
    source.version !== undefined ? `version ${source.version}` : undefined,
    source.url !== undefined && source.url !== source.title ? source.url : undefined,
    source.path !== undefined && source.path !== source.title ? source.path : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(', ');
}

/**
 * A warning when the profile's source names a file that is not there (relative to the profile
 * file): a report would cite a guide nobody can open.
 */
export function missingSourceWarning(
  profile: Profile,
  profileFile: string,
  yaml: YamlSource,
): SpecProblem | undefined {
  const source = sourceOf(profile.source);
  const file = sourceFile(source, profileFile);
  if (file === undefined || (existsSync(file) && statSync(file).isFile())) return undefined;
  return yaml.problem(
    typeof profile.source === 'string' ? ['source'] : ['source', 'path'],
    `source names ${source.path}, which does not exist (looked for ${file}); give the path of a copy of the guide relative to this profile file, or its URL`,
  );
}
