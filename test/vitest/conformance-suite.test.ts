// authconform/vitest judges a case as the run's record judges it: a failure a waiver covers, and
// under failOn 'new' one the baseline already had, pass their test with a note, as they leave
// the record's exit code 0. The tests named after the scenario are declared by conformanceSuite
// itself against a target that accepts a revoked key; the last two check that it was caught.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonReport, verify, type RunRecord } from 'authconform';
import { conformanceSuite } from 'authconform/vitest';
import { BROKEN_CORPUS } from '../support/broken-corpus.ts';
import { brokenTarget } from '../support/broken-targets.ts';

const REVOKED_ACCEPTED = BROKEN_CORPUS.find(
  (b) => b.profile === 'luxcore' && b.name === 'revoked key still accepted',
)!;
// missing-key passes: a run where nothing passed fails whatever its waivers and baseline say.
const run = {
  profile: 'luxcore',
  scenarios: ['missing-key', 'revoked-key-refused'],
  runs: 5,
  seed: 3,
} as const;
const statuses = (r: RunRecord) => r.verdicts.map((v) => `${v.scenario} ${v.status}`).sort();
const dir = mkdtempSync(join(tmpdir(), 'authconform-suite-'));

const waivers = join(dir, 'waivers.yaml');
writeFileSync(
  waivers,
  [
    '- profile: luxcore',
    '  scenario: revoked-key-refused',
    '  reason: revocation reaches the cache from release 4.2',
    '  issue: https://tracker.example/ENG-9',
    '  expires: 2099-01-01',
    '',
  ].join('\n'),
);
const waived = await brokenTarget(REVOKED_ACCEPTED);
const waivedSuite = conformanceSuite({
  ...run,
  target: waived.target,
  credentials: waived.creds,
  waivers,
  describeName: () => 'a failure a waiver covers',
});

// The baseline: an earlier run of the same broken target, its failure in its report.json.
const earlier = await brokenTarget(REVOKED_ACCEPTED);
const baseline = join(dir, 'report.json');
writeFileSync(
  baseline,
  jsonReport(await verify({ ...run, target: earlier.target, credentials: earlier.creds })),
);
await earlier.target.close();
const known = await brokenTarget(REVOKED_ACCEPTED);
const knownSuite = conformanceSuite({
  ...run,
  target: known.target,
  credentials: known.creds,
  baseline,
  failOn: 'new',
  describeName: () => "a failure the baseline had, under failOn 'new'",
});

afterAll(async () => {
  await waived.target.close();
  await known.target.close();
});

describe('what those runs recorded', () => {
  it('the waived failure was found and waived: the run passes', async () => {
    const record = await waivedSuite.record();
    expect(statuses(record)).toEqual(['missing-key PASS', 'revoked-key-refused WAIVED']);
    expect(record.overall.exitCode).toBe(0);
  });

  it('the failure the baseline had was found again and tolerated: the run passes', async () => {
    const record = await knownSuite.record();
    expect(statuses(record)).toEqual(['missing-key PASS', 'revoked-key-refused FAIL']);
    expect(record.baseline?.counts['still-failing']).toBe(1);
    expect(record.overall.exitCode).toBe(0);
  });
});

describe('conformanceSuite option checks', () => {
  it('throws a mistaken option while the file is collected, before declaring a test', () => {
    expect(() =>
      conformanceSuite({ profile: 'luxcore', target: 'http://127.0.0.1:1', runs: 2 }),
    ).toThrow(/a URL target needs --credentials FILE/);
    expect(() => conformanceSuite({ profile: 'luxcore', runs: 0 })).toThrow(
      /--runs must be at least 1/,
    );
  });
});
