/**
 * JUnit XML for CI test-report views (GitLab, GitHub test-report actions, Jenkins): one
 * <testsuite> per profile, one <testcase> per profile x scenario (classname = profile, name =
 * scenario id and title). FAIL is a <failure> whose type is the severity and whose text is the
 * counterexample, the curl replay and the rerun command; SKIP is <skipped>, ERROR is <error>.
 * Only the elements and attributes of the common Jenkins/Ant JUnit schema are used, so every
 * reader of that format loads it (test/report/junit.xsd).
 */
import type { RecordedVerdict, RunRecord } from './run-record.ts';
import { failureDetails } from './console-report.ts';
import { escapeMarkup as x } from './escape-markup.ts';
import { coverageProperties, notApplicableTestcases } from './coverage.ts';
import { waiverNote } from './waivers.ts';
import { sourceProperties } from './sources.ts';

/**
 * The record as JUnit XML: one <testsuite> per profile, one <testcase> per scenario (FAIL a
 * <failure>, SKIP a <skipped>, ERROR an <error>), for a CI's test tab. Pure; throws nothing.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { junitReport, verify } from 'authconform';
 *
 * const record = await verify({ profile: 'vaulera', target: 'mock' });
 * writeFileSync('junit.xml', junitReport(record));
 * ```
 */
export function junitReport(record: RunRecord): string {
  const t = record.totals;
  const suites = record.profiles.map((p) => {
    const cases = record.verdicts.filter((v) => v.profile === p.id);
    const n = (s: string) => cases.filter((v) => v.status === s).length;
    const coverage = record.coverage.find((c) => c.profile === p.id);
    const notApplicable = coverage ? notApplicableTestcases(coverage, x) : [];
    const properties: [string, string | number][] = [
      ['tool', record.tool.name],
      ['tool.version', record.tool.version],
      ['date', record.date],
      ['target', record.target.description],
      ['target.url', record.target.url],
      ['seed', record.seed],
      ['runs', record.runs],
      ['fail-on', record.failOn],
      ...(record.shard
        ? ([['shard', `${record.shard.index}/${record.shard.count}`]] as [string, string][])
        : []),
      ['profile.version', p.version],
      ['profile.file', p.file],
      ['profile.sha256', p.sha256],
      ['spec.sha256', p.specSha256],
      ...sourceProperties(p.source),
      ...(coverage ? coverageProperties(coverage) : []),
    ];
    return [
      `  <testsuite name="${x(p.id)}" package="${x(record.tool.name)}" tests="${cases.length + notApplicable.length}" failures="${n('FAIL')}" errors="${n('ERROR')}" skipped="${notApplicable.length + n('SKIP') + n('PARTIAL') + n('WAIVED')}" time="${seconds(cases)}" timestamp="${record.date.slice(0, 19)}">`,
      '    <properties>',
      ...properties.map(
        ([name, value]) => `      <property name="${x(name)}" value="${x(String(value))}"/>`,
      ),
      '    </properties>',
      ...cases.map(testcase),
      ...notApplicable,
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`${record.tool.name} ${record.profiles.map((p) => p.id).join(', ')}`)}" tests="${t.total + record.coverage.reduce((s, c) => s + c.notApplicable, 0)}" failures="${t.fail}" errors="${t.error}" time="${seconds(record.verdicts)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(v: RecordedVerdict): string {
  const open = `    <testcase classname="${x(v.profile)}" name="${x(`${v.scenario}: ${v.title}`)}" time="${seconds([v])}">`;
  const note = v.status === 'PASS' && v.reason ? `note: ${v.reason}\n` : '';
  const about = `      <system-out>${x(`requirement (${v.severity}): ${v.cite}\n${note}rerun: ${v.rerun}`)}</system-out>`;
  const reason = x(v.reason ?? '');
  switch (v.status) {
    case 'FAIL':
      return [
        open,
        `      <failure message="${reason}" type="${v.severity}">${x(failureDetails(v, v.rerun))}</failure>`,
        about,
        '    </testcase>',
      ].join('\n');
    case 'SKIP':
      return [open, `      <skipped message="${reason}"/>`, about, '    </testcase>'].join('\n');
    // JUnit has no partial pass; shown as skipped so that a CI view never counts it as passed.
    case 'PARTIAL':
      return [
        open,
        `      <skipped message="${x(`PARTIAL: ${v.reason ?? ''}`)}"/>`,
        about,
        '    </testcase>',
      ].join('\n');
    // A known failure, waived until a date: skipped, so CI neither fails nor counts it passed.
    case 'WAIVED':
      return [
        open,
        `      <skipped message="${x(`WAIVED: ${waiverNote(v)}`)}"/>`,
        about,
        '    </testcase>',
      ].join('\n');
    case 'ERROR':
      return [
        open,
        `      <error message="${reason}" type="ERROR">${reason}</error>`,
        about,
        '    </testcase>',
      ].join('\n');
    default:
      return [open, about, '    </testcase>'].join('\n');
  }
}

function seconds(verdicts: readonly RecordedVerdict[]): string {
  return (verdicts.reduce((s, v) => s + v.durationMs, 0) / 1000).toFixed(3);
}
