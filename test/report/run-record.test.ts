// The run record all four reports read: --fail-on decides which failures fail the run, the
// overall verdict and exit code come from one function, and every string in it is masked.
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/verdict/exit-code.ts';
import type { Verdict, VerdictStatus } from '../../src/verdict/verdict.ts';
import { buildRunRecord, type FailOn } from '../../src/report/run-record.ts';
import { withWaiversAndBaseline } from '../../src/report/waivers-baseline-gate.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';

function verdict(status: VerdictStatus, severity: 'MUST' | 'SHOULD' = 'MUST'): Verdict {
  return {
    profile: 'luxcore',
    scenario: `${status.toLowerCase()}-${severity.toLowerCase()}`,
    title: 't',
    family: 'f',
    severity,
    cite: 'c',
    status,
    ...(status === 'PASS' ? {} : { reason: `${status} reason` }),
    runs: 1,
    seed: 1,
    durationMs: 1,
  };
}

function record(
  verdicts: Verdict[],
  failOn: FailOn = 'must',
  extra: Partial<{ url: string; secrets: string[] }> = {},
) {
  return buildRunRecord({
    profiles: [resolveProfile('luxcore')],
    target: { description: extra.url ?? 'mock', url: extra.url ?? 'http://127.0.0.1:4010' },
    seed: 1,
    runs: 1,
    failOn,
    verdicts,
    rerun: (v) => `npx authconform run --scenario ${v.scenario} --target ${extra.url ?? 'mock'}`,
    secrets: extra.secrets ?? [],
    startedAt: new Date(0),
    durationMs: 0,
  });
}

describe('--fail-on and the exit code', () => {
  const pass = verdict('PASS');
  const failShould = verdict('FAIL', 'SHOULD');
  const failMust = verdict('FAIL', 'MUST');

  it('with --fail-on must (the default), a SHOULD failure is reported but the run passes', () => {
    expect(exitCodeOf([pass, failShould])).toBe(0);
    expect(exitCodeOf([pass, failShould], 'must')).toBe(0);
    const r = record([pass, failShould]);
    expect(r.overall).toEqual({
      verdict: 'PASS',
      exitCode: 0,
      banner: 'PASS',
      reason:
        'every MUST requirement that applies passed (1 passed); 1 SHOULD requirement(s) failed, reported without failing the run (--fail-on must)',
    });
  });

  it('with --fail-on should, a SHOULD failure fails the run', () => {
    expect(exitCodeOf([pass, failShould], 'should')).toBe(1);
    expect(record([pass, failShould], 'should').overall).toMatchObject({
      verdict: 'FAIL',
      exitCode: 1,
      reason: '0 MUST, 1 SHOULD requirement(s) failed (--fail-on should)',
    });
  });

  it('a MUST failure fails the run with either setting', () => {
    for (const failOn of ['must', 'should'] as const) {
      expect(exitCodeOf([pass, failMust], failOn)).toBe(1);
      expect(record([pass, failMust], failOn).overall.verdict).toBe('FAIL');
    }
  });

  it('an ERROR is exit code 3 whatever else happened; a run of only skips is 1', () => {
    expect(exitCodeOf([pass, failMust, verdict('ERROR')], 'should')).toBe(3);
    expect(record([pass, verdict('ERROR')]).overall.verdict).toBe('ERROR');
    expect(exitCodeOf([verdict('SKIP')])).toBe(1);
    expect(record([verdict('SKIP')]).overall.reason).toMatch(/^nothing passed/);
    expect(record([pass, verdict('SKIP')]).overall.reason).toContain(
      '1 skipped (a skip is never counted as a pass)',
    );
  });
});

describe('masking in the record', () => {
  const secret = 'qp_test_sk_Sd0j25szyyZUs6GmMsckk0BCLE9GhCe3';

  it('masks a secret anywhere in a verdict, a reason quoting a body included', () => {
    const v = { ...verdict('FAIL'), reason: `got 401 {"key":"${secret}"}` };
    const r = record([verdict('PASS'), v], 'must', { secrets: [secret] });
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(r.verdicts[1]!.reason).toBe('got 401 {"key":"qp_test_sk_…hCe3"}');
  });

  it('masks the password of a target URL, short ones too, in the target and the rerun command', () => {
    const url = 'https://ci:pw7@staging.example.com';
    const error = {
      ...verdict('ERROR'),
      reason:
        'the target could not be asked: POST https://ci:pw7@staging.example.com/v1/x timed out',
    };
    const r = record([verdict('PASS'), error], 'must', { url });
    expect(JSON.stringify(r)).not.toContain('pw7');
    expect(r.target.url).toBe('https://ci:****@staging.example.com');
    expect(r.verdicts[0]!.rerun).toContain('--target https://ci:****@staging.example.com');
    expect(r.verdicts[1]!.reason).toContain('POST https://ci:****@staging.example.com/v1/x');
  });
});

describe('a PARTIAL verdict (the checks that ran held; part of the requirement was not checked)', () => {
  const partial = verdict('PARTIAL');

  it('is never counted as a pass: the totals and the overall reason say it apart', () => {
    const r = record([verdict('PASS'), partial]);
    expect(r.totals).toMatchObject({ pass: 1, partial: 1 });
    expect(r.overall.reason).toMatch(/1 partial \(passed what could be checked/);
  });

  it('does not fail a gating run, and a run of only PARTIAL verdicts still checked something', () => {
    expect(exitCodeOf([verdict('PASS'), partial])).toBe(0);
    expect(exitCodeOf([partial])).toBe(0);
    expect(exitCodeOf([verdict('SKIP')])).toBe(1);
  });
});

describe('a MUST not checked in full (SKIP or PARTIAL)', () => {
  const gaps = [verdict('PASS'), verdict('SKIP'), verdict('PARTIAL')];

  it('never gives "every MUST requirement passed": the banner says PASS with gaps (exit 0 by default)', () => {
    const r = record(gaps);
    expect(r.overall).toMatchObject({
      verdict: 'PASS',
      exitCode: 0,
      banner: 'PASS with gaps: 2 MUST not checked',
    });
    expect(r.overall.reason).not.toMatch(/every MUST requirement (that applies )?passed/);
    expect(r.overall.reason).toMatch(
      /^2 MUST requirement\(s\) not checked in full \(1 skipped, 1 partial\)/,
    );
  });

  it('fails the run with --fail-on skip (exit 1); a SKIPped SHOULD does not', () => {
    expect(exitCodeOf(gaps, 'skip')).toBe(1);
    expect(exitCodeOf([verdict('PASS'), verdict('PARTIAL')], 'skip')).toBe(1);
    expect(exitCodeOf([verdict('PASS'), verdict('SKIP', 'SHOULD')], 'skip')).toBe(0);
    expect(exitCodeOf([verdict('PASS'), verdict('FAIL', 'SHOULD')], 'skip')).toBe(0);
    expect(record(gaps, 'skip').overall).toMatchObject({
      verdict: 'FAIL',
      exitCode: 1,
      banner: 'FAIL',
    });
    expect(record(gaps, 'skip').overall.reason).toMatch(
      /^2 MUST requirement\(s\) not checked in full \(1 skipped, 1 partial\): --fail-on skip fails/,
    );
  });

  it('counts the coverage per profile from the verdicts (not-applicable ones come from the plan)', () => {
    expect(record(gaps).coverage).toEqual([
      expect.objectContaining({
        profile: 'luxcore',
        applicable: 3,
        checked: 1,
        partial: 1,
        skipped: 1,
        notApplicable: 0,
        must: { applicable: 3, checked: 1, notChecked: 2 },
      }),
    ]);
  });
});

describe('the banner once a baseline tolerates the known failures (--fail-on new)', () => {
  it('still says PASS with gaps when a MUST was not checked in full', () => {
    const fail = verdict('FAIL');
    const r = record([verdict('PASS'), fail, verdict('SKIP')]);
    expect(r.overall.verdict).toBe('FAIL');
    const still = {
      profile: fail.profile,
      scenario: fail.scenario,
      severity: 'MUST' as const,
      change: 'still-failing' as const,
      was: 'FAIL',
      now: 'FAIL',
    };
    const judged = withWaiversAndBaseline(r, {
      failOnNew: true,
      baseline: {
        file: 'baseline.json',
        date: '2026-01-01T00:00:00.000Z',
        counts: {
          'new-failure': 0,
          fixed: 0,
          'still-failing': 1,
          'unchanged-pass': 1,
          'not-compared': 1,
        },
        changes: [still],
      } as unknown as Parameters<typeof withWaiversAndBaseline>[1]['baseline'] & object,
    });
    expect(judged.overall).toMatchObject({
      verdict: 'PASS',
      exitCode: 0,
      banner: 'PASS with gaps: 1 MUST not checked',
    });
  });
});
