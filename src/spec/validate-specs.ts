/**
 * `authconform validate`: finds every spec file under the given paths, works out its kind, and
 * loads it the way a run would (profiles first, since fixtures, credentials and vectors are
 * checked against the profile they name). Collects every problem; stops at none.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Profile } from '../model/profile.ts';
import { SpecError, type SpecProblem } from './spec-error.ts';
import { displayPath, readYamlSource } from './yaml-source.ts';
import { specKindOf, type SpecKind } from './spec-kind.ts';
import { validateProfileSource } from './load-profile.ts';
import { declaredProfile, validateFixturesSource } from './load-fixtures.ts';
import { validateCredentialsSource } from './load-credentials.ts';
import { validateVectorsSource } from './load-vectors.ts';
import { schemaRegistry } from './schema-registry.ts';
import { FIXTURES_DIR, PROFILES_DIR, SPECS_DIR } from './spec-paths.ts';

export interface FileVerdict {
  file: string;
  kind: SpecKind | 'unknown';
  problems: SpecProblem[];
}

export const DEFAULT_VALIDATE_PATHS = [SPECS_DIR, FIXTURES_DIR];

export function validateSpecs(paths: string[] = DEFAULT_VALIDATE_PATHS): FileVerdict[] {
  const files = paths.flatMap((p) => collectYaml(resolve(p)));
  const registry = schemaRegistry();
  const verdicts: FileVerdict[] = [];
  const classified = files.map((abs) => {
    const text = safeRead(abs);
    return { abs, kind: text === undefined ? undefined : specKindOf(abs, text) };
  });

  // Profiles named on the command line win over the built-in ones with the same id.
  const profiles = new Map<string, Profile>();
  const brokenProfiles = new Set<string>();
  const builtIn = collectYaml(PROFILES_DIR).filter((abs) => !files.includes(abs));
  for (const abs of builtIn) {
    try {
      const p = validateProfileSource(readYamlSource(abs), registry);
      profiles.set(p.id, p);
    } catch {
      // a broken built-in profile is reported when the built-in tree itself is validated
    }
  }

  const run = (abs: string, kind: SpecKind | 'unknown', fn: () => void) => {
    try {
      fn();
      verdicts.push({ file: displayPath(abs), kind, problems: [] });
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      verdicts.push({ file: displayPath(abs), kind, problems: err.problems });
    }
  };

  for (const { abs, kind } of classified.filter((c) => c.kind === 'profile')) {
    run(abs, 'profile', () => {
      const source = readYamlSource(abs);
      try {
        const p = validateProfileSource(source, registry);
        profiles.set(p.id, p);
      } catch (err) {
        const id = (source.data as { id?: unknown } | null)?.id;
        if (typeof id === 'string') brokenProfiles.add(id);
        throw err;
      }
    });
  }
  for (const { abs, kind } of classified.filter((c) => c.kind !== 'profile')) {
    if (kind === undefined) {
      run(abs, 'unknown', () => {
        throw new SpecError([
          {
            file: displayPath(abs),
            line: 1,
            column: 1,
            message:
              'cannot tell what kind of spec this is: start it with `# yaml-language-server: $schema=<path>/<kind>.schema.json` (kind: profile, fixtures, credentials, vectors) or put it in a profiles/, fixtures/, credentials/ or vectors/ folder',
          },
        ]);
      });
      continue;
    }
    run(abs, kind, () => {
      const source = readYamlSource(abs);
      const id = declaredProfile(source);
      const profile = id === undefined ? undefined : profiles.get(id);
      if (!profile) {
        // Let the format schema speak first (a missing `profile:` is a format error).
        const validate = registry.validator(`${kind}.schema.json`);
        const known = [...profiles.keys()].join(', ');
        const message =
          id === undefined
            ? 'missing required field "profile"'
            : brokenProfiles.has(id)
              ? `profile "${id}" has problems (listed above); this file is checked once it loads`
              : `unknown profile "${id}"; profiles loaded: ${known}`;
        if (validate(source.data) || id !== undefined)
          throw new SpecError([source.problem(['profile'], message)]);
      }
      if (kind === 'fixtures') validateFixturesSource(source, profile!, registry);
      else if (kind === 'credentials') validateCredentialsSource(source, profile!, registry);
      else validateVectorsSource(source, profile!, registry);
    });
  }
  return verdicts;
}

function collectYaml(abs: string): string[] {
  let st;
  try {
    st = statSync(abs);
  } catch {
    return [abs]; // reported as unreadable by the loader
  }
  if (!st.isDirectory()) return [abs];
  return readdirSync(abs)
    .sort()
    .flatMap((name) => {
      const child = join(abs, name);
      if (statSync(child).isDirectory()) return name === 'node_modules' ? [] : collectYaml(child);
      return /\.ya?ml$/.test(name) ? [child] : [];
    });
}

function safeRead(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}
