/**
 * A user's body schema is matched against whatever a target answers: its `pattern`s go through
 * RE2, so a catastrophic pattern and one hostile answer cannot stall the harness, and a pattern
 * RE2 cannot take is a schema error at its place (file, line, column), not a crash at run time.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SpecError } from '../../src/spec/spec-error.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';

function userSchemas(pattern: string, other = '^b+$'): string {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-pattern-'));
  mkdirSync(join(dir, 'schemas'));
  writeFileSync(
    join(dir, 'schemas', 'mine.json'),
    JSON.stringify(
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'https://example.test/schemas/mine.json',
        $defs: {
          token: {
            type: 'object',
            properties: {
              id: { type: 'string', pattern },
              other: { type: 'string', pattern: other },
            },
          },
        },
      },
      null,
      2,
    ),
  );
  return join(dir, 'schemas');
}

describe('JSON Schema patterns in body schemas', () => {
  it('matches a catastrophic pattern against a hostile answer in linear time', () => {
    const registry = new SchemaRegistry([SCHEMAS_DIR, userSchemas('^(a+)+$')]);
    const validate = registry.validator('mine.json#/$defs/token');
    expect(validate({ id: 'aaaa' })).toBe(true);
    // 40 'a's and a '!': a backtracking engine takes about 2^40 steps here; RE2 answers at once.
    const started = performance.now();
    expect(validate({ id: `${'a'.repeat(40)}!` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('keeps each pattern its own (ajv keys compiled patterns by their text)', () => {
    const registry = new SchemaRegistry([SCHEMAS_DIR, userSchemas('^a+$', '^b+$')]);
    const validate = registry.validator('mine.json#/$defs/token');
    expect(validate({ id: 'aa', other: 'bb' })).toBe(true);
    expect(validate({ id: 'aa', other: 'aa' })).toBe(false);
    expect(validate({ id: 'bb', other: 'bb' })).toBe(false);
  });

  it('refuses a lookahead with its file, line and column', () => {
    let error: unknown;
    try {
      new SchemaRegistry([SCHEMAS_DIR, userSchemas('^(?=x)x$')]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const text = (error as SpecError).message;
    expect(text).toMatch(/mine\.json:\d+:\d+: .*cannot be matched in linear time/);
  });
});
