/**
 * The Markdown summary a CI job shows (GitHub's job summary, a merge-request note): the overall
 * verdict first, then the counts and what was run, a table of every verdict, and each failure
 * with its counterexample, curl replay and rerun command in code blocks.
 */
import { headline, type RecordedVerdict, type RunRecord } from './run-record.ts';
import { escapeControls } from './escape-controls.ts';
import { coverageMarkdown } from './coverage.ts';
import { waiverNote, waiversMarkdown } from './waivers.ts';
import { baselineMarkdown } from './baseline.ts';
import { guideLines, targetText } from './sources.ts';

const ICON = {
  PASS: '✅',
  PARTIAL: '◐',
  FAIL: '❌',
  ERROR: '⚠️',
  SKIP: '⏭️',
  WAIVED: '🏷️',
} as const;

/**
 * The record as the Markdown summary a CI job shows (summary.md). Pure; throws nothing.
 *
 * @example
 * ```ts
 * import { appendFileSync } from 'node:fs';
 * import { markdownReport, verify } from 'authconform';
 *
 * const record = await verify({ profile: 'vaulera', target: 'mock' });
 * const summary = process.env.GITHUB_STEP_SUMMARY;
 * if (summary) appendFileSync(summary, markdownReport(record));
 * ```
 */
export function markdownReport(record: RunRecord): string {
  const { totals: t, overall } = record;
  const failures = record.verdicts.filter((v) => v.status === 'FAIL');
  const lines = [
    `## ${overall.banner === overall.verdict ? ICON[overall.verdict] : ICON.PARTIAL} authconform: ${overall.banner}`,
    '',
    cell(overall.reason),
    '',
    `**${t.pass}** passed, **${t.fail}** failed (${t.failMust} MUST, ${t.failShould} SHOULD), **${t.partial}** partial, **${t.skip}** skipped, **${t.error}** errors${t.waived ? `, **${t.waived}** waived` : ''}; exit code ${overall.exitCode} (--fail-on ${record.failOn}).`,
    '',
    `Profiles ${record.profiles.map((p) => `${cell(p.id)} ${cell(p.version)}`).join(', ')} against ${cell(targetText(record.target))}; seed ${record.seed}, ${record.runs} runs per property; ${record.tool.name} ${record.tool.version}, ${record.date}; spec SHA-256 \`${record.specSha256}\`.`,
    '',
    ...(record.shard ? [shardLine(record.shard), ''] : []),
    ...coverageMarkdown(record.coverage, cell),
    '### Requirements',
    '',
    ...guideLines(record.profiles).flatMap((l) => [`Cited from ${cell(l)}.`, '']),
    '| profile | requirement | severity | verdict | note |',
    '| --- | --- | --- | --- | --- |',
    ...record.verdicts.map(
      (v) =>
        `| ${cell(v.profile)} | ${cell(v.scenario)}: ${cell(v.title)} | ${v.severity} | ${ICON[v.status]} ${v.status} | ${cell(headline(v.status === 'WAIVED' ? waiverNote(v) : (v.reason ?? v.note ?? '')))} |`,
    ),
    '',
  ];
  lines.push(
    ...waiversMarkdown(
      record.waivers,
      record.verdicts.filter((v) => v.waiver),
      cell,
    ),
    ...baselineMarkdown(record.baseline, cell),
  );
  if (failures.length > 0) lines.push('### Failures', '', ...failures.flatMap(failure));
  return lines.join('\n');
}

function failure(v: RecordedVerdict): string[] {
  const c = v.counterexample;
  const out = [
    `#### ${v.severity} ${cell(v.profile)} / ${cell(v.scenario)}: ${cell(v.title)}`,
    '',
    `Requirement: ${cell(v.cite)}`,
    '',
    fence(v.reason ?? '', 'text'),
    '',
  ];
  if (c) {
    const drawn = Object.keys(c.drawn).length ? ` with ${JSON.stringify(c.drawn)}` : '';
    out.push(
      `Shrunk counterexample: ${cell(c.route + drawn)}`,
      '',
      fence(
        c.exchanges
          .map((x) => `-- ${x.label} --\n${x.request}\n=> ${x.status} ${x.body.slice(0, 400)}`)
          .join('\n\n'),
        'http',
      ),
      '',
      'Replay (secrets masked: put your own back in):',
      '',
      fence(c.curl, 'sh'),
      '',
    );
  }
  out.push('Rerun exactly this case:', '', fence(v.rerun, 'sh'), '');
  return out;
}

/**
 * Text inside a table cell or a line: no line breaks, no column breaks, no HTML, no control
 * characters (written out: the summary is also read in a terminal).
 */
function cell(text: string): string {
  return escapeControls(text)
    .replace(/\n/g, ' ')
    .replace(/[\\`*_[\]|<>&]/g, (c) =>
      c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
    );
}

/** A code block whose fence is longer than any run of backticks inside it; controls written out. */
function fence(raw: string, lang: string): string {
  const text = escapeControls(raw);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${text}\n${f}`;
}

/** A shard's report is part of a run: which part, and how to get the whole. */
function shardLine(shard: NonNullable<RunRecord['shard']>): string {
  const mine = shard.cases.filter((c) => c.shard === shard.index).length;
  return `**This is shard ${shard.index} of ${shard.count}** (${mine} of the run's ${shard.cases.length} profile x scenario cases): \`authconform merge\` joins the ${shard.count} shards' reports into the run's.`;
}
