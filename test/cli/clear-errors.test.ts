/**
 * Mistakes a user can make in their own profile's schemas, in a credentials file or in the
 * paths given to `validate` end as one line naming the file (file:line:column), with exit 2:
 * never a stack trace. Each case here threw out of `main` (or said too little) before.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain as cli } from './run-main.ts';

const EXAMPLE = join(import.meta.dirname, '../../examples/fastify-tidewater');
const GATEWAY_SCHEMA = join(import.meta.dirname, '../../specs/schemas/bodies/gateway.json');

/** A copy of the Tidewater example (profile, credentials, schemas/) with one schema edited. */
function userProfile(edit?: (schema: string) => string): { dir: string; profile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-errors-'));
  cpSync(EXAMPLE, dir, { recursive: true, filter: (f) => !/node_modules/.test(f) });
  const schemaFile = join(dir, 'schemas', 'tidewater.json');
  if (edit) writeFileSync(schemaFile, edit(readFileSync(schemaFile, 'utf8')));
  return { dir, profile: join(dir, 'profile.yaml') };
}

/** The 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

function expectOneLine(stderr: string) {
  expect(stderr).not.toContain('    at ');
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe("a user profile's schemas/ folder", () => {
  it('(a) a schema whose $id is built in: one line at its $id, from validate and from mock', async () => {
    const { dir, profile } = userProfile();
    cpSync(GATEWAY_SCHEMA, join(dir, 'schemas', 'gateway.json'));
    for (const argv of [
      ['validate', profile],
      ['mock', '--profile', profile, '--port', '0'],
    ]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expectOneLine(r.stderr);
      expect(r.stderr).toMatch(
        /schemas\/gateway\.json:3:\d+: schema id "https:\/\/authconform\.dev\/schemas\/bodies\/gateway\.json" is already taken by specs\/schemas\/bodies\/gateway\.json/,
      );
    }
  });

  it('(b) a trailing comma: invalid JSON at its file, line and column', async () => {
    let broken = '';
    const { profile } = userProfile((s) => {
      broken = s.replace('"minLength": 1\n', '"minLength": 1,\n');
      return broken;
    });
    const r = await cli('validate', profile);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    // The parser stops at the "}" after the comma.
    const at = positionOf(broken, '"minLength": 1,\n');
    const line = Number(at.split(':')[0]) + 1;
    expect(r.stderr).toMatch(
      new RegExp(`schemas/tidewater\\.json:${line}:\\d+: invalid JSON: Expected double-quoted`),
    );
  });

  it('(c) an invalid type: the file, line and column, and the JSON pointer', async () => {
    let broken = '';
    const { profile } = userProfile((s) => {
      broken = s.replace('"type": "string"', '"type": "strin"');
      return broken;
    });
    const r = await cli('mock', '--profile', profile, '--port', '0');
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    const line = positionOf(broken, '"strin"').split(':')[0];
    expect(r.stderr).toMatch(
      new RegExp(
        `schemas/tidewater\\.json:${line}:\\d+: invalid JSON Schema at #/\\$defs/problem/properties/type/type: expected one of .*"string".*; found string "strin"`,
      ),
    );
  });

  it('(d) a dangling $ref: named once, at the place it is written', async () => {
    let broken = '';
    const { profile } = userProfile((s) => {
      broken = s.replace(
        '"type": "string",\n          "format": "uri"',
        '"$ref": "#/$defs/nowhere"',
      );
      return broken;
    });
    const r = await cli('validate', profile);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    const at = positionOf(broken, '"#/$defs/nowhere"');
    expect(r.stderr).toContain(
      `schemas/tidewater.json:${at}: $ref "#/$defs/nowhere" does not resolve`,
    );
  });
});

describe('validate and credentials', () => {
  it('(g) an empty folder: says no spec file is there, exit 2 (a usage problem)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'authconform-empty-'));
    const r = await cli('validate', empty);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(`no profile or other spec file (*.yaml, *.yml) in ${empty}`);
    expect(r.stdout).not.toContain('0 file(s) checked');
  });

  it('(h) an unquoted all-digit secret: file:line:column and field, the value masked', async () => {
    const { dir, profile } = userProfile();
    const file = join(dir, 'credentials.yaml');
    const text = readFileSync(file, 'utf8').replace(
      /^( {2}secret: )\S+$/m,
      (_, key: string) => `${key}123456789012`,
    );
    writeFileSync(file, text, { mode: 0o600 });
    const at = positionOf(text, '123456789012');
    const validate = await cli('validate', profile, file);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(
      `credentials.yaml:${at}: hmac.secret: expected string, found number …9012`,
    );
    const run = await cli(
      'run',
      '--profile',
      profile,
      '--credentials',
      file,
      '--target',
      'http://127.0.0.1:9',
    );
    expect(run.code).toBe(2);
    expectOneLine(run.stderr);
    expect(run.stderr).toContain(`credentials.yaml:${at}: hmac.secret:`);
    for (const shown of [validate.stdout, validate.stderr, run.stdout, run.stderr])
      expect(shown).not.toContain('123456789012');
  });
});
