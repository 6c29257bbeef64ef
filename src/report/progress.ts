/**
 * Progress while a run goes. A person at a terminal sees one line, redrawn in place: a bar,
 * done/total, the counts so far and an estimate of the time left. A CI log (output not a TTY, or
 * CI=true as every CI service sets it) gets one plain line per verdict instead, because a
 * redrawn line turns into thousands of lines of carriage returns in a log file. A wait of the run
 * (a rate window, a Retry-After) is a countdown on that line at a terminal, one line in a log.
 */
import type { Verdict, VerdictStatus } from '../verdict/verdict.ts';
import type { WaitNotice } from '../targets/run-deadline.ts';
import { escapeControls } from './escape-controls.ts';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  onVerdict(v: Verdict, done: number, total: number): void;
  /** The run is waiting: until `untilMs`, for `reason`. */
  onWait(w: WaitNotice): void;
  /** Ends the redrawn line, so what follows starts on a line of its own. */
  finish(): void;
}

export function wantsProgressBar(out: ProgressStream, env: NodeJS.ProcessEnv): boolean {
  return out.isTTY === true && !/^(true|1)$/i.test(env.CI ?? '');
}

export function progressReporter(
  out: ProgressStream,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): Progress {
  return wantsProgressBar(out, env) ? progressBar(out, now) : plainLines(out);
}

function plainLines(out: ProgressStream): Progress {
  return {
    onWait: (w) =>
      out.write(`waiting ${duration(w.untilMs - w.fromMs)} for ${escapeControls(w.reason)}\n`),
    onVerdict: (v, done, total) =>
      out.write(
        `[${String(done).padStart(String(total).length)}/${total}] ${v.status.padEnd(5)} ${escapeControls(`${v.profile} ${v.scenario}`)}\n`,
      ),
    finish: () => {},
  };
}

function progressBar(out: ProgressStream, now: () => number): Progress {
  const started = now();
  const counts: Record<VerdictStatus, number> = {
    PASS: 0,
    PARTIAL: 0,
    FAIL: 0,
    SKIP: 0,
    ERROR: 0,
    WAIVED: 0,
  };
  let drawn = false;
  let countdown: NodeJS.Timeout | undefined;
  const stopCountdown = () => {
    clearInterval(countdown);
    countdown = undefined;
  };
  return {
    onWait(w) {
      stopCountdown();
      // The wait's end in this reporter's time: the notice's clock may not be ours.
      const ends = now() + (w.untilMs - w.fromMs);
      const draw = () => {
        const left = ends - now();
        if (left <= 0) return stopCountdown();
        const text = ` waiting ${duration(left)} for ${escapeControls(w.reason)}`;
        out.write(`\r\x1b[2K${text.slice(0, Math.max(20, (out.columns || 80) - 1))}`);
        drawn = true;
      };
      draw();
      countdown = setInterval(draw, 1000);
      countdown.unref();
    },
    onVerdict(v, done, total) {
      stopCountdown();
      counts[v.status]++;
      const elapsed = now() - started;
      const eta = done > 0 ? (elapsed / done) * (total - done) : undefined;
      const text = ` ${done}/${total}  pass ${counts.PASS}  fail ${counts.FAIL}  partial ${counts.PARTIAL}  skip ${counts.SKIP}  error ${counts.ERROR}  ETA ${eta === undefined ? '?' : duration(eta)}`;
      const width = Math.max(10, Math.min(40, (out.columns || 80) - text.length - 3));
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      // \r back to the start of the line, ESC[2K clears it: the bar is redrawn, never appended.
      out.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${text}`);
      drawn = true;
    },
    finish() {
      stopCountdown();
      if (drawn) out.write('\n');
    },
  };
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
