// `--profile` of run, mock and list: one profile, all of them, or a comma-separated list.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileList } from '../../src/cli/profile-list.ts';
import { PROFILES_DIR } from '../../src/spec/spec-paths.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { runMain } from './run-main.ts';

describe('profileList', () => {
  it('takes one profile, all of them, or a comma-separated list in its order', () => {
    expect(profileList('luxcore')).toEqual(['luxcore']);
    expect(profileList('all')).toEqual(['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay']);
    expect(profileList('vaulera, luxcore')).toEqual(['vaulera', 'luxcore']);
  });

  it('takes a file whose name has a comma as that one file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'authconform-list-')), 'my,api.yaml');
    writeFileSync(file, 'id: x\n');
    expect(profileList(file)).toEqual([file]);
  });

  it('refuses an empty name, "all" inside a list and a name given twice, saying which', () => {
    expect(() => profileList('luxcore,,gateway')).toThrow(UsageError);
    expect(() => profileList('luxcore,')).toThrow(/a list names each profile once/);
    expect(() => profileList('all,luxcore')).toThrow(/"all" stands alone/);
    expect(() => profileList('luxcore,gateway,luxcore')).toThrow(
      '--profile "luxcore,gateway,luxcore" names luxcore twice',
    );
  });

  it('refuses a profile named twice under two names: its id and its file, or two paths to one file', () => {
    expect(() => profileList('luxcore,specs/profiles/luxcore.yaml')).toThrow(
      '--profile "luxcore,specs/profiles/luxcore.yaml" names luxcore twice: luxcore and specs/profiles/luxcore.yaml are the same profile file',
    );
    expect(() => profileList('specs/profiles/gateway.yaml,./specs/profiles/gateway.yaml')).toThrow(
      /names specs\/profiles\/gateway\.yaml twice: .* are the same profile file/,
    );
    // Two files of the same name in two folders are two profiles.
    const dir = mkdtempSync(join(tmpdir(), 'authconform-list-'));
    writeFileSync(join(dir, 'luxcore.yaml'), 'id: x\n');
    expect(profileList(`luxcore,${join(dir, 'luxcore.yaml')}`)).toHaveLength(2);
  });

  it('refuses the same file reached through a link (a package installed by pnpm, whose node_modules links it) or under a name the built-in profiles resolve', () => {
    const link = join(mkdtempSync(join(tmpdir(), 'authconform-list-')), 'linked.yaml');
    symlinkSync(join(PROFILES_DIR, 'luxcore.yaml'), link);
    expect(() => profileList(`luxcore,${link}`)).toThrow(
      `--profile "luxcore,${link}" names luxcore twice: luxcore and ${link} are the same profile file`,
    );
    // resolveProfile reads "./luxcore" as the built-in luxcore.yaml.
    expect(() => profileList('luxcore,./luxcore')).toThrow(/are the same profile file/);
  });
});

describe('authconform run --profile a,b', () => {
  it('runs each listed profile, and a case reruns with its own profile alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-list-run-'));
    const json = join(dir, 'report.json');
    const r = await runMain(
      'run',
      '--profile',
      'luxcore,gateway',
      '--scenario',
      'missing-key',
      '--runs',
      '1',
      '--json',
      json,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('authconform run: luxcore, gateway against the bundled mock');
    const { verdicts } = (await import(json, { with: { type: 'json' } })).default as {
      verdicts: { profile: string; status: string; rerun: string }[];
    };
    expect(verdicts.map((v) => `${v.profile} ${v.status}`)).toEqual([
      'luxcore PASS',
      'gateway PASS',
    ]);
    for (const v of verdicts)
      expect(v.rerun).toMatch(new RegExp(`^npx authconform run --profile ${v.profile} `));
  });

  it('refuses a list against a URL, which implements one profile', async () => {
    const r = await runMain(
      'run',
      '--profile',
      'luxcore,gateway',
      '--target',
      'http://127.0.0.1:9',
      '--credentials',
      'creds.yaml',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--profile names 2 profiles (all, or a list)');
  });
});
