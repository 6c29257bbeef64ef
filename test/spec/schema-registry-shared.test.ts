// Each user profile loaded builds a schema registry of its own; the built-in schemas are compiled
// once per process and shared by all of them, while a user's schemas stay the user's.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addSchemasBesideProfile,
  schemaRegistry,
  SchemaRegistry,
} from '../../src/spec/schema-registry.ts';
import { SpecError } from '../../src/spec/spec-error.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';

const scratch = mkdtempSync(join(tmpdir(), 'registry-shared-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A user's schemas folder holding one body schema, `bodies/mine.json`, of the given type. */
function userSchemas(name: string, type: string): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'bodies'), { recursive: true });
  writeFileSync(
    join(dir, 'bodies/mine.json'),
    JSON.stringify({ $id: `https://example.test/${name}.json`, type }),
  );
  return dir;
}

describe('schema registries of one process', () => {
  it('share the compiled built-in schemas, whatever user folders each holds', () => {
    const alone = new SchemaRegistry([SCHEMAS_DIR]);
    const withUser = new SchemaRegistry([SCHEMAS_DIR, userSchemas('a', 'object')]);
    expect(withUser.validator('profile.schema.json')).toBe(alone.validator('profile.schema.json'));
    expect(withUser.validator('scenario.schema.json')).toBe(
      alone.validator('scenario.schema.json'),
    );
  });

  it('refuse a schema the meta-schema rejects each time it is read, however often it is', () => {
    const dir = userSchemas('invalid', 'object');
    writeFileSync(join(dir, 'bodies/mine.json'), JSON.stringify({ type: 'object', $comment: 5 }));
    for (let i = 0; i < 2; i++)
      expect(() => new SchemaRegistry([SCHEMAS_DIR, dir])).toThrow(SpecError);
    writeFileSync(join(dir, 'bodies/mine.json'), JSON.stringify({ type: 'object' }));
    expect(new SchemaRegistry([SCHEMAS_DIR, dir]).validator('bodies/mine.json')({})).toBe(true);
  });

  it("keep each user folder's schemas its own: the same path validates as that folder says", () => {
    const objects = new SchemaRegistry([SCHEMAS_DIR, userSchemas('objects', 'object')]);
    const strings = new SchemaRegistry([SCHEMAS_DIR, userSchemas('strings', 'string')]);
    expect(objects.validator('bodies/mine.json')({})).toBe(true);
    expect(strings.validator('bodies/mine.json')({})).toBe(false);
    expect(strings.validator('bodies/mine.json')('text')).toBe(true);
  });

  it('report a $ref of an earlier folder that a folder named later leaves dangling', () => {
    /** `<name>/schemas/<name>.json` holding `schema`; the profile file beside that folder. */
    const profileWith = (name: string, schema: object): string => {
      mkdirSync(join(scratch, name, 'schemas'), { recursive: true });
      writeFileSync(join(scratch, name, 'schemas', `${name}.json`), JSON.stringify(schema));
      return join(scratch, name, 'profile.yaml');
    };
    const shared = 'https://example.test/shared-thing.json';
    addSchemasBesideProfile(profileWith('thing', { $id: shared, $defs: { thing: {} } }));
    addSchemasBesideProfile(
      profileWith('uses', {
        $id: 'https://example.test/uses.json',
        $ref: `${shared}#/$defs/thing`,
      }),
    );
    // Names the same id without the definition: the first folder is replaced, `uses` now dangles.
    const replacing = profileWith('replacing', { $id: shared, type: 'object' });
    let thrown: unknown;
    try {
      addSchemasBesideProfile(replacing);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    expect((thrown as SpecError).problems.map((p) => p.file).join()).toMatch(/uses\.json/);
  });

  it("keep a user folder's compiled schemas when another folder joins, and compile them anew once it changed", () => {
    const folder = (name: string, type: string): string => {
      mkdirSync(join(scratch, name, 'schemas'), { recursive: true });
      writeFileSync(
        join(scratch, name, 'schemas', `${name}.json`),
        JSON.stringify({ $id: `https://example.test/${name}.json`, $defs: { it: { type } } }),
      );
      return join(scratch, name, 'profile.yaml');
    };
    const first = folder('kept-first', 'string');
    addSchemasBesideProfile(first);
    const before = schemaRegistry().validator('kept-first.json#/$defs/it');
    addSchemasBesideProfile(folder('kept-second', 'number'));
    // The same compiled function: the folder was not compiled again for the new registry.
    expect(schemaRegistry().validator('kept-first.json#/$defs/it')).toBe(before);
    // Edited (another type, another size): its validator is compiled from the new text.
    writeFileSync(
      join(scratch, 'kept-first', 'schemas', 'kept-first.json'),
      JSON.stringify({
        $id: 'https://example.test/kept-first.json',
        $defs: { it: { type: 'integer' } },
      }),
    );
    addSchemasBesideProfile(first);
    const after = schemaRegistry().validator('kept-first.json#/$defs/it');
    expect(after).not.toBe(before);
    expect([after('x'), after(3)]).toEqual([false, true]);
  });
});
