/**
 * Where a verdict's requirement comes from. A profile may cite its own guide for any scenario
 * (`cites: { <scenario-id>: "sentence" }`), so a user's profile quotes its own guide for the
 * built-in scenarios the way the five built-in profiles do through `cites.<profile-id>` in the
 * shared scenario files. The profile's own entry wins, then the scenario file's for the profile,
 * then the scenario's default.
 */
import type { Profile } from '../model/profile.ts';
import type { LoadedProfile } from '../spec/load-profile.ts';
import { SpecError, type SpecProblem } from '../spec/spec-error.ts';
import { readYamlSource, type YamlSource } from '../spec/yaml-source.ts';
import { RENAMED, currentName } from './renamed-scenarios.ts';
import type { Scenario } from './scenario-model.ts';

/** The sentence a verdict of this scenario on this profile cites. */
export function citeFor(profile: Profile, scenario: Scenario): string {
  return ownCite(profile, scenario.id) ?? scenario.cites[profile.id] ?? scenario.cites.default;
}

/** The profile's own entry for a scenario, under its id or an old name of it. */
function ownCite(profile: Profile, id: string): string | undefined {
  if (!profile.cites) return undefined;
  if (profile.cites[id] !== undefined) return profile.cites[id];
  const old = Object.keys(RENAMED).find(
    (o) => RENAMED[o] === id && profile.cites![o] !== undefined,
  );
  return old === undefined ? undefined : profile.cites[old];
}

/**
 * Problems with a profile's `cites`, at their place in its file: an id that names none of
 * `scenarioIds` (the built-in ones and the user's), or a scenario cited under both its old and
 * its new id. `given` says where user scenarios come from, for the message.
 */
export function profileCitesProblems(
  source: Pick<YamlSource, 'problem'>,
  profile: Profile,
  scenarioIds: ReadonlySet<string>,
  given = '--scenarios',
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const id of Object.keys(profile.cites ?? {})) {
    const now = currentName(id);
    if (!scenarioIds.has(now))
      problems.push(
        source.problem(
          ['cites', id],
          `cites "${id}", which names no scenario: neither a built-in one nor one of the scenario files given with ${given}${nearest(id, scenarioIds)}`,
          { key: true },
        ),
      );
    else if (now !== id && profile.cites![now] !== undefined)
      problems.push(
        source.problem(
          ['cites', id],
          `cites "${id}", the old id of "${now}", which it cites too; keep the entry under "${now}"`,
          { key: true },
        ),
      );
  }
  return problems;
}

/**
 * Throws a SpecError when a run's profiles cite an id none of its scenarios has. The problems are
 * placed by reading each profile's file again (a profile given already loaded has no positions).
 */
export function checkProfileCites(
  profiles: readonly LoadedProfile[],
  scenarios: readonly Scenario[],
): void {
  const ids = new Set(scenarios.map((s) => s.id));
  const problems = profiles.flatMap(({ profile, file }) =>
    profile.cites === undefined ? [] : profileCitesProblems(sourceAt(file), profile, ids),
  );
  if (problems.length > 0) throw new SpecError(problems);
}

function sourceAt(file: string): Pick<YamlSource, 'problem'> {
  try {
    return readYamlSource(file);
  } catch {
    return { problem: (_path, message) => ({ file, line: 1, column: 1, message }) };
  }
}

/** "; nearest: a, b" for ids sharing the given one's first words, or nothing. */
function nearest(id: string, ids: ReadonlySet<string>): string {
  const words = id.split('-');
  for (let n = Math.min(words.length, 2); n >= 1; n--) {
    const prefix = words.slice(0, n).join('-');
    const near = [...ids].filter((x) => x.startsWith(prefix)).sort();
    if (near.length > 0 && near.length <= 6) return `; nearest: ${near.join(', ')}`;
  }
  return '';
}
