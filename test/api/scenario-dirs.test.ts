// verify({ scenarioDirs }) runs a team's own scenarios beside the built-in ones, with teeth (a
// server with the mistake the scenario guards against fails it), selected, waived and rerun like
// a built-in scenario; a profile's own `cites` is what the reports show for a scenario.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/api/verify.ts';
import { markdownReport } from '../../src/report/markdown-report.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { SpecError } from '../../src/spec/spec-error.ts';
import { brokenTarget, swapValue, type BrokenServer } from '../support/broken-targets.ts';
import { teamScenario } from '../support/team-scenario.ts';

const ROOT = join(import.meta.dirname, '../..');
const TEAM_ID = 'team-revoked-on-writes';

/** A folder with the team's scenario: revoked keys are refused on the routes that write, too. */
function teamFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-team-'));
  writeFileSync(
    join(dir, 'writes.yaml'),
    teamScenario(TEAM_ID, ['luxcore: "Deactivate the old key in the Dashboard"']),
  );
  return dir;
}

/** A write path that checks keys against a cache revocation never reaches; reads are right. */
const REVOCATION_IGNORED_ON_WRITES: BrokenServer = {
  name: 'revocation ignored on writes',
  profile: 'luxcore',
  models: 'a write handler that reads keys from a cache that revocation never invalidates',
  caughtBy: [TEAM_ID],
  rewrite: (req, creds) =>
    req.body ? swapValue(req, creds.keys!.revoked!.value, creds.keys!.valid!.value) : req,
};

describe('verify with scenarioDirs', () => {
  it("runs the team's scenario on the bundled mock, and it passes", async () => {
    const record = await verify({
      profile: 'luxcore',
      target: 'mock',
      scenarioDirs: [teamFolder()],
      scenarios: [TEAM_ID],
      runs: 5,
      seed: 1,
    });
    expect(record.verdicts.map((v) => [v.scenario, v.status, v.cite])).toEqual([
      [TEAM_ID, 'PASS', 'Deactivate the old key in the Dashboard'],
    ]);
    expect(record.scenarioFiles.map((f) => f.file)).toContainEqual(
      expect.stringMatching(/writes\.yaml$/),
    );
  });

  it('fails a server with the mistake the scenario guards against', async () => {
    const { target, creds } = await brokenTarget(REVOCATION_IGNORED_ON_WRITES);
    const dir = teamFolder();
    const record = await verify({
      profile: 'luxcore',
      target,
      credentials: creds,
      scenarioDirs: [dir],
      scenarios: [TEAM_ID],
      runs: 10,
      seed: 1,
    });
    const [verdict] = record.verdicts;
    expect(verdict?.status, verdict?.reason).toBe('FAIL');
    expect(record.overall.exitCode).toBe(1);
    // The rerun command names the folder, so it finds the scenario again.
    expect(verdict?.rerun).toContain(`--scenarios ${dir}`);
    expect(verdict?.rerun).toContain(`--scenario ${TEAM_ID}`);
  });

  it("waives a known failure of the team's scenario like a built-in one", async () => {
    const { target, creds } = await brokenTarget(REVOCATION_IGNORED_ON_WRITES);
    const dir = teamFolder();
    const waivers = join(mkdtempSync(join(tmpdir(), 'authconform-waivers-')), 'waivers.yaml');
    writeFileSync(
      waivers,
      [
        '- profile: luxcore',
        `  scenario: ${TEAM_ID}`,
        '  reason: the write cache is invalidated from release 4.2',
        '  issue: https://tracker.example/ENG-7',
        '  expires: 2099-01-01',
        '',
      ].join('\n'),
    );
    const record = await verify({
      profile: 'luxcore',
      target,
      credentials: creds,
      scenarioDirs: [dir],
      scenarios: [TEAM_ID],
      runs: 10,
      seed: 1,
      waivers,
    });
    expect(record.verdicts.map((v) => v.status)).toEqual(['WAIVED']);
    expect(record.totals.waived).toBe(1);
  });

  it("shows the profile's own citation in the Markdown report", async () => {
    const { target, creds } = await brokenTarget(REVOCATION_IGNORED_ON_WRITES);
    const luxcore = resolveProfile('luxcore');
    const own = 'Acme guide §4: a revoked key is refused on every call, writes included.';
    const record = await verify({
      profile: { ...luxcore, profile: { ...luxcore.profile, cites: { [TEAM_ID]: own } } },
      target,
      credentials: creds,
      scenarioDirs: [teamFolder()],
      scenarios: [TEAM_ID],
      runs: 10,
      seed: 1,
    });
    expect(record.verdicts.map((v) => [v.status, v.cite])).toEqual([['FAIL', own]]);
    expect(markdownReport(record)).toContain(`Requirement: ${own}`);
  });

  it('refuses a profile citing an id no scenario has, at its line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-cites-'));
    const file = join(dir, 'profile.yaml');
    const text = readFileSync(join(ROOT, 'specs/profiles/luxcore.yaml'), 'utf8')
      .replace(/^id: luxcore$/m, 'id: acme')
      .concat('\ncites:\n  revoked-on-writes: "Acme guide §4."\n');
    writeFileSync(file, text);
    const line = text.split('\n').indexOf('  revoked-on-writes: "Acme guide §4."') + 1;
    const run = verify({ profile: file, target: 'mock', runs: 1, seed: 1 });
    await expect(run).rejects.toThrow(SpecError);
    await expect(run).rejects.toThrow(
      `${line}:3: cites "revoked-on-writes", which names no scenario: neither a built-in one nor one of the scenario files given with --scenarios`,
    );
  });
});
