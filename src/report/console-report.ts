/**
 * What a person reads after a run: failures in full (counterexample, curl, rerun), then a table.
 * A target's answers are quoted in both: control characters are written out (escape-controls.ts),
 * never sent to the terminal.
 */
import type { Verdict } from '../verdict/verdict.ts';
import { escapeControls } from './escape-controls.ts';
import { waiverNote } from './waivers.ts';

export function failureDetails(v: Verdict, rerun: string): string {
  const lines = [
    `${v.status} ${v.severity} ${v.profile} / ${v.scenario}: ${v.title}`,
    `  requirement: ${v.cite}`,
    `  ${v.reason ?? ''}`,
  ];
  const c = v.counterexample;
  if (c) {
    lines.push(
      `  shrunk counterexample: ${c.route}${Object.keys(c.drawn).length ? ` with ${JSON.stringify(c.drawn)}` : ''}`,
    );
    for (const x of c.exchanges) {
      lines.push(
        `  -- ${x.label} --`,
        ...indent(x.request),
        `  => ${x.status} ${x.body.slice(0, 400)}`,
      );
    }
    lines.push(
      '  replay (secrets masked: put your own back in):',
      ...indent(c.curl),
      `  rerun exactly this case: ${rerun}`,
    );
  }
  return escapeControls(lines.join('\n')) + '\n';
}

export function summaryTable(verdicts: Verdict[]): string {
  const rows = verdicts.map((v) =>
    [
      v.profile,
      v.scenario,
      v.severity,
      v.status,
      v.status === 'FAIL' ? '' : v.status === 'WAIVED' ? waiverNote(v) : (v.reason ?? v.note ?? ''),
    ].map(tableCell),
  );
  const head = ['profile', 'scenario', 'severity', 'verdict', 'note'];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => Math.min(60, r[i]!.length))),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => c.slice(0, 60).padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const count = (s: string) => verdicts.filter((v) => v.status === s).length;
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${count('PASS')} passed, ${count('FAIL')} failed, ${count('PARTIAL')} partial, ${count('SKIP')} skipped, ${count('ERROR')} errors${count('WAIVED') ? `, ${count('WAIVED')} waived` : ''}`,
    '',
  ].join('\n');
}

/** One line of a cell: controls written out, a line break or tab as a space. */
function tableCell(text: string): string {
  return escapeControls(text).replace(/[\n\t]/g, ' ');
}

function indent(text: string): string[] {
  return text.split('\n').map((l) => `    ${l}`);
}
