// Progress while a run goes: one redrawn bar line at a terminal; plain lines in CI (output not a
// TTY, or CI=true), because a log file cannot redraw.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Verdict, VerdictStatus } from '../../src/verdict/verdict.ts';
import { progressReporter, type ProgressStream } from '../../src/report/progress.ts';

function fakeStream(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    columns: 100,
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

function verdict(status: VerdictStatus, scenario: string): Verdict {
  return {
    profile: 'luxcore',
    scenario,
    title: scenario,
    family: 'f',
    severity: 'MUST',
    cite: 'c',
    status,
    runs: 1,
    seed: 1,
    durationMs: 1,
  };
}

/** Four verdicts, one second apart on a fake clock, of ten cases in all. */
function drive(out: ProgressStream, env: NodeJS.ProcessEnv): void {
  let t = 0;
  const p = progressReporter(out, env, () => t);
  (['PASS', 'FAIL', 'SKIP', 'PASS'] as const).forEach((s, i) => {
    t += 1000;
    p.onVerdict(verdict(s, `scenario-${i}`), i + 1, 10);
  });
  p.finish();
}

describe('progress', () => {
  it('at a terminal, redraws one line with a bar, counts, done/total and ETA', () => {
    const out = fakeStream(true);
    drive(out, {});
    const frames = out.text.split('\r\x1b[2K').slice(1);
    expect(frames).toHaveLength(4);
    expect(out.text.match(/\n/g)).toHaveLength(1); // one line, ended once at the finish
    expect(out.text.endsWith('\n')).toBe(true);
    expect(frames[0]).toMatch(
      /^\[#{3,5}-+\] 1\/10 {2}pass 1 {2}fail 0 {2}partial 0 {2}skip 0 {2}error 0 {2}ETA 9s$/,
    );
    expect(frames[3]!.trimEnd()).toMatch(
      /^\[#+-+\] 4\/10 {2}pass 2 {2}fail 1 {2}partial 0 {2}skip 1 {2}error 0 {2}ETA 6s$/,
    );
    // The bar fills as cases are done.
    const filled = frames.map((f) => f.match(/#/g)?.length ?? 0);
    expect(filled).toEqual([...filled].sort((a, b) => a - b));
    expect(filled[3]).toBeGreaterThan(filled[0]!);
    // It fits the terminal.
    for (const f of frames) expect(f.trimEnd().length).toBeLessThanOrEqual(100);
  });

  it('with CI=true, prints plain lines even at a terminal', () => {
    const out = fakeStream(true);
    drive(out, { CI: 'true' });
    expect(out.text).not.toContain('\r');
    expect(out.text).not.toContain('\x1b');
    expect(out.text.split('\n')).toEqual([
      '[ 1/10] PASS  luxcore scenario-0',
      '[ 2/10] FAIL  luxcore scenario-1',
      '[ 3/10] SKIP  luxcore scenario-2',
      '[ 4/10] PASS  luxcore scenario-3',
      '',
    ]);
  });

  it('when the output is not a TTY (a pipe, a log file), prints plain lines', () => {
    const out = fakeStream(false);
    drive(out, {});
    expect(out.text).not.toMatch(/[\r\x1b]/);
    expect(out.text.split('\n')).toHaveLength(5);
    expect(out.text).toContain('[ 2/10] FAIL  luxcore scenario-1\n');
  });

  it('with CI set to anything else than true, a terminal still gets the bar', () => {
    const out = fakeStream(true);
    drive(out, { CI: 'false' });
    expect(out.text).toContain('\r\x1b[2K[');
  });

  describe('while the run waits (a rate window, a Retry-After)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    const notice = {
      reason: 'a fresh rate window of key valid (rate-limit-429)',
      fromMs: 5_000,
      untilMs: 65_000,
    };

    it('in a log, says so in one line per wait, not one per second', () => {
      const out = fakeStream(false);
      const p = progressReporter(out, {}, () => 0);
      p.onWait(notice);
      p.onVerdict(verdict('PASS', 'rate-limit-429'), 1, 2);
      expect(out.text).toBe(
        'waiting 1m00s for a fresh rate window of key valid (rate-limit-429)\n[1/2] PASS  luxcore rate-limit-429\n',
      );
    });

    it('at a terminal, counts down on the progress line until the next verdict', () => {
      vi.useFakeTimers();
      let t = 0;
      const out = fakeStream(true);
      const p = progressReporter(out, {}, () => t);
      p.onWait(notice);
      for (let i = 0; i < 3; i++) {
        t += 1000;
        vi.advanceTimersByTime(1000);
      }
      const frames = out.text.split('\r\x1b[2K').slice(1);
      expect(frames.map((f) => f.match(/waiting (\S+)/)?.[1])).toEqual([
        '1m00s',
        '59s',
        '58s',
        '57s',
      ]);
      expect(out.text).not.toContain('\n');
      // A verdict ends the countdown: no more frames after it.
      p.onVerdict(verdict('PASS', 'rate-limit-429'), 1, 2);
      const drawn = out.text.length;
      t += 5000;
      vi.advanceTimersByTime(5000);
      expect(out.text.length).toBe(drawn);
      p.finish();
    });
  });
});
