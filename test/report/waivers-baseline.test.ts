// The waiver and baseline rules on their own, case by case: what is waived (FAIL and ERROR, never
// SKIP), what makes a waiver stale, and how each pair is classified against a baseline.
import { describe, expect, it } from 'vitest';
import type { Verdict, VerdictStatus } from '../../src/verdict/verdict.ts';
import { applyWaivers, type Waiver } from '../../src/report/waivers.ts';
import { compareWithBaseline, type BaselineReport } from '../../src/report/baseline.ts';

function verdict(scenario: string, status: VerdictStatus, extra: Partial<Verdict> = {}): Verdict {
  return {
    profile: 'luxcore',
    scenario,
    title: scenario,
    family: scenario,
    severity: 'MUST',
    cite: '',
    status,
    ...(status === 'PASS' ? {} : { reason: `${status} reason` }),
    runs: 1,
    seed: 1,
    durationMs: 1,
    ...extra,
  };
}

function waiver(scenario: string, expires = '2030-01-01'): Waiver {
  return {
    scenario,
    profile: 'luxcore',
    reason: 'known',
    issue: 'https://tracker.example.com/1',
    expires,
    at: `w.yaml:1:3`,
  };
}

const run = (scenarios: string[], today = '2029-12-31') => ({
  file: 'w.yaml',
  profiles: ['luxcore'],
  scenarios,
  today,
});

describe('applyWaivers', () => {
  it('waives a FAIL and an ERROR, keeping the status each had; never a SKIP', () => {
    const { verdicts, record } = applyWaivers(
      [verdict('a', 'FAIL'), verdict('b', 'ERROR'), verdict('c', 'SKIP')],
      [waiver('a'), waiver('b'), waiver('c')],
      run(['a', 'b', 'c']),
    );
    expect(verdicts.map((v) => [v.status, v.waiver?.status])).toEqual([
      ['WAIVED', 'FAIL'],
      ['WAIVED', 'ERROR'],
      ['SKIP', undefined],
    ]);
    expect(record.waived).toBe(2);
    expect(record.problems).toEqual([]);
    expect(record.unchecked.map((u) => u.scenario)).toEqual(['c']);
  });

  it('holds on its last day and is stale the day after', () => {
    const onTheDay = applyWaivers([verdict('a', 'FAIL')], [waiver('a', '2029-12-31')], run(['a']));
    expect(onTheDay.verdicts[0]!.status).toBe('WAIVED');
    const after = applyWaivers(
      [verdict('a', 'FAIL')],
      [waiver('a', '2029-12-31')],
      run(['a'], '2030-01-01'),
    );
    expect(after.verdicts[0]!.status).toBe('FAIL');
    expect(after.record.problems.map((p) => p.kind)).toEqual(['expired']);
  });

  it('is stale when the scenario passes (also PARTIAL) or does not apply; ignores what the run left out', () => {
    const { record } = applyWaivers(
      [verdict('a', 'PASS'), verdict('b', 'PARTIAL')],
      [waiver('a'), waiver('b'), waiver('c'), waiver('not-selected')],
      run(['a', 'b', 'c']),
    );
    expect(record.problems.map((p) => [p.scenario, p.kind])).toEqual([
      ['a', 'no-longer-fails'],
      ['b', 'no-longer-fails'],
      ['c', 'not-applicable'],
    ]);
  });
});

describe('compareWithBaseline', () => {
  const baseline = (verdicts: Verdict[]): BaselineReport => ({
    file: 'old.json',
    date: '2026-01-01T00:00:00.000Z',
    profiles: ['luxcore'],
    verdicts,
  });

  it('classifies each pair; a WAIVED counts as the failure it is, a SKIP is not compared', () => {
    const waived = verdict('w', 'WAIVED', {
      waiver: { reason: 'r', issue: 'i', expires: '2030-01-01', at: 'x', status: 'FAIL' },
    });
    const b = compareWithBaseline(
      [
        verdict('new', 'FAIL'),
        verdict('fixed', 'PASS'),
        verdict('still', 'ERROR'),
        verdict('same', 'PARTIAL'),
        verdict('skipped-now', 'SKIP'),
        verdict('absent-fail', 'FAIL'),
        verdict('absent-pass', 'PASS'),
        verdict('was-skipped', 'FAIL'),
        waived,
      ],
      baseline([
        verdict('new', 'PASS'),
        verdict('fixed', 'FAIL'),
        verdict('still', 'FAIL'),
        verdict('same', 'PASS'),
        verdict('skipped-now', 'FAIL'),
        verdict('was-skipped', 'SKIP'),
        { ...waived, scenario: 'w' },
      ]),
    );
    expect(Object.fromEntries(b.changes.map((c) => [c.scenario, c.change]))).toEqual({
      new: 'new-failure',
      fixed: 'fixed',
      still: 'still-failing',
      same: 'unchanged-pass',
      'skipped-now': 'not-compared',
      'absent-fail': 'new-failure',
      'absent-pass': 'not-compared',
      'was-skipped': 'new-failure',
      w: 'still-failing',
    });
    expect(b.changes.find((c) => c.scenario === 'w')).toMatchObject({
      was: 'WAIVED (FAIL)',
      now: 'WAIVED (FAIL)',
    });
  });
});
