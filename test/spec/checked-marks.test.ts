// Spec files a CLI start found valid are not checked again by the next start of the same code
// (src/spec/checked-marks.ts): only success is remembered, by the text checked and the schemas
// as they are, and only where the bin turned the marks on.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkedBefore, rememberChecked, rememberChecksIn } from '../../src/spec/checked-marks.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { loadProfile, profileMark } from '../../src/spec/load-profile.ts';
import { parseYamlSource } from '../../src/spec/yaml-source.ts';
import { SpecError } from '../../src/spec/spec-error.ts';
import { PROFILES_DIR } from '../../src/spec/spec-paths.ts';
import { teamScenario } from '../support/team-scenario.ts';

const marks = () => join(mkdtempSync(join(tmpdir(), 'authconform-marks-')), 'checked');
// This worker's next files check every time, as without the bin.
afterEach(() => rememberChecksIn(undefined));

describe('checked marks', () => {
  it('remember a kind of check on a text, and nothing else; off, nothing at all', () => {
    expect(checkedBefore('scenario', 'a: 1')).toBe(false);
    rememberChecked('scenario', 'a: 1'); // off: not written anywhere
    const dir = marks();
    rememberChecksIn(dir);
    expect(checkedBefore('scenario', 'a: 1')).toBe(false);
    rememberChecked('scenario', 'a: 1');
    expect(checkedBefore('scenario', 'a: 1')).toBe(true);
    expect(checkedBefore('scenario', 'a: 2')).toBe(false);
    expect(checkedBefore('profile', 'a: 1')).toBe(false);
    expect(readdirSync(dir)).toHaveLength(1);
    rememberChecksIn(undefined);
    expect(checkedBefore('scenario', 'a: 1')).toBe(false);
  });

  it('cannot be written in a folder that cannot be made: every start checks, without an error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'authconform-marks-')), 'a-file');
    writeFileSync(file, '');
    rememberChecksIn(join(file, 'checked'));
    expect(() => rememberChecked('scenario', 'a: 1')).not.toThrow();
    expect(checkedBefore('scenario', 'a: 1')).toBe(false);
  });
});

describe('loading with the marks on', () => {
  /** A user scenario folder holding one file of this text. */
  const folderWith = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-marks-scenarios-'));
    writeFileSync(join(dir, 'mine.yaml'), text);
    return dir;
  };
  const valid = teamScenario('my-missing-key');

  it('remembers a scenario file that passed, and checks one that failed again at every load', () => {
    rememberChecksIn(marks());
    const broken = valid.replace('severity: MUST', 'severity: SOMETIMES');
    for (let i = 0; i < 2; i++)
      expect(() => loadScenarios([folderWith(broken)])).toThrow(/severity/);
    expect(checkedBefore('scenario', broken)).toBe(false);
    expect(loadScenarios([folderWith(valid)]).some((s) => s.id === 'my-missing-key')).toBe(true);
    expect(checkedBefore('scenario', valid)).toBe(true);
  });

  it('takes a marked text as checked (the mark is what a start consults), a built-in profile only', () => {
    rememberChecksIn(marks());
    // Marked as if an earlier start had found it valid: loaded without the schema's check.
    const wrong = valid.replace('severity: MUST', 'severity: SOMETIMES');
    rememberChecked('scenario', wrong);
    expect(
      loadScenarios([folderWith(wrong)]).find((s) => s.id === 'my-missing-key')?.severity,
    ).toBe('SOMETIMES');
    // A built-in profile is marked once loaded; a user's profile never (its schema folder and
    // signer modules are read by its checks too).
    const builtIn = join(PROFILES_DIR, 'luxcore.yaml');
    loadProfile(builtIn);
    expect(checkedBefore('profile', `${builtIn}\0${readFileSync(builtIn, 'utf8')}`)).toBe(true);
    const mine = join(mkdtempSync(join(tmpdir(), 'authconform-marks-profile-')), 'p');
    mkdirSync(mine);
    const copy = join(mine, 'profile.yaml');
    writeFileSync(copy, readFileSync(builtIn, 'utf8').replace(/^id: luxcore$/m, 'id: mine'));
    loadProfile(copy);
    expect(checkedBefore('profile', `${copy}\0${readFileSync(copy, 'utf8')}`)).toBe(false);
    writeFileSync(copy, 'id: mine\n');
    expect(() => loadProfile(copy)).toThrow(SpecError);
  });
});

describe('which profiles a mark may stand for', () => {
  const luxcore = join(PROFILES_DIR, 'luxcore.yaml');
  const text = readFileSync(luxcore, 'utf8');
  const markOf = (file: string, yaml: string) => profileMark(file, parseYamlSource(yaml, file));

  it('a built-in profile file, by its path and text', () => {
    expect(markOf(luxcore, text)).toBe(`${luxcore}\0${text}`);
  });

  it('not a profile in a folder under the built-in ones: a schemas/ folder beside it joins its checks', () => {
    expect(markOf(join(PROFILES_DIR, 'team', 'luxcore.yaml'), text)).toBeUndefined();
  });

  it('not a profile whose signer is a module: its checks read the module, which the text does not hold', () => {
    const withModule = text.replace(
      /^signing:\n/m,
      'signing:\n  mine: { scheme: module, module: ./mine.mjs }\n',
    );
    expect(withModule).not.toBe(text);
    expect(markOf(luxcore, withModule)).toBeUndefined();
  });
});
