// Spec files are parsed once per text (a run reads the same scenarios, profile and fixtures at
// each verify()): what a caller gets is its own, and a file whose text changed is read anew.
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/spec-error.ts';
import { parseYamlSource } from '../../src/spec/yaml-source.ts';

const FILE = 'specs/example.yaml';

describe('parseYamlSource', () => {
  it('gives each caller data of its own: one caller editing it changes nothing for the next', () => {
    const text = 'routes:\n  - id: a\n    scopes: [read]\n';
    const first = parseYamlSource(text, FILE);
    (first.data as { routes: { scopes: string[] }[] }).routes[0]!.scopes.push('write');
    const second = parseYamlSource(text, FILE);
    expect(second.data).toEqual({ routes: [{ id: 'a', scopes: ['read'] }] });
    expect(second.locate(['routes', 0, 'scopes'])).toEqual({ line: 3, column: 13 });
  });

  it('reads a file anew when its text changed, positions included', () => {
    parseYamlSource('a: 1\n', FILE);
    const changed = parseYamlSource('# a comment first\na: 2\n', FILE);
    expect(changed.data).toEqual({ a: 2 });
    expect(changed.locate(['a'])).toEqual({ line: 2, column: 4 });
  });

  it('reports the same syntax error each time the broken text is read', () => {
    for (let i = 0; i < 2; i++) {
      let error: unknown;
      try {
        parseYamlSource('a: [1, 2\n', FILE);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems[0]).toMatchObject({ file: FILE, line: 2 });
    }
  });
});
