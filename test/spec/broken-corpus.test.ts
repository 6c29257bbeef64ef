import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';
import { readYamlSource } from '../../src/spec/yaml-source.ts';
import { validateProfileSource } from '../../src/spec/load-profile.ts';
import { validateFixturesSource } from '../../src/spec/load-fixtures.ts';
import { SpecError, formatProblem } from '../../src/spec/spec-error.ts';
import { validateScenarioSource } from '../../src/scenario/load-scenarios.ts';

const corpus = join(import.meta.dirname, 'corpus');
const registry = new SchemaRegistry([SCHEMAS_DIR, join(corpus, 'schemas')]);
const minimal = validateProfileSource(
  readYamlSource(join(corpus, 'minimal.profile.yaml')),
  registry,
);

function load(file: string): void {
  const source = readYamlSource(file);
  if (file.endsWith('.profile.yaml')) validateProfileSource(source, registry);
  else if (file.endsWith('.scenario.yaml')) validateScenarioSource(source, registry);
  else validateFixturesSource(source, minimal, registry);
}

describe('the minimal corpus base', () => {
  it('loads cleanly, so each broken variant fails for its one fault only', () => {
    expect(() => load(join(corpus, 'minimal.fixtures.yaml'))).not.toThrow();
  });
});

describe('broken spec files', () => {
  const files = ['broken', 'broken-scenarios'].flatMap((d) =>
    readdirSync(join(corpus, d))
      .sort()
      .map((f) => join(d, f)),
  );
  it('cover every kind of fault the loader must name', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });
  for (const name of files) {
    const file = join(corpus, name);
    const expectLine = /^# expect: (\d+):(\d+) (.+)$/m.exec(readFileSync(file, 'utf8'));
    it(`${name} is rejected at the faulty line with a clear message`, () => {
      expect(expectLine, `${name} lacks an "# expect: LINE:COL message" line`).not.toBeNull();
      const [, line, column, message] = expectLine!;
      let error: unknown;
      try {
        load(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpecError);
      const problems = (error as SpecError).problems;
      const rendered = problems.map(formatProblem);
      const match = problems.find((p) => p.message.includes(message!));
      expect(
        match,
        `no problem mentions ${JSON.stringify(message)}; got:\n${rendered.join('\n')}`,
      ).toBeDefined();
      expect(`${match!.line}:${match!.column}`).toBe(`${line}:${column}`);
      expect(match!.file).toContain(name.split('/').pop());
    });
  }
});
