// The Markdown summary, as a CI job summary shows it: the overall verdict first, the counts, one
// table row per verdict, and each failure with its curl replay in a code block.
import { beforeAll, describe, expect, it } from 'vitest';
import { markdownReport } from '../../src/report/markdown-report.ts';
import { knownRun, type KnownRun } from './known-run.ts';

describe('Markdown summary', () => {
  let run: KnownRun;
  let md: string;
  beforeAll(async () => {
    run = await knownRun();
    md = markdownReport(run.record);
  }, 60_000);

  it('starts with the overall verdict, then the reason and the counts', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ authconform: FAIL');
    expect(lines[2]).toMatch(/^1 MUST requirement\(s\) failed \(--fail-on must\)/);
    expect(lines[4]).toBe(
      `**${run.verdicts.length - 2}** passed, **1** failed (1 MUST, 0 SHOULD), **0** partial, **1** skipped, **0** errors; exit code 1 (--fail-on must).`,
    );
    expect(md).toContain('seed 7, 5 runs per property; authconform 0.1.0');
  });

  it('has one table row per verdict, in order, with its severity and verdict', () => {
    // The requirement table (the coverage tables above it have their own rows).
    const rows = md
      .split('### Requirements')[1]!
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| profile') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(run.verdicts.length);
    run.verdicts.forEach((v, i) => {
      const cells = rows[i]!.split(' | ');
      expect(cells[0]).toBe(`| ${v.profile}`);
      expect(cells[1]).toMatch(new RegExp(`^${v.scenario}: `));
      expect(cells[2]).toBe(v.severity);
      expect(cells[3]).toMatch(new RegExp(`${v.status}$`));
      expect(cells).toHaveLength(5); // no stray | from a title or reason
    });
  });

  it('shows each failure with its counterexample, curl replay and rerun in code blocks', () => {
    const failures = md.slice(md.indexOf('### Failures'));
    expect(failures).toContain('#### MUST luxcore / revoked-key-refused: ');
    expect(failures).toMatch(/```sh\ncurl -i -X [\s\S]*?\n```/);
    expect(failures).toMatch(/```sh\nnpx authconform run --profile luxcore .*--path \S+\n```/);
    expect(failures).toMatch(/```http\n-- accepted twin --\n/);
  });

  it('keeps a code block closed when the text inside holds backticks', () => {
    const record = structuredClone(run.record);
    const fail = record.verdicts.find((v) => v.status === 'FAIL')!;
    fail.counterexample!.curl = "curl -d '```\n# not a heading'";
    const out = markdownReport(record);
    expect(out).toContain("````sh\ncurl -d '```\n# not a heading'\n````");
  });

  it('escapes table cells: a | or a line break in a reason cannot break the table', () => {
    const record = structuredClone(run.record);
    record.verdicts[0]!.title = 'line one\nline two';
    record.verdicts[0]!.reason = 'a | b <b>x</b>\nthe rest of the reason';
    const row = markdownReport(record)
      .split('\n')
      .find((l) =>
        l.startsWith(`| ${record.verdicts[0]!.profile} | ${record.verdicts[0]!.scenario}`),
      )!;
    expect(row).toContain(': line one line two |');
    expect(row.endsWith('| a \\| b &lt;b&gt;x&lt;/b&gt; |')).toBe(true);
  });
});
