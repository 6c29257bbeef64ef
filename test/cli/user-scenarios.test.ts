// A team's own scenarios from the command line: `validate` checks a scenarios folder of any name
// (and a profile's `cites` against the scenarios given with it), `run --scenarios DIR` runs them
// beside the built-in ones.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain as cli } from './run-main.ts';
import { teamScenario } from '../support/team-scenario.ts';

const ROOT = join(import.meta.dirname, '../..');

/** The team's scenario: revoked keys are refused on the routes that write, too. */
const TEAM_SCENARIO = teamScenario();

/** A project folder: team-checks/ (the scenario), acme/profile.yaml (luxcore's, renamed). */
function project(cites: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-user-scenarios-'));
  mkdirSync(join(dir, 'team-checks'));
  writeFileSync(join(dir, 'team-checks/writes.yaml'), TEAM_SCENARIO);
  mkdirSync(join(dir, 'acme'));
  const profile = readFileSync(join(ROOT, 'specs/profiles/luxcore.yaml'), 'utf8')
    .replace(/^id: luxcore$/m, 'id: acme')
    .concat(cites.length > 0 ? ['', 'cites:', ...cites.map((c) => `  ${c}`), ''].join('\n') : '');
  writeFileSync(join(dir, 'acme/profile.yaml'), profile);
  return dir;
}

describe('authconform validate with a scenarios folder', () => {
  it('validates a folder of scenario files whatever its name', async () => {
    const dir = project();
    const r = await cli('validate', join(dir, 'team-checks'));
    expect(r.stdout).toMatch(/^ok\s+scenario\s+\S*team-checks\/writes\.yaml$/m);
    expect(r.code).toBe(0);
  });

  it('refuses a scenario id a built-in scenario has, naming both places', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'team-checks/clash.yaml'),
      TEAM_SCENARIO.replace('team-revoked-on-writes', 'revoked-key-refused'),
    );
    const r = await cli('validate', join(dir, 'team-checks'));
    expect(r.stdout + r.stderr).toMatch(
      /team-checks\/clash\.yaml:2:9: scenario id "revoked-key-refused" is already used at specs\/scenarios\/revoked-key\.yaml:3:9/,
    );
    expect(r.code).toBe(1);
  });

  it("checks a profile's cites against the built-in scenarios and those given with it", async () => {
    const dir = project([
      'team-revoked-on-writes: "Acme guide §4: revoked keys fail on writes too."',
      'revoked-key-refused: "Acme guide §4: a revoked key fails at once."',
    ]);
    const profile = join(dir, 'acme/profile.yaml');
    const line = readFileSync(profile, 'utf8').split('\n').indexOf('cites:') + 2;

    const alone = await cli('validate', profile);
    expect(alone.stdout + alone.stderr).toMatch(
      new RegExp(
        `acme/profile\\.yaml:${line}:3: cites "team-revoked-on-writes", which names no scenario: neither a built-in one nor one of the scenario files given with it to validate`,
      ),
    );
    expect(alone.code).toBe(1);

    const withScenarios = await cli('validate', profile, join(dir, 'team-checks'));
    expect(withScenarios.stdout).toMatch(/^ok\s+profile\s+\S*acme\/profile\.yaml$/m);
    expect(withScenarios.code).toBe(0);
  });
});

describe('authconform run --scenarios', () => {
  it("runs the team's scenario, and its rerun command carries --scenarios and runs it again", async () => {
    const dir = project();
    const json = join(dir, 'report.json');
    const given = ['--profile', 'luxcore', '--scenarios', join(dir, 'team-checks')];
    const only = ['--scenario', 'team-revoked-on-writes', '--runs', '3', '--seed', '2'];
    const first = await cli('run', ...given, ...only, '--json', json);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [verdict] = JSON.parse(readFileSync(json, 'utf8')).verdicts;
    expect([verdict.scenario, verdict.status]).toEqual(['team-revoked-on-writes', 'PASS']);
    expect(verdict.rerun).toContain(`--scenarios ${join(dir, 'team-checks')}`);

    const again = await cli(...verdict.rerun.replace(/^npx authconform /, '').split(' '));
    expect(again.stdout).toMatch(/^luxcore\s+team-revoked-on-writes\s+MUST\s+PASS$/m);
    expect(again.code).toBe(0);
  });
});
