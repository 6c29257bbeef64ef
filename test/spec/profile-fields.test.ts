// Every field of the profile format is accounted for in docs/profile-fields.md: a field that
// states a requirement names the scenarios that read it, or validate refuses it; a new field
// added to the schema without a row here fails this test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { profileSchemaFields } from './profile-schema-fields.ts';

const DOC = join(import.meta.dirname, '../../docs/profile-fields.md');

interface Row {
  field: string;
  readBy: string;
  line: number;
}

function rows(): Row[] {
  return readFileSync(DOC, 'utf8')
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text.startsWith('| `'))
    .map(({ text, line }) => {
      const cells = text.split(' | ');
      return {
        field: /^\| `([^`]+)`/.exec(text)![1]!,
        readBy: cells.at(-1)!.replace(/ \|$/, ''),
        line,
      };
    });
}

const CLASSES = /^(wiring|descriptive only|validate:)/;

describe('docs/profile-fields.md', () => {
  const schemaFields = profileSchemaFields();
  const documented = rows();
  const scenarioIds = new Set(loadScenarios().map((s) => s.id));

  it('reads the schema: the walk finds the fields it must (sanity)', () => {
    for (const f of ['routes[].caps[].max', 'bindings.*.otherRecords', 'denials.not_found'])
      expect(schemaFields).toContain(f);
    expect(schemaFields.length).toBeGreaterThan(150);
  });

  it('has a row for every field of profile.schema.json', () => {
    const have = new Set(documented.map((r) => r.field));
    expect(schemaFields.filter((f) => !have.has(f))).toEqual([]);
  });

  it('names only fields the schema has, each once', () => {
    const fields = new Set(schemaFields);
    expect(
      documented.filter((r) => !fields.has(r.field)).map((r) => `${r.line}: ${r.field}`),
    ).toEqual([]);
    const names = documented.map((r) => r.field);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('says for each field which scenarios read it, or why none does (wiring, descriptive, refused)', () => {
    const unread = documented.filter(
      (r) => !CLASSES.test(r.readBy) && !/`[a-z][a-z0-9-]*`/.test(r.readBy),
    );
    expect(unread.map((r) => `${r.line}: ${r.field}: ${r.readBy}`)).toEqual([]);
  });

  it('names scenarios that exist', () => {
    const unknown = documented.flatMap((r) =>
      [...r.readBy.matchAll(/`([a-z][a-z0-9-]*)`/g)]
        .map((m) => m[1]!)
        .filter((id) => !scenarioIds.has(id))
        .map((id) => `${r.line}: ${r.field}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });
});
