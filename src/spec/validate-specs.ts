/**
 * `authconform validate`: finds every spec file under the given paths, works out its kind, and
 * loads it the way a run would (profiles first, since fixtures, credentials and vectors are
 * checked against the profile they name). Collects every problem; stops at none.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Profile } from '../model/profile.ts';
import { SpecError, type SpecProblem } from './spec-error.ts';
import { displayPath, readYamlSource } from './yaml-source.ts';
import { specKindOf, type SpecKind } from './spec-kind.ts';
import { validateProfileSource } from './load-profile.ts';
import { missingSourceWarning } from './profile-source.ts';
import { unansweredTodos } from './todo-stubs.ts';
import { declaredProfile, validateFixturesSource } from './load-fixtures.ts';
import { validateCredentialsSource } from './load-credentials.ts';
import { validateVectorsSource } from './load-vectors.ts';
import { claimScenarioIds, validateScenarioSource } from '../scenario/load-scenarios.ts';
import { profileCitesProblems } from '../scenario/profile-cites.ts';
import { currentName } from '../scenario/renamed-scenarios.ts';
import { scenarioFiles } from '../scenario/scenario-files.ts';
import { SchemaRegistry, schemaRegistry } from './schema-registry.ts';
import { FIXTURES_DIR, PROFILES_DIR, SCHEMAS_DIR, SPECS_DIR } from './spec-paths.ts';

export interface FileVerdict {
  file: string;
  kind: SpecKind | 'unknown';
  problems: SpecProblem[];
  /** What does not stop a run but should be fixed (a profile's source file that is not there). */
  warnings?: SpecProblem[];
}

export const DEFAULT_VALIDATE_PATHS = [SPECS_DIR, FIXTURES_DIR];

export function validateSpecs(paths: string[] = DEFAULT_VALIDATE_PATHS): FileVerdict[] {
  const files = paths.flatMap((p) => collectSpecFiles(resolve(p), true));
  const verdicts: FileVerdict[] = [];
  const classified = files.map((abs) => {
    const text = safeRead(abs);
    return {
      abs,
      readable: text !== undefined,
      kind: text === undefined ? undefined : specKindOf(abs, text),
    };
  });
  const registry = registryFor(classified.filter((c) => c.kind === 'profile').map((c) => c.abs));

  // Profiles named on the command line replace the built-in ones with the same id, also when
  // they are broken: their fixtures must not be checked against the built-in profile instead.
  const profiles = new Map<string, Profile>();
  const brokenProfiles = new Set<string>();
  for (const abs of collectSpecFiles(PROFILES_DIR, false).filter((f) => !files.includes(f))) {
    try {
      const p = validateProfileSource(readYamlSource(abs), registry);
      profiles.set(p.id, p);
    } catch {
      // a broken built-in profile is reported when the built-in tree itself is validated
    }
  }

  const warnings = new Map<string, SpecProblem[]>();
  const run = (abs: string, kind: SpecKind | 'unknown', fn: () => void) => {
    try {
      fn();
      // The questions `authconform init` left unanswered (src/spec/todo-stubs.ts).
      const todos = unansweredTodos(displayPath(abs), safeRead(abs) ?? '');
      const w = [...(warnings.get(abs) ?? []), ...todos];
      verdicts.push({
        file: displayPath(abs),
        kind,
        problems: [],
        ...(w.length ? { warnings: w } : {}),
      });
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      verdicts.push({ file: displayPath(abs), kind, problems: err.problems });
    }
  };

  // What a profile's `cites` may name: the built-in scenarios and those validated with it.
  const scenarioPaths = classified.filter((c) => c.kind === 'scenario').map((c) => c.abs);
  const scenarioIds = new Set([...scenarioFiles(), ...scenarioPaths].flatMap(declaredScenarioIds));
  for (const { abs } of classified.filter((c) => c.kind === 'profile')) {
    run(abs, 'profile', () => {
      const source = readYamlSource(abs);
      const id = (source.data as { id?: unknown } | null)?.id;
      let p: Profile;
      try {
        p = validateProfileSource(source, registry);
        profiles.set(p.id, p);
        const warning = missingSourceWarning(p, abs, source);
        if (warning) warnings.set(abs, [warning]);
      } catch (err) {
        if (typeof id === 'string') {
          brokenProfiles.add(id);
          profiles.delete(id);
        }
        throw err;
      }
      // Its fixtures and credentials are still checked against it: the citations are apart.
      const cites = profileCitesProblems(source, p, scenarioIds, 'it to validate');
      if (cites.length > 0) throw new SpecError(cites);
    });
  }
  // A user's scenario file may not take a built-in id, nor one of another file validated with it.
  const idsAt = new Map<string, string>();
  for (const abs of scenarioFiles().filter((f) => !scenarioPaths.includes(f)))
    try {
      const source = readYamlSource(abs);
      claimScenarioIds(source, validateScenarioSource(source, registry), idsAt);
    } catch {
      // a broken built-in scenario file is reported when the built-in tree itself is validated
    }
  for (const abs of scenarioPaths) {
    run(abs, 'scenario', () => {
      const source = readYamlSource(abs);
      const clashes = claimScenarioIds(source, validateScenarioSource(source, registry), idsAt);
      if (clashes.length > 0) throw new SpecError(clashes);
    });
  }
  for (const { abs, kind, readable } of classified.filter(
    (c) => c.kind !== 'profile' && c.kind !== 'scenario',
  )) {
    if (kind === undefined) {
      run(abs, 'unknown', () => {
        if (!readable) readYamlSource(abs); // throws "cannot read file (ENOENT)"
        throw new SpecError([
          {
            file: displayPath(abs),
            line: 1,
            column: 1,
            message:
              'cannot tell what kind of spec this is: start it with `# yaml-language-server: $schema=<path>/<kind>.schema.json` (kind: profile, fixtures, credentials, vectors, scenario) or put it in a profiles/, fixtures/, credentials/, vectors/ or scenarios/ folder',
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
        const validate = registry.validator(`${kind}.schema.json`);
        const formatProblems = validate(source.data) ? [] : null;
        const known = [...profiles.keys()].join(', ');
        const message =
          id === undefined
            ? 'missing required field "profile"'
            : brokenProfiles.has(id)
              ? `profile "${id}" has problems (listed above); this file is checked once it loads`
              : `unknown profile "${id}"; profiles loaded: ${known}`;
        if (formatProblems !== null || id !== undefined)
          throw new SpecError([source.problem(['profile'], message)]);
      }
      if (kind === 'fixtures') validateFixturesSource(source, profile!, registry);
      else if (kind === 'credentials') validateCredentialsSource(source, profile!, registry);
      else validateVectorsSource(source, profile!, registry);
    });
  }
  return verdicts;
}

/**
 * The built-in schemas, plus a `schemas/` folder beside (or one level above) each profile given:
 * a user's own profile refers to its own body schemas the same way the built-in ones do.
 */
function registryFor(profileFiles: string[]): SchemaRegistry {
  const extra = new Set<string>();
  for (const f of profileFiles) {
    for (const dir of [join(dirname(f), 'schemas'), join(dirname(f), '..', 'schemas')]) {
      const abs = resolve(dir);
      if (abs !== resolve(SCHEMAS_DIR) && existsSync(abs) && statSync(abs).isDirectory())
        extra.add(abs);
    }
  }
  return extra.size === 0 ? schemaRegistry() : new SchemaRegistry([SCHEMAS_DIR, ...extra]);
}

/** True when a folder named to `validate` holds no YAML file at all: nothing there to check. */
export function holdsNoSpecFile(path: string): boolean {
  const abs = resolve(path);
  return existsSync(abs) && statSync(abs).isDirectory() && collectSpecFiles(abs, true).length === 0;
}

/** YAML files under a folder; a file named explicitly is taken whatever its ending (JSON is YAML). */
function collectSpecFiles(abs: string, explicit: boolean): string[] {
  let st;
  try {
    st = statSync(abs);
  } catch {
    return [abs]; // unreadable: reported as such
  }
  if (!st.isDirectory()) return explicit || /\.ya?ml$/.test(abs) ? [abs] : [];
  return readdirSync(abs)
    .sort()
    .flatMap((name) =>
      name === 'node_modules' || name.startsWith('.')
        ? []
        : collectSpecFiles(join(abs, name), false),
    );
}

/** The ids a scenario file declares, valid or not (a profile citing one is not told it is unknown). */
function declaredScenarioIds(abs: string): string[] {
  let data: unknown;
  try {
    data = readYamlSource(abs).data;
  } catch {
    return [];
  }
  const list = (data as { scenarios?: unknown } | null)?.scenarios;
  return Array.isArray(list)
    ? list.flatMap((s) => {
        const id = (s as { id?: unknown } | null)?.id;
        return typeof id === 'string' ? [currentName(id)] : [];
      })
    : [];
}

function safeRead(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}
