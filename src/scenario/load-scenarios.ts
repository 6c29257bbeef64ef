/**
 * Loads scenario files: YAML with positions, validated against scenario.schema.json, then checked
 * for what the schema cannot say (denial reasons the engine knows, $draws that exist, unique ids).
 */
import { DENIAL_REASONS } from '../model/profile.ts';
import { SpecError, type SpecProblem } from '../spec/spec-error.ts';
import { parseYamlSource, readSpecText, type YamlSource } from '../spec/yaml-source.ts';
import { schemaRegistry, type SchemaRegistry } from '../spec/schema-registry.ts';
import { checkedBefore, rememberChecked } from '../spec/checked-marks.ts';
import { ajvProblems } from '../spec/ajv-problems.ts';
import { currentName } from './renamed-scenarios.ts';
import { scenarioFiles } from './scenario-files.ts';
import type { Scenario, ScenarioFile } from './scenario-model.ts';

export function validateScenarioSource(
  source: YamlSource,
  registry: SchemaRegistry = schemaRegistry(),
): Scenario[] {
  const validate = registry.validator('scenario.schema.json');
  if (!validate(source.data))
    throw new SpecError(ajvProblems(source, validate.errors ?? [], source.data));
  const file = source.data as ScenarioFile;
  const problems: SpecProblem[] = [];
  const ids = new Set<string>();
  file.scenarios.forEach((s, i) => {
    const at = (path: (string | number)[], message: string) =>
      problems.push(source.problem(['scenarios', i, ...path], message));
    if (ids.has(s.id)) at(['id'], `duplicate scenario id "${s.id}"`);
    ids.add(s.id);
    if (
      s.expect.denial !== undefined &&
      !(DENIAL_REASONS as readonly string[]).includes(s.expect.denial)
    ) {
      at(
        ['expect', 'denial'],
        `unknown denial reason "${s.expect.denial}"; known: ${DENIAL_REASONS.join(', ')}`,
      );
    }
    if (s.expect.denial !== undefined && !s.fault)
      at(['expect'], 'a denial needs a fault: the accepted twin is sent first, then the fault');
    if ((s.model !== undefined) !== (s.expect.agreesWithModel === true))
      at(
        s.model !== undefined ? ['expect'] : ['expect', 'agreesWithModel'],
        'a model scenario expects agreesWithModel, and only a model scenario does',
      );
    for (const field of ['routes', 'draw', 'fault', 'keyRole'] as const)
      if (s.model !== undefined && s[field] !== undefined)
        at([field], `a model scenario takes no ${field}: its commands draw their own requests`);
    const draws = new Set(Object.keys(s.draw ?? {}));
    (s.fault ?? []).forEach((step, j) => {
      for (const [k, v] of Object.entries(step)) {
        if (typeof v === 'string' && v.startsWith('$') && !draws.has(v.slice(1))) {
          at(['fault', j, k], `"${v}" names no draw; draws: ${[...draws].join(', ') || '(none)'}`);
        }
      }
    });
  });
  if (problems.length > 0) throw new SpecError(problems);
  return file.scenarios;
}

/**
 * Every built-in scenario, then those of each user path (`--scenarios DIR`, the API's
 * `scenarioDirs`): a folder's *.yaml files, or one file. Each file is validated like a built-in
 * one; an id used twice, or the old name of a renamed scenario, is a problem at the later file's
 * id naming where the first one is.
 */
export function loadScenarios(
  userPaths: readonly string[] = [],
  registry: SchemaRegistry = schemaRegistry(),
): Scenario[] {
  const all: Scenario[] = [];
  const problems: SpecProblem[] = [];
  const firstAt = new Map<string, string>();
  for (const file of scenarioFiles(userPaths)) {
    let source: YamlSource;
    let scenarios: readonly Scenario[];
    try {
      ({ source, scenarios } = checkedScenarioFile(file, registry));
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    problems.push(...claimScenarioIds(source, scenarios, firstAt));
    all.push(...scenarios);
  }
  if (problems.length > 0) throw new SpecError(problems);
  return all;
}

/**
 * Scenario files already validated, by displayed path, with their text: every run (each
 * `verify()`, each test) loads the 24 built-in files, and parsing and validating them again was 6
 * to 9 of the test suite's CPU-seconds. An entry serves only the very same text. The scenarios are
 * frozen and shared: a caller that wants to change one makes its own copy.
 */
const checkedFiles = new Map<
  string,
  { text: string; source: YamlSource; scenarios: readonly Scenario[] }
>();
const CHECKED_MAX = 256;

function checkedScenarioFile(
  absPath: string,
  registry: SchemaRegistry,
): { source: YamlSource; scenarios: readonly Scenario[] } {
  const { file, text } = readSpecText(absPath);
  const hit = checkedFiles.get(file);
  if (hit?.text === text) return hit;
  const source = parseYamlSource(text, file);
  // The scenario schema is a built-in one, the same in every registry: the result holds for all.
  // A text an earlier start of the same code checked is not checked again (checked-marks.ts).
  const known = checkedBefore('scenario', text);
  const scenarios = deepFreeze(
    known ? (source.data as ScenarioFile).scenarios : validateScenarioSource(source, registry),
  );
  if (!known) rememberChecked('scenario', text);
  checkedFiles.delete(file);
  if (checkedFiles.size >= CHECKED_MAX) checkedFiles.delete(checkedFiles.keys().next().value!);
  checkedFiles.set(file, { text, source, scenarios });
  return { source, scenarios };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Records where each scenario of a file takes its id (`firstAt`: id -> file:line:col); the
 * problems are ids taken already, by this file or another, and old names of renamed scenarios.
 */
export function claimScenarioIds(
  source: YamlSource,
  scenarios: readonly Scenario[],
  firstAt: Map<string, string>,
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  scenarios.forEach((s, i) => {
    const path = ['scenarios', i, 'id'];
    const first = firstAt.get(s.id);
    if (first !== undefined)
      problems.push(
        source.problem(
          path,
          `scenario id "${s.id}" is already used at ${first}; give this scenario an id of its own`,
        ),
      );
    else if (currentName(s.id) !== s.id)
      problems.push(
        source.problem(
          path,
          `"${s.id}" is the old name of the built-in scenario "${currentName(s.id)}" (waivers and --scenario still read it so); give this scenario an id of its own`,
        ),
      );
    else {
      const at = source.locate(path);
      firstAt.set(s.id, `${source.file}:${at.line}:${at.column}`);
    }
  });
  return problems;
}
