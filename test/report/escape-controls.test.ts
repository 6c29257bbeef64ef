// A target's answer cannot drive the reader's terminal or reorder what they read (issue 12,
// item 9): every human-facing output writes control characters, C1 controls and bidi/invisible
// format characters out visibly, and report.json keeps the exact data with them \u-escaped.
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeControls } from '../../src/report/escape-controls.ts';
import { failureDetails, summaryTable } from '../../src/report/console-report.ts';
import { progressReporter } from '../../src/report/progress.ts';
import { markdownReport } from '../../src/report/markdown-report.ts';
import { junitReport } from '../../src/report/junit-report.ts';
import { htmlReport } from '../../src/report/html-report.ts';
import { jsonReport } from '../../src/report/json-report.ts';
import { curlCommand } from '../../src/report/curl-command.ts';
import type { RunRecord } from '../../src/report/run-record.ts';
import { knownRun } from './known-run.ts';

/** What a hostile target answers: clear screen, a hidden link, a new window title, and worse. */
export const HOSTILE =
  '\x1b[2J\x1b[H' + // clear the screen
  '\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07' + // OSC 8 hyperlink
  '\x1b]0;pwned\x07' + // OSC 0 window title
  'over\rwritten' + // CR: the line is overwritten
  '\x07\x00\x08\x7f' + // BEL, NUL, backspace, DEL
  '\x9b31m' + // C1 CSI: SGR on terminals that take 8-bit controls
  '\u202eevil\u202c \u2066iso\u2069 \u200bzero\u200dwidth\u2028\ud800' + // bidi, invisible, lone surrogate
  '\u{e0041}'; // a tag character (ASCII smuggling)

/** Every character above that must never reach a reader raw (newline and tab may). */
export const RAW_CONTROLS = [
  ...new Set(
    [...HOSTILE].filter(
      (c) => !/[\x20-\x7e]/.test(c), // the printable ASCII around them is fine
    ),
  ),
];

/** The raw controls found in a text, as code points (empty when it is safe to show). */
export function rawControlsIn(text: string): string[] {
  return RAW_CONTROLS.filter((c) => text.includes(c)).map(
    (c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

/** Every string of a value with the hostile text in it, but the verdict's status and severity. */
function poisoned<T>(value: T): T {
  if (typeof value === 'string') return `${value}${HOSTILE}` as T;
  if (Array.isArray(value)) return value.map(poisoned) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === 'status' || k === 'severity' ? v : poisoned(v),
      ]),
    ) as T;
  return value;
}

describe('escapeControls', () => {
  it('writes each control, C1 control, bidi and invisible character out visibly', () => {
    expect(escapeControls(HOSTILE)).toBe(
      '\\x1b[2J\\x1b[H\\x1b]8;;https://evil.example/\\x07click me\\x1b]8;;\\x07\\x1b]0;pwned\\x07' +
        'over\\rwritten\\x07\\x00\\x08\\x7f\\x9b31m' +
        '\\u202eevil\\u202c \\u2066iso\\u2069 \\u200bzero\\u200dwidth\\u2028\\ud800\\u{e0041}',
    );
  });

  it('keeps newlines, tabs, backslashes and every printable character, of any script', () => {
    const text = 'line 1\n\tline 2 {"a":"\\u0041"} café 日本 😀 ✅ ⚠️';
    expect(escapeControls(text)).toBe(text);
  });

  it('is idempotent: what it writes holds nothing to escape again', () => {
    expect(escapeControls(escapeControls(HOSTILE))).toBe(escapeControls(HOSTILE));
    expect(rawControlsIn(escapeControls(HOSTILE))).toEqual([]);
  });
});

describe('every human-facing output of a run whose every string a target poisoned', () => {
  let hostile: RunRecord;
  beforeAll(async () => {
    const { record } = await knownRun();
    hostile = { ...record, verdicts: poisoned(record.verdicts) };
  }, 60_000);

  it('the search sees the raw controls in the poisoned record (positive control)', () => {
    expect(rawControlsIn(hostile.verdicts.map((v) => v.reason).join('\n'))).toHaveLength(
      RAW_CONTROLS.length,
    );
  });

  it('the console: failures in full, the summary table and the progress lines', () => {
    const failures = hostile.verdicts.filter((v) => v.status === 'FAIL');
    expect(failures.length).toBeGreaterThan(0);
    for (const v of failures) expect(rawControlsIn(failureDetails(v, v.rerun))).toEqual([]);
    expect(rawControlsIn(summaryTable(hostile.verdicts))).toEqual([]);
    let text = '';
    const progress = progressReporter({ isTTY: false, write: (s: string) => (text += s) }, {});
    hostile.verdicts.forEach((v, i) => progress.onVerdict(v, i + 1, hostile.verdicts.length));
    expect(rawControlsIn(text)).toEqual([]);
  });

  it('the summary table stays one line per verdict, whatever line breaks a note holds', () => {
    const broken = hostile.verdicts.map((v) => ({ ...v, reason: `${v.reason ?? ''}\nline two` }));
    const table = summaryTable(broken);
    expect(table.split('\n')).toHaveLength(broken.length + 5);
  });

  it('summary.md, junit.xml and report.html', () => {
    expect(rawControlsIn(markdownReport(hostile))).toEqual([]);
    expect(rawControlsIn(junitReport(hostile))).toEqual([]);
    expect(rawControlsIn(htmlReport(hostile))).toEqual([]);
    expect(htmlReport(hostile)).toContain('\\x1b]0;pwned\\x07');
  });

  it('report.json: no raw control, and the exact data back when parsed', () => {
    const json = jsonReport(hostile);
    expect(rawControlsIn(json)).toEqual([]);
    expect((JSON.parse(json) as RunRecord).verdicts).toEqual(hostile.verdicts);
  });

  it("the curl replay: escaped as $'...' so that it still replays the exact bytes", () => {
    const curl = curlCommand(
      'http://127.0.0.1:4010',
      {
        method: 'POST',
        pathWithQuery: `/v1/keys/id\x1b[2J`,
        headers: { 'X-Id': `a'b\u202e` },
        body: '{"a":1}',
      },
      [],
    );
    expect(rawControlsIn(curl)).toEqual([]);
    expect(curl).toBe(
      [
        `curl -i -X POST $'http://127.0.0.1:4010/v1/keys/id\\x1b[2J'`,
        `-H $'X-Id: a\\'b\\u202e'`,
        `--data-raw '{"a":1}'`,
      ].join(' \\\n  '),
    );
  });
});
