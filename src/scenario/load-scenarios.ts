/**
 * Loads scenario files: YAML with positions, validated against scenario.schema.json, then checked
 * for what the schema cannot say (denial reasons the engine knows, $draws that exist, unique ids).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DENIAL_REASONS } from '../model/profile.ts';
import { SpecError, type SpecProblem } from '../spec/spec-error.ts';
import { readYamlSource, type YamlSource } from '../spec/yaml-source.ts';
import { schemaRegistry, type SchemaRegistry } from '../spec/schema-registry.ts';
import { ajvProblems } from '../spec/ajv-problems.ts';
import { SCENARIOS_DIR } from '../spec/spec-paths.ts';
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

/** Every built-in scenario (or those of a folder), ids unique across files. */
export function loadScenarios(
  dir: string = SCENARIOS_DIR,
  registry: SchemaRegistry = schemaRegistry(),
): Scenario[] {
  const all: Scenario[] = [];
  const problems: SpecProblem[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const source = readYamlSource(join(dir, name));
    try {
      for (const s of validateScenarioSource(source, registry)) {
        if (all.some((x) => x.id === s.id)) {
          problems.push(source.problem([], `scenario id "${s.id}" is used by another file too`));
        }
        all.push(s);
      }
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
  return all;
}
