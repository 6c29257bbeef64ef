// A team's own scenario files (`--scenarios DIR`, the API's scenarioDirs) join the built-in
// catalogue: validated like a built-in file, with file:line:col, and never taking an id that is
// already used, by a built-in scenario or by another of the team's files.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { SpecError } from '../../src/spec/spec-error.ts';

const BUILT_IN = loadScenarios();

/** A folder holding the given files (name -> YAML text). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-scenarios-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function scenario(id: string, extra = ''): string {
  return [
    `  - id: ${id}`,
    '    title: A revoked key is refused on every write route too',
    '    family: revoked-key',
    '    severity: MUST',
    '    cites:',
    '      default: "Team guide: a revoked key fails on every route, writes included."',
    '    requires: [api-key, revoked-key]',
    '    routes: { auth: api_key, withBody: true }',
    '    fault:',
    '      - useKey: revoked',
    '    expect: { denial: revoked_credential, credential: api_key }',
    extra,
  ].join('\n');
}

function problems(paths: string[]): string[] {
  try {
    loadScenarios(paths);
  } catch (e) {
    if (e instanceof SpecError)
      return e.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
    throw e;
  }
  throw new Error('expected the scenarios not to load');
}

describe('loadScenarios with user paths', () => {
  it('adds the scenarios of a folder after the built-in ones', () => {
    const dir = folder({ 'writes.yaml': `scenarios:\n${scenario('team-revoked-on-writes')}` });
    const all = loadScenarios([dir]);
    expect(all.slice(0, BUILT_IN.length)).toEqual(BUILT_IN);
    expect(all.slice(BUILT_IN.length).map((s) => s.id)).toEqual(['team-revoked-on-writes']);
  });

  it('reads a file again once its text changed, and errs on it then, at its place', () => {
    const dir = folder({ 'writes.yaml': `scenarios:\n${scenario('team-revoked-on-writes')}` });
    expect(loadScenarios([dir]).at(-1)?.id).toBe('team-revoked-on-writes');
    writeFileSync(join(dir, 'writes.yaml'), `scenarios:\n${scenario('team-revoked-on-reads')}`);
    expect(loadScenarios([dir]).at(-1)?.id).toBe('team-revoked-on-reads');
    writeFileSync(
      join(dir, 'writes.yaml'),
      `scenarios:\n${scenario('team-revoked-on-reads', '    runs: many')}`,
    );
    expect(problems([dir]).join('\n')).toMatch(/writes\.yaml:13:\d+: .*runs/);
  });

  it('hands out scenarios no caller can change for the next one', () => {
    const [first] = loadScenarios();
    expect(() => {
      (first as { id: string }).id = 'changed';
    }).toThrow(TypeError);
    expect(loadScenarios()[0]?.id).toBe(BUILT_IN[0]?.id);
  });

  it('takes a single file too, and reads a file named twice once', () => {
    const dir = folder({ 'writes.yml': `scenarios:\n${scenario('team-revoked-on-writes')}` });
    const file = join(dir, 'writes.yml');
    expect(loadScenarios([dir, file]).length).toBe(BUILT_IN.length + 1);
  });

  it('reports a malformed user file at its line and column, like a built-in one', () => {
    const dir = folder({
      'bad.yaml': `scenarios:\n${scenario('team-bad').replace('[api-key, revoked-key]', '[api-keys]')}`,
    });
    const found = problems([dir]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /bad\.yaml:8:16: scenarios\[0\]\.requires\[0\]: expected one of "api-key", .*found string "api-keys"$/,
    );
  });

  it('reports a $draw the file does not declare, with its position', () => {
    const bad = scenario('team-bad').replace('useKey: revoked', 'useKey: $other');
    expect(problems([folder({ 'bad.yaml': `scenarios:\n${bad}` })])).toEqual([
      expect.stringMatching(/bad\.yaml:11:17: "\$other" names no draw; draws: \(none\)$/),
    ]);
  });

  it('refuses an id a built-in scenario has, naming both files and lines', () => {
    const dir = folder({ 'clash.yaml': `scenarios:\n${scenario('missing-key')}` });
    expect(problems([dir])).toEqual([
      expect.stringMatching(
        /clash\.yaml:2:9: scenario id "missing-key" is already used at specs\/scenarios\/missing-key\.yaml:3:9; give this scenario an id of its own$/,
      ),
    ]);
  });

  it('refuses an id two user files both use, naming the first', () => {
    const one = folder({ 'a.yaml': `scenarios:\n${scenario('team-revoked-on-writes')}` });
    const two = folder({
      'b.yaml': `scenarios:\n${scenario('team-other')}\n${scenario('team-revoked-on-writes')}`,
    });
    expect(problems([one, two])).toEqual([
      `${join(two, 'b.yaml')}:14:9: scenario id "team-revoked-on-writes" is already used at ${join(one, 'a.yaml')}:2:9; give this scenario an id of its own`,
    ]);
  });

  it('refuses the old name of a renamed scenario (waivers and --scenario still mean the new one)', () => {
    const dir = folder({ 'old.yaml': `scenarios:\n${scenario('hmac-body-tampered')}` });
    expect(problems([dir])).toEqual([
      expect.stringMatching(
        /old\.yaml:2:9: "hmac-body-tampered" is the old name of the built-in scenario "signature-body-tampered"/,
      ),
    ]);
  });

  it('says what is wrong with a path that is missing or holds no scenario file', () => {
    const empty = folder({ 'notes.txt': 'nothing here' });
    expect(problems([join(empty, 'nope')])).toEqual([
      `${join(empty, 'nope')}:1:1: cannot read this scenarios folder or file (ENOENT); --scenarios takes a folder of scenario YAML files or one such file`,
    ]);
    expect(problems([empty])).toEqual([
      expect.stringMatching(/:1:1: this scenarios folder holds no \.yaml or \.yml file/),
    ]);
  });
});
