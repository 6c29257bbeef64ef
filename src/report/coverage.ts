/**
 * What a run covered, per profile: of the scenarios selected, which apply to the profile, which of
 * those were checked in full (PASS or FAIL), which only in part (PARTIAL), which were not checked
 * (SKIP, ERROR), and which do not apply, each not-checked or not-applicable one with its reason.
 * Not-applicable reasons come from the run's plan (src/engine/plan-run.ts), the same decisions
 * the engine took; everything else from the verdicts. A verdict says "PASS" only of what it
 * checked: the coverage says what that was out of.
 */
import type { ScenarioPlan } from '../verdict/scenario-plan.ts';
import type { Verdict } from '../verdict/verdict.ts';
import { escapeControls } from './escape-controls.ts';

/** One scenario the run did not check in full, or that does not apply, with why. */
export interface UncoveredScenario {
  scenario: string;
  title: string;
  severity: 'MUST' | 'SHOULD';
  /** PARTIAL, SKIP or ERROR for an applicable one; NOT-APPLICABLE otherwise. */
  status: 'PARTIAL' | 'SKIP' | 'ERROR' | 'NOT-APPLICABLE';
  reason: string;
}

export interface ProfileCoverage {
  profile: string;
  /** Scenarios of the run (after --scenario / --exclude). */
  selected: number;
  /** Of those, the ones this profile has the capabilities and routes for. */
  applicable: number;
  /** Applicable and checked in full: a PASS or a FAIL. */
  checked: number;
  /** Applicable, passed what could be checked, part of the requirement not checked. */
  partial: number;
  skipped: number;
  /** Applicable, the target could not be asked: no verdict on them. */
  errored: number;
  notApplicable: number;
  /** The MUST requirements among the applicable ones, and how many were not checked in full. */
  must: { applicable: number; checked: number; notChecked: number };
  /** Every applicable scenario not checked in full, with its reason. */
  notChecked: UncoveredScenario[];
  /** Every scenario that does not apply to the profile, with its reason. */
  notApplicableScenarios: UncoveredScenario[];
}

/** One planned pair of the run, as planRun gives it (only what coverage reads). */
export interface PlannedScenario {
  profile: string;
  scenario: { id: string; title: string; severity: 'MUST' | 'SHOULD' };
  plan: ScenarioPlan;
}

/**
 * Coverage of each profile. Without a plan (a caller that only has verdicts), the scenarios
 * without a verdict are unknown and not-applicable stays empty.
 */
export function coverageOf(
  profiles: readonly string[],
  verdicts: readonly Verdict[],
  planned: readonly PlannedScenario[] = [],
): ProfileCoverage[] {
  return profiles.map((profile) => {
    const mine = verdicts.filter((v) => v.profile === profile);
    const given = new Set(mine.map((v) => v.scenario));
    const notApplicableScenarios: UncoveredScenario[] = planned
      .filter((p) => p.profile === profile && !given.has(p.scenario.id))
      .map((p) => ({
        scenario: p.scenario.id,
        title: p.scenario.title,
        severity: p.scenario.severity,
        status: 'NOT-APPLICABLE',
        // A pair the plan expected to run gave no verdict only when the engine found, once
        // running, that nothing applies (the same decision, taken late): say so.
        reason:
          p.plan.kind === 'not-applicable'
            ? p.plan.reason
            : 'the engine found nothing of the profile to draw for it',
      }));
    const notChecked: UncoveredScenario[] = mine
      .filter((v) => !checkedInFull(v.status))
      .map((v) => ({
        scenario: v.scenario,
        title: v.title,
        severity: v.severity,
        status: v.status as UncoveredScenario['status'],
        reason: v.reason ?? '',
      }));
    const count = (s: Verdict['status']) => mine.filter((v) => v.status === s).length;
    const must = mine.filter((v) => v.severity === 'MUST');
    const mustChecked = must.filter((v) => checkedInFull(v.status)).length;
    return {
      profile,
      selected: mine.length + notApplicableScenarios.length,
      applicable: mine.length,
      checked: mine.filter((v) => checkedInFull(v.status)).length,
      partial: count('PARTIAL'),
      skipped: count('SKIP'),
      errored: count('ERROR'),
      notApplicable: notApplicableScenarios.length,
      must: {
        applicable: must.length,
        checked: mustChecked,
        notChecked: must.length - mustChecked,
      },
      notChecked,
      notApplicableScenarios,
    };
  });
}

/**
 * Every check of the requirement was made: it passed, failed, or failed under a waiver (a
 * waived failure was checked; the waiver only changes what it counts for).
 */
function checkedInFull(status: string): boolean {
  return status === 'PASS' || status === 'FAIL' || status === 'WAIVED';
}

/** MUST requirements that applied but were not checked in full: SKIP or PARTIAL. */
export function mustGaps(verdicts: readonly Verdict[]): { skipped: number; partial: number } {
  const must = verdicts.filter((v) => v.severity === 'MUST');
  return {
    skipped: must.filter((v) => v.status === 'SKIP').length,
    partial: must.filter((v) => v.status === 'PARTIAL').length,
  };
}

/**
 * The overall verdict's headline: the verdict, but a PASS that left a MUST unchecked in full
 * (SKIP or PARTIAL) is "PASS with gaps: N MUST not checked", never a bare PASS.
 */
export function bannerOf(verdict: 'PASS' | 'FAIL' | 'ERROR', verdicts: readonly Verdict[]): string {
  const gaps = mustGaps(verdicts);
  const notChecked = gaps.skipped + gaps.partial;
  return verdict === 'PASS' && notChecked > 0
    ? `PASS with gaps: ${notChecked} MUST not checked`
    : verdict;
}

/** One line per profile: "vaulera: 12 of 46 scenarios apply: 10 checked, 1 partial, ...". */
export function coverageLine(c: ProfileCoverage): string {
  const parts = [
    `${c.checked} checked`,
    ...(c.partial ? [`${c.partial} partial`] : []),
    `${c.skipped} skipped`,
    ...(c.errored ? [`${c.errored} error`] : []),
  ];
  return `${c.profile}: ${c.applicable} of ${c.selected} scenario(s) apply (${parts.join(', ')}); ${c.notApplicable} not applicable; MUST ${c.must.checked} of ${c.must.applicable} checked in full`;
}

/** The not-applicable ones grouped by reason, so 34 of them read as a few lines. */
export function notApplicableByReason(
  c: ProfileCoverage,
): { reason: string; scenarios: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const s of c.notApplicableScenarios)
    groups.set(s.reason, [...(groups.get(s.reason) ?? []), s.scenario]);
  return [...groups].map(([reason, scenarios]) => ({ reason, scenarios }));
}

/**
 * The coverage as the console shows it, above the verdict table: a line per profile, then the
 * applicable ones not checked in full and the not-applicable ones grouped by reason.
 */
export function coverageText(coverage: readonly ProfileCoverage[]): string {
  const lines = ['coverage'];
  for (const c of coverage) {
    lines.push(`  ${coverageLine(c)}`);
    for (const s of c.notChecked)
      lines.push(`    not checked in full: ${s.scenario} (${s.severity}) ${s.status}: ${s.reason}`);
    for (const g of notApplicableByReason(c))
      lines.push(`    not applicable (${g.reason}): ${g.scenarios.join(', ')}`);
  }
  // A reason may quote a target's answer: one line each, controls written out.
  return lines.map((l) => escapeControls(l).replace(/[\n\t]/g, ' ')).join('\n') + '\n';
}

/**
 * The coverage in Markdown, above the requirement table: counts per profile, then every
 * applicable requirement not checked in full and every one that does not apply, with reasons.
 * `cell` is the report's escaper for text inside a table cell.
 */
export function coverageMarkdown(
  coverage: readonly ProfileCoverage[],
  cell: (text: string) => string,
): string[] {
  const lines = [
    '### Coverage',
    '',
    '| profile | selected | applicable | checked in full | partial | skipped | error | not applicable | MUST checked in full |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...coverage.map(
      (c) =>
        `| ${cell(c.profile)} | ${c.selected} | ${c.applicable} | ${c.checked} | ${c.partial} | ${c.skipped} | ${c.errored} | ${c.notApplicable} | ${c.must.checked} of ${c.must.applicable} |`,
    ),
    '',
  ];
  const rows = (pick: (c: ProfileCoverage) => UncoveredScenario[]) =>
    coverage.flatMap((c) =>
      pick(c).map(
        (s) =>
          `| ${cell(c.profile)} | ${cell(s.scenario)} | ${s.severity} | ${s.status} | ${cell(oneLine(s.reason))} |`,
      ),
    );
  const notChecked = rows((c) => c.notChecked);
  if (notChecked.length > 0)
    lines.push(
      '**Applicable, not checked in full**',
      '',
      '| profile | requirement | severity | verdict | reason |',
      '| --- | --- | --- | --- | --- |',
      ...notChecked,
      '',
    );
  const notApplicable = rows((c) => c.notApplicableScenarios);
  if (notApplicable.length > 0)
    lines.push(
      `<details><summary>Not applicable: ${notApplicable.length} scenario(s), with the reason each does not apply</summary>`,
      '',
      '| profile | requirement | severity | verdict | reason |',
      '| --- | --- | --- | --- | --- |',
      ...notApplicable,
      '',
      '</details>',
      '',
    );
  return lines;
}

/** The coverage in HTML (a section above the requirements); `h` escapes text for HTML. */
export function coverageHtml(
  coverage: readonly ProfileCoverage[],
  h: (text: string) => string,
): string {
  const counts = coverage
    .map(
      (c) =>
        `<tr data-profile="${h(c.profile)}"><td>${h(c.profile)}</td><td>${c.selected}</td><td class="applicable">${c.applicable}</td><td class="checked">${c.checked}</td><td class="partial">${c.partial}</td><td class="skipped">${c.skipped}</td><td class="errored">${c.errored}</td><td class="not-applicable">${c.notApplicable}</td><td class="must">${c.must.checked} of ${c.must.applicable}</td></tr>`,
    )
    .join('\n');
  const table = (id: string, title: string, pick: (c: ProfileCoverage) => UncoveredScenario[]) => {
    const rows = coverage.flatMap((c) =>
      pick(c).map(
        (s) =>
          `<tr data-profile="${h(c.profile)}" data-scenario="${h(s.scenario)}" data-verdict="${s.status}"><td>${h(c.profile)}</td><td><code>${h(s.scenario)}</code></td><td>${s.severity}</td><td class="v v-${s.status}">${s.status}</td><td>${h(s.reason)}</td></tr>`,
      ),
    );
    return rows.length === 0
      ? ''
      : `<h3>${h(title)} (${rows.length})</h3>\n<table id="${id}">\n<thead><tr><th>profile</th><th>requirement</th><th>severity</th><th>verdict</th><th>reason</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
  };
  return [
    '<section id="coverage">',
    '<h2>Coverage</h2>',
    '<table id="coverage-counts">',
    '<thead><tr><th>profile</th><th>selected</th><th>applicable</th><th>checked in full</th><th>partial</th><th>skipped</th><th>error</th><th>not applicable</th><th>MUST checked in full</th></tr></thead>',
    `<tbody>\n${counts}\n</tbody>`,
    '</table>',
    table('not-checked', 'Applicable, not checked in full', (c) => c.notChecked),
    table('not-applicable', 'Not applicable', (c) => c.notApplicableScenarios),
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

function oneLine(text: string): string {
  return text.replace(/[\n\t]+/g, ' ');
}

/** The coverage counts as JUnit <property> pairs of a profile's testsuite. */
export function coverageProperties(c: ProfileCoverage): [string, number][] {
  return [
    ['coverage.selected', c.selected],
    ['coverage.applicable', c.applicable],
    ['coverage.checked', c.checked],
    ['coverage.partial', c.partial],
    ['coverage.skipped', c.skipped],
    ['coverage.error', c.errored],
    ['coverage.not-applicable', c.notApplicable],
    ['coverage.must.applicable', c.must.applicable],
    ['coverage.must.checked', c.must.checked],
  ];
}

/**
 * A profile's not-applicable scenarios as JUnit testcases, each <skipped> with its reason: a CI
 * view lists them, and never counts one as passed. `x` escapes XML.
 */
export function notApplicableTestcases(c: ProfileCoverage, x: (text: string) => string): string[] {
  return c.notApplicableScenarios.map((s) =>
    [
      `    <testcase classname="${x(c.profile)}" name="${x(`${s.scenario}: ${s.title}`)}" time="0.000">`,
      `      <skipped message="${x(`not applicable: ${s.reason}`)}"/>`,
      '    </testcase>',
    ].join('\n'),
  );
}
