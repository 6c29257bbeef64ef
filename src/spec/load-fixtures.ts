/** Loads a fixtures file against its (already loaded) profile. */
import type { Fixtures } from '../model/fixtures.ts';
import type { Profile } from '../model/profile.ts';
import { SpecError } from './spec-error.ts';
import { readYamlSource, type YamlSource } from './yaml-source.ts';
import { schemaRegistry, type SchemaRegistry } from './schema-registry.ts';
import { ajvProblems } from './ajv-problems.ts';
import { checkFixtures } from './check-fixtures.ts';

export function loadFixtures(
  absPath: string,
  profile: Profile,
  registry: SchemaRegistry = schemaRegistry(),
): Fixtures {
  return validateFixturesSource(readYamlSource(absPath), profile, registry);
}

export function validateFixturesSource(
  source: YamlSource,
  profile: Profile,
  registry: SchemaRegistry = schemaRegistry(),
): Fixtures {
  const validate = registry.validator('fixtures.schema.json');
  if (!validate(source.data))
    throw new SpecError(ajvProblems(source, validate.errors ?? [], source.data));
  const fixtures = source.data as Fixtures;
  const problems = checkFixtures(fixtures, profile, source);
  if (problems.length > 0) throw new SpecError(problems);
  return fixtures;
}

/** The `profile:` a fixtures or credentials file names, read before it is validated. */
export function declaredProfile(source: YamlSource): string | undefined {
  const data = source.data as { profile?: unknown } | null;
  return typeof data?.profile === 'string' ? data.profile : undefined;
}
