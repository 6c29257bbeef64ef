/**
 * `--baseline report.json`: this run compared with an earlier one, profile x scenario. A failure
 * is FAIL or ERROR (a WAIVED verdict counts as the status it had: the failure is still there);
 * a pass is PASS or PARTIAL; a SKIP on either side leaves the pair not compared. With
 * `--fail-on new` the run fails only on a new MUST failure (or a new ERROR): a failure the
 * baseline already had is tolerated, so a team can adopt the gate on an imperfect implementation.
 */
import type { Verdict } from '../verdict/verdict.ts';
import { ajvProblems } from '../spec/ajv-problems.ts';
import { readJsonSource } from '../spec/json-source.ts';
import { schemaRegistry, type SchemaRegistry } from '../spec/schema-registry.ts';
import { SpecError } from '../spec/spec-error.ts';
import { currentName } from '../scenario/renamed-scenarios.ts';

export type BaselineChange =
  'new-failure' | 'fixed' | 'still-failing' | 'unchanged-pass' | 'not-compared';

export const CHANGE_WORDS: Record<BaselineChange, string> = {
  'new-failure': 'new failure',
  fixed: 'fixed',
  'still-failing': 'still failing',
  'unchanged-pass': 'unchanged pass',
  'not-compared': 'not compared',
};

type Compared = Pick<Verdict, 'profile' | 'scenario' | 'severity' | 'status' | 'waiver'>;

/** What an earlier report.json gives the comparison. */
export interface BaselineReport {
  file: string;
  date: string;
  profiles: string[];
  verdicts: Compared[];
}

/** The baseline part of the run record. */
export interface BaselineRecord {
  file: string;
  /** When the baseline run started. */
  date: string;
  counts: Record<BaselineChange, number>;
  /** One entry per verdict of this run, in its order. */
  changes: {
    profile: string;
    scenario: string;
    severity: 'MUST' | 'SHOULD';
    change: BaselineChange;
    /** The status in the baseline ("absent" when it had none), and now. */
    was: string;
    now: string;
  }[];
}

/** Reads an earlier report.json and checks it against report.schema.json (SpecError if not). */
export function loadBaseline(
  absPath: string,
  registry: SchemaRegistry = schemaRegistry(),
): BaselineReport {
  const source = readJsonSource(absPath);
  const validate = registry.validator('report.schema.json');
  if (!validate(source.data))
    throw new SpecError(
      ajvProblems(source, validate.errors ?? [], source.data).map((p) => ({
        ...p,
        message: `not an authconform report.json (report.schema.json): ${p.message}`,
      })),
    );
  const report = source.data as { date: string; profiles: { id: string }[]; verdicts: Compared[] };
  return {
    file: source.file,
    date: report.date,
    profiles: report.profiles.map((p) => p.id),
    // A baseline from before a scenario was renamed compares with the same requirement.
    verdicts: report.verdicts.map((v) => ({ ...v, scenario: currentName(v.scenario) })),
  };
}

/** Each verdict of this run against the baseline's verdict of the same profile x scenario. */
export function compareWithBaseline(
  verdicts: readonly Compared[],
  baseline: BaselineReport,
): BaselineRecord {
  const before = new Map(baseline.verdicts.map((v) => [`${v.profile}\0${v.scenario}`, v]));
  const counts: Record<BaselineChange, number> = {
    'new-failure': 0,
    fixed: 0,
    'still-failing': 0,
    'unchanged-pass': 0,
    'not-compared': 0,
  };
  const changes = verdicts.map((v) => {
    const old = before.get(`${v.profile}\0${v.scenario}`);
    const change = changeOf(old ? outcome(old) : 'absent', outcome(v));
    counts[change]++;
    return {
      profile: v.profile,
      scenario: v.scenario,
      severity: v.severity,
      change,
      was: old ? shown(old) : 'absent',
      now: shown(v),
    };
  });
  return { file: baseline.file, date: baseline.date, counts, changes };
}

/**
 * The exit code `--fail-on new` gives: a failure the baseline had is tolerated (counted as the
 * waived are); the rest is judged as `--fail-on must` judges it (`exitCodeOf`).
 */
export function toleratedByBaseline<V extends Compared>(
  verdicts: readonly V[],
  baseline: BaselineRecord,
): V[] {
  const still = new Set(
    baseline.changes
      .filter((c) => c.change === 'still-failing')
      .map((c) => `${c.profile}\0${c.scenario}`),
  );
  return verdicts.map((v) =>
    still.has(`${v.profile}\0${v.scenario}`) ? { ...v, status: 'WAIVED' as const } : v,
  );
}

/** The console's lines: the counts, then every pair that changed or still fails. */
export function baselineConsole(b: BaselineRecord | undefined): string {
  if (!b) return '';
  const lines = [`compared with the baseline ${b.file} (${b.date}): ${countsText(b)}`];
  for (const c of b.changes.filter(listed))
    lines.push(
      `  ${CHANGE_WORDS[c.change].padEnd(13)}  ${c.profile} / ${c.scenario} (${c.severity}): was ${c.was}, now ${c.now}`,
    );
  return lines.join('\n') + '\n';
}

/** "1 new failure, 2 fixed, 3 still failing, 40 unchanged pass, 0 not compared" */
export function countsText(b: BaselineRecord): string {
  return (Object.keys(CHANGE_WORDS) as BaselineChange[])
    .map((k) => `${b.counts[k]} ${CHANGE_WORDS[k]}`)
    .join(', ');
}

/** The pairs a reader needs to see: every one but an unchanged pass. */
export function listed(c: BaselineRecord['changes'][number]): boolean {
  return c.change !== 'unchanged-pass';
}

type Outcome = 'fail' | 'pass' | 'skip' | 'absent';

function outcome(v: Compared): Outcome {
  const status = v.status === 'WAIVED' ? (v.waiver?.status ?? 'FAIL') : v.status;
  if (status === 'FAIL' || status === 'ERROR') return 'fail';
  if (status === 'PASS' || status === 'PARTIAL') return 'pass';
  return 'skip';
}

function changeOf(was: Outcome, now: Outcome): BaselineChange {
  if (now === 'fail') return was === 'fail' ? 'still-failing' : 'new-failure';
  if (now === 'pass')
    return was === 'fail' ? 'fixed' : was === 'pass' ? 'unchanged-pass' : 'not-compared';
  return 'not-compared';
}

function shown(v: Compared): string {
  return v.status === 'WAIVED' && v.waiver ? `WAIVED (${v.waiver.status})` : v.status;
}

/** The summary.md section; `cell` escapes text for a Markdown table cell. */
export function baselineMarkdown(
  b: BaselineRecord | undefined,
  cell: (s: string) => string,
): string[] {
  if (!b) return [];
  const shown = b.changes.filter(listed);
  return [
    '### Compared with the baseline',
    '',
    `${cell(b.file)} (${cell(b.date)}): ${countsText(b)}.`,
    '',
    ...(shown.length > 0
      ? [
          '| change | profile | scenario | severity | was | now |',
          '| --- | --- | --- | --- | --- | --- |',
          ...shown.map(
            (c) =>
              `| ${CHANGE_WORDS[c.change]} | ${cell(c.profile)} | ${cell(c.scenario)} | ${c.severity} | ${cell(c.was)} | ${cell(c.now)} |`,
          ),
          '',
        ]
      : []),
  ];
}

/** The report.html section; `h` escapes HTML. */
export function baselineHtml(b: BaselineRecord | undefined, h: (s: string) => string): string {
  if (!b) return '';
  const rows = b.changes
    .filter(listed)
    .map(
      (c) =>
        `<tr data-change="${c.change}"><td>${CHANGE_WORDS[c.change]}</td><td>${h(c.profile)}</td><td><code>${h(c.scenario)}</code></td><td>${c.severity}</td><td>${h(c.was)}</td><td>${h(c.now)}</td></tr>`,
    );
  return `<section id="baseline">
<h2>Compared with the baseline</h2>
<p><code>${h(b.file)}</code> (${h(b.date)}): ${h(countsText(b))}.</p>
${rows.length > 0 ? `<table>\n<thead><tr><th>change</th><th>profile</th><th>scenario</th><th>severity</th><th>was</th><th>now</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n` : ''}</section>
`;
}
