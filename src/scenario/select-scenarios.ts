/**
 * Which scenarios a run takes: `--scenario` and `--exclude` terms, each a scenario id, an id glob
 * (`nonce-*`) or a family name (`nonce-replay`, `missing tenant`). A term that matches nothing is
 * an error naming it with the nearest ids and families, never a silently smaller run.
 */
import type { Scenario } from './scenario-model.ts';
import { currentName } from './renamed-scenarios.ts';

/** A term of --scenario or --exclude that matches no scenario. */
export class ScenarioSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioSelectionError';
  }
}

export interface ScenarioSelection {
  scenarios: Scenario[];
  /** What a person may not expect (a term that is both an id and a family), one line each. */
  notes: string[];
}

const FAMILY_PREFIX = 'family:';

/**
 * The scenarios `include` names (all when it is empty), less those `exclude` names, in the order
 * of `all`. Terms may be comma-separated. A term is matched against ids first: an id that is also
 * a family name (`expired-jwt`) selects that one scenario, so a printed rerun command stays exact;
 * `family:NAME` selects the whole family.
 */
export function selectScenarios(
  all: readonly Scenario[],
  include: readonly string[],
  exclude: readonly string[],
): ScenarioSelection {
  const notes: string[] = [];
  const unknown: { flag: string; term: string }[] = [];
  const resolve = (flag: string, terms: readonly string[]): Set<Scenario> => {
    const chosen = new Set<Scenario>();
    for (const raw of terms.flatMap((t) => t.split(','))) {
      const term = currentName(normalize(raw));
      if (term === '') continue;
      const found = matching(all, term);
      if (found.matched.length === 0) unknown.push({ flag, term: raw.trim() });
      if (found.note) notes.push(`${flag} ${term}: ${found.note}`);
      for (const s of found.matched) chosen.add(s);
    }
    return chosen;
  };
  const included = include.length > 0 ? resolve('--scenario', include) : new Set(all);
  const excluded = resolve('--exclude', exclude);
  if (unknown.length > 0)
    throw new ScenarioSelectionError(
      unknown
        .map(
          (u) => `${u.flag} "${u.term}" matches no scenario id or family; ${nearest(all, u.term)}`,
        )
        .join('; '),
    );
  const scenarios = all.filter((s) => included.has(s) && !excluded.has(s));
  if (scenarios.length === 0)
    throw new ScenarioSelectionError(
      `--scenario and --exclude leave no scenario to run (${included.size} selected, all excluded)`,
    );
  return { scenarios, notes };
}

function matching(all: readonly Scenario[], term: string): { matched: Scenario[]; note?: string } {
  if (term.startsWith(FAMILY_PREFIX)) {
    const family = term.slice(FAMILY_PREFIX.length);
    return { matched: all.filter((s) => globMatch(family, s.family)) };
  }
  const byId = all.filter((s) => globMatch(term, s.id));
  if (byId.length > 0) {
    const family = all.filter((s) => s.family === term);
    return family.length > byId.length
      ? {
          matched: byId,
          note: `the scenario of that id; its family has ${family.length} scenarios (--scenario ${FAMILY_PREFIX}${term} for all of them)`,
        }
      : { matched: byId };
  }
  return { matched: all.filter((s) => globMatch(term, s.family)) };
}

/** Ids and families are lower-case words joined by '-': `Missing tenant` is `missing-tenant`. */
function normalize(term: string): string {
  return term
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

function globMatch(glob: string, name: string): boolean {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(name);
}

/** "did you mean" for one unknown term: the closest ids and families, else every family. */
function nearest(all: readonly Scenario[], given: string): string {
  const term = normalize(given)
    .replace(/^family:/, '')
    .replace(/[*?]/g, '');
  const families = [...new Set(all.map((s) => s.family))];
  const candidates = [
    ...families.map((f) => ({ name: f, label: `${f} (family)` })),
    ...all.map((s) => ({ name: s.id, label: s.id })),
  ];
  const scored = candidates
    .map((c) => ({
      ...c,
      score: c.name.includes(term) || term.includes(c.name) ? 0 : editDistance(term, c.name),
    }))
    .filter((c) => term.length > 0 && c.score <= Math.max(2, Math.floor(term.length / 3)))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  if (scored.length > 0)
    return `nearest: ${[...new Set(scored.slice(0, 4).map((c) => c.label))].join(', ')}`;
  return `families: ${families.sort().join(', ')}`;
}

/** Levenshtein distance (a few dozen short names: the plain quadratic table is enough). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = row;
  }
  return prev[b.length]!;
}
