/**
 * `--waivers FILE`: known failures, each accepted until a date. A FAIL or ERROR of the waived
 * profile x scenario becomes WAIVED (never PASS), carrying the waiver's reason, issue and expiry,
 * and no longer fails the run. A waiver is a debt with a due date: one whose scenario now passes,
 * whose date has passed, or that matches nothing the run checked, fails the run (exit 1) with a
 * line saying which and why. A SKIP is never waived (nothing was checked, nothing is excused).
 * A waiver naming a scenario or profile that does not exist is a bad file: exit 2, file:line:column.
 */
import type { Verdict } from '../verdict/verdict.ts';
import { ajvProblems } from '../spec/ajv-problems.ts';
import { schemaRegistry, type SchemaRegistry } from '../spec/schema-registry.ts';
import { SpecError, type SpecProblem } from '../spec/spec-error.ts';
import { readYamlSource } from '../spec/yaml-source.ts';
import { currentName } from '../scenario/renamed-scenarios.ts';

export interface Waiver {
  scenario: string;
  profile: string;
  reason: string;
  /** The issue that tracks the fix (an http(s) link). */
  issue: string;
  /** The last day it holds, YYYY-MM-DD (UTC). */
  expires: string;
  /** Where it is written: file:line:column. */
  at: string;
}

export type WaiverProblemKind = 'expired' | 'no-longer-fails' | 'not-applicable';

export interface WaiverProblem {
  kind: WaiverProblemKind;
  profile: string;
  scenario: string;
  /** file:line:column of the waiver. */
  at: string;
  message: string;
}

/** The waivers part of the run record. */
export interface WaiversRecord {
  file: string;
  /** Failures turned WAIVED. */
  waived: number;
  /** Waivers that fail the run. */
  problems: WaiverProblem[];
  /** Waivers of this run's profiles and scenarios whose scenario was skipped: nothing to judge. */
  unchecked: { profile: string; scenario: string; at: string; message: string }[];
}

/**
 * Reads and checks a waivers file: its schema, every scenario and profile known, no profile x
 * scenario waived twice. Every problem is a SpecError at its file, line and column.
 */
export function loadWaivers(
  absPath: string,
  known: { profiles: readonly string[]; scenarios: readonly string[] },
  registry: SchemaRegistry = schemaRegistry(),
): Waiver[] {
  const source = readYamlSource(absPath);
  const validate = registry.validator('waivers.schema.json');
  if (!validate(source.data))
    throw new SpecError(ajvProblems(source, validate.errors ?? [], source.data));
  // A waiver written before a scenario was renamed still waives it.
  const entries = (source.data as Omit<Waiver, 'at'>[]).map((w) => ({
    ...w,
    scenario: currentName(w.scenario),
  }));
  const problems: SpecProblem[] = [];
  const seen = new Map<string, string>();
  const waivers = entries.map((w, i) => {
    const { file, line, column } = source.problem([i], '');
    const at = `${file}:${line}:${column}`;
    if (!known.scenarios.includes(w.scenario))
      problems.push(
        source.problem(
          [i, 'scenario'],
          `unknown scenario "${w.scenario}"${nearest(w.scenario, known.scenarios)}`,
        ),
      );
    if (!known.profiles.includes(w.profile))
      problems.push(
        source.problem(
          [i, 'profile'],
          `unknown profile "${w.profile}"; known: ${known.profiles.join(', ')}`,
        ),
      );
    const key = `${w.profile} / ${w.scenario}`;
    const first = seen.get(key);
    if (first) problems.push(source.problem([i], `${key} is already waived at ${first}`));
    else seen.set(key, at);
    return { ...w, at };
  });
  if (problems.length > 0) throw new SpecError(problems);
  return waivers;
}

/**
 * The verdicts with the waivers applied, and what the report says of the waivers. Waivers of a
 * profile or scenario this run did not select are left alone: they were not put to the test.
 */
export function applyWaivers(
  verdicts: readonly Verdict[],
  waivers: readonly Waiver[],
  run: { file: string; profiles: readonly string[]; scenarios: readonly string[]; today: string },
): { verdicts: Verdict[]; record: WaiversRecord } {
  const record: WaiversRecord = { file: run.file, waived: 0, problems: [], unchecked: [] };
  const out = [...verdicts];
  for (const w of waivers) {
    if (!run.profiles.includes(w.profile) || !run.scenarios.includes(w.scenario)) continue;
    const name = `${w.profile} / ${w.scenario}`;
    const problem = (kind: WaiverProblemKind, message: string) =>
      record.problems.push({ kind, profile: w.profile, scenario: w.scenario, at: w.at, message });
    const i = out.findIndex((v) => v.profile === w.profile && v.scenario === w.scenario);
    const v = out[i];
    if (!v) {
      problem(
        'not-applicable',
        `the waiver of ${name} waives nothing: that scenario does not apply to profile ${w.profile}; remove it`,
      );
      continue;
    }
    if (w.expires < run.today) {
      problem(
        'expired',
        `the waiver of ${name} expired on ${w.expires} (${w.issue}); fix the failure, or renew the waiver with a new date`,
      );
      continue;
    }
    if (v.status === 'FAIL' || v.status === 'ERROR') {
      const { reason, issue, expires, at } = w;
      out[i] = { ...v, status: 'WAIVED', waiver: { reason, issue, expires, at, status: v.status } };
      record.waived++;
    } else if (v.status === 'SKIP') {
      record.unchecked.push({
        profile: w.profile,
        scenario: w.scenario,
        at: w.at,
        message: `${name} was skipped (${v.reason ?? 'not checked'}): its waiver was not put to the test`,
      });
    } else {
      problem(
        'no-longer-fails',
        `${name} is waived but no longer fails (${v.status}): the failure no longer happens; remove the waiver (${w.issue})`,
      );
    }
  }
  return { verdicts: out, record };
}

/** Today as the waivers write it: YYYY-MM-DD, UTC. */
export function utcDay(d: Date = new Date()): string {
  return d.toISOString().slice(0, 10);
}

/** What a WAIVED row shows: the waiver, then what it had failed with. */
export function waiverNote(v: Pick<Verdict, 'waiver' | 'reason'>): string {
  const w = v.waiver;
  if (!w) return v.reason ?? '';
  return `waived (${w.status}) until ${w.expires}: ${w.reason} (${w.issue})`;
}

/** The lines the console prints after the table; empty when no waivers file was given. */
export function waiversConsole(w: WaiversRecord | undefined): string {
  if (!w) return '';
  const lines = [`waivers ${w.file}: ${w.waived} failure(s) waived`];
  for (const u of w.unchecked) lines.push(`  note: ${u.at}: ${u.message}`);
  if (w.problems.length > 0) {
    lines.push('waivers that fail the run:');
    for (const p of w.problems) lines.push(`  ${p.at}: ${p.message}`);
  }
  return lines.join('\n') + '\n';
}

/** What the overall reason starts with when failures were waived: a waived one is no pass. */
export function waivedPrefix(w: WaiversRecord | undefined): string {
  return w?.waived
    ? `${w.waived} known failure(s) WAIVED (not passed: each has its issue and expiry); `
    : '';
}

/** ", or did you mean X" for a near miss. */
function nearest(id: string, ids: readonly string[]): string {
  const close = ids.find((x) => x.includes(id) || id.includes(x));
  return close ? `; did you mean "${close}"?` : '; `authconform run --dry-run` lists the ids';
}

/** The summary.md section; `cell` escapes text for a Markdown table cell. */
export function waiversMarkdown(
  w: WaiversRecord | undefined,
  waived: readonly Pick<Verdict, 'profile' | 'scenario' | 'waiver'>[],
  cell: (s: string) => string,
): string[] {
  if (!w) return [];
  const lines = ['### Waivers', '', `${cell(w.file)}: ${w.waived} failure(s) waived.`, ''];
  if (waived.length > 0)
    lines.push(
      '| profile | scenario | waived | reason | issue | expires |',
      '| --- | --- | --- | --- | --- | --- |',
      ...waived.map(
        (v) =>
          `| ${cell(v.profile)} | ${cell(v.scenario)} | ${v.waiver!.status} | ${cell(v.waiver!.reason)} | ${cell(v.waiver!.issue)} | ${v.waiver!.expires} |`,
      ),
      '',
    );
  if (w.problems.length > 0)
    lines.push(
      '**Waivers that fail the run:**',
      '',
      ...w.problems.map((p) => `- ${cell(p.at)}: ${cell(p.message)}`),
      '',
    );
  for (const u of w.unchecked) lines.push(`- note: ${cell(u.at)}: ${cell(u.message)}`, '');
  return lines;
}

/** A WAIVED row's note in report.html, the issue a link; `h` escapes HTML. */
export function waiverNoteHtml(v: Pick<Verdict, 'waiver'>, h: (s: string) => string): string {
  const w = v.waiver!;
  return `waived (${w.status}) until ${h(w.expires)}: ${h(w.reason)} (<a href="${h(w.issue)}">${h(w.issue)}</a>)`;
}

/** The report.html section: what was waived and the waivers that fail the run. */
export function waiversHtml(w: WaiversRecord | undefined, h: (s: string) => string): string {
  if (!w) return '';
  const items = [
    ...w.problems.map((p) => `<li class="v-FAIL">${h(p.at)}: ${h(p.message)}</li>`),
    ...w.unchecked.map((u) => `<li>note: ${h(u.at)}: ${h(u.message)}</li>`),
  ];
  return `<section id="waivers">
<h2>Waivers</h2>
<p><code>${h(w.file)}</code>: ${w.waived} failure(s) waived (each row above says why, until when, and links its issue).</p>
${items.length > 0 ? `<ul>\n${items.join('\n')}\n</ul>\n` : ''}</section>
`;
}
