// The JUnit report loads in CI test-report views: it validates against the common JUnit schema
// (test/report/junit.xsd, checked with xmllint compiled to WebAssembly) and says, per profile x scenario, what happened.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { junitReport } from '../../src/report/junit-report.ts';
import type { RunRecord } from '../../src/report/run-record.ts';
import { knownRun, type KnownRun } from './known-run.ts';

const XSD = {
  fileName: 'junit.xsd',
  contents: readFileSync(join(import.meta.dirname, 'junit.xsd'), 'utf8'),
};

/**
 * xmllint's verdict on one XML text against the XSD: libxml2's xmllint compiled to WebAssembly
 * (xmllint-wasm), so no system xmllint is needed. `output` is what xmllint printed.
 */
async function validate(xml: string, name: string): Promise<{ valid: boolean; output: string }> {
  const r = await validateXML({ xml: { fileName: name, contents: xml }, schema: XSD });
  return { valid: r.valid, output: r.rawOutput };
}

function testcases(xml: string): { attrs: string; body: string }[] {
  return [...xml.matchAll(/<testcase ([^>]*)>([\s\S]*?)<\/testcase>/g)].map((m) => ({
    attrs: m[1]!,
    body: m[2]!,
  }));
}

describe('JUnit report', () => {
  let run: KnownRun;
  let xml: string;
  beforeAll(async () => {
    run = await knownRun({ withError: true });
    xml = junitReport(run.record);
  }, 60_000);

  it('validates against the JUnit XSD with a FAIL, a SKIP, an ERROR and PASSes in it', async () => {
    expect(new Set(run.verdicts.map((v) => v.status))).toEqual(
      new Set(['PASS', 'FAIL', 'SKIP', 'ERROR']),
    );
    const r = await validate(xml, 'known-run.xml');
    expect(r.output).toContain('known-run.xml validates');
    expect(r.valid).toBe(true);
  });

  it('is rejected by the XSD when broken, so the validation above can fail', async () => {
    const unclosed = await validate(xml.replace('</testsuites>', ''), 'unclosed.xml');
    expect(unclosed.valid).toBe(false);
    expect(unclosed.output).not.toContain('validates');
    const noName = await validate(xml.replace(/<testcase classname="[^"]*"/, '<testcase'), 'x.xml');
    expect(noName.valid).toBe(false);
    expect(noName.output).toContain("The attribute 'classname' is required");
    expect(noName.output).toContain('x.xml fails to validate');
    const twoOutcomes = await validate(
      xml.replace('<skipped ', '<failure message="x"/><skipped '),
      'two-outcomes.xml',
    );
    expect(twoOutcomes.valid).toBe(false);
    expect(twoOutcomes.output).toContain('two-outcomes.xml fails to validate');
    // An element the schema does not know, and a well-formed text that is not JUnit at all.
    const unknown = await validate(xml.replace('<properties>', '<verdict/><properties>'), 'u.xml');
    expect(unknown.valid).toBe(false);
    expect((await validate('<report/>', 'other.xml')).valid).toBe(false);
  });

  it('has one testsuite per profile and one testcase per profile x scenario', () => {
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)"[^>]* tests="(\d+)"/g)];
    expect(suites.map((m) => m[1])).toEqual(['luxcore', 'auxvault', 'vaulera']);
    for (const [, profile, tests] of suites)
      expect(Number(tests)).toBe(run.verdicts.filter((v) => v.profile === profile).length);
    const cases = testcases(xml);
    expect(cases).toHaveLength(run.verdicts.length);
    run.verdicts.forEach((v, i) => {
      expect(cases[i]!.attrs).toContain(`classname="${v.profile}"`);
      expect(cases[i]!.attrs).toContain(`name="${v.scenario}: `);
    });
  });

  it('turns FAIL into <failure> with the severity, counterexample, curl replay and rerun command', () => {
    const fail = testcases(xml).find(
      (c) =>
        c.attrs.includes('name="revoked-key-refused') && c.attrs.includes('classname="luxcore"'),
    )!;
    expect(fail.body).toMatch(/<failure message="[^"]*expected status 401, got 201" type="MUST">/);
    expect(fail.body).toContain('shrunk counterexample:');
    expect(fail.body).toContain('curl -i -X ');
    expect(fail.body).toContain(
      'rerun exactly this case: npx authconform run --profile luxcore --target mock --scenario revoked-key-refused --runs 5 --seed 7 --path ',
    );
    // The curl replay shows the key masked, never whole.
    expect(fail.body).toMatch(/X-API-Key: qp_test_sk_…[A-Za-z0-9]{4}/i);
  });

  it('turns SKIP into <skipped message=reason/> and ERROR into <error>, PASS into neither', () => {
    const cases = testcases(xml);
    const skip = cases.find((c) => /classname="auxvault" name="revoked-key-refused/.test(c.attrs))!;
    expect(skip.body).toContain('<skipped message="the credentials have no keys.revoked"/>');
    const error = cases.find((c) => c.attrs.includes('classname="vaulera"'))!;
    expect(error.body).toMatch(
      /<error message="the target could not be asked: connect ECONNREFUSED/,
    );
    const passes = cases.filter((_, i) => run.verdicts[i]!.status === 'PASS');
    expect(passes.length).toBeGreaterThan(30);
    for (const p of passes) expect(p.body).not.toMatch(/<(failure|error|skipped)/);
  });

  it('turns PARTIAL into <skipped message="PARTIAL: ..."/>, so no CI view counts it a pass', async () => {
    const partial: RunRecord = structuredClone(run.record);
    const v = partial.verdicts.find((x) => x.status === 'PASS')!;
    v.status = 'PARTIAL';
    v.reason = 'the end of the 3600 s rotation grace was not checked';
    const partialXml = junitReport(partial);
    const c = testcases(partialXml)[partial.verdicts.indexOf(v)]!;
    expect(c.body).toContain(
      '<skipped message="PARTIAL: the end of the 3600 s rotation grace was not checked"/>',
    );
    expect((await validate(partialXml, 'partial.xml')).valid).toBe(true);
  });

  it('carries seed, runs, target and tool version as properties of every suite', () => {
    for (const name of ['seed" value="7', 'runs" value="5', 'tool.version" value="0.1.0'])
      expect(xml.split(`<property name="${name}"/>`)).toHaveLength(4);
    expect(xml).toContain('<property name="target.url" value="http://127.0.0.1:4010"/>');
    expect(xml).toMatch(/<property name="spec.sha256" value="[0-9a-f]{64}"\/>/);
  });

  it('stays valid XML whatever a target answers: markup and control characters are escaped', async () => {
    const hostile: RunRecord = structuredClone(run.record);
    const v = hostile.verdicts.find((x) => x.status === 'FAIL')!;
    v.reason = 'got <html>&nbsp;</html> "quoted" \u0000\u001b[31m\uFFFE \uD800 ]]>';
    v.counterexample!.exchanges[0]!.body = '</failure></testcase><testcase name="injected">';
    const hostileXml = junitReport(hostile);
    const r = await validate(hostileXml, 'hostile.xml');
    expect(r.valid).toBe(true);
    expect(testcases(hostileXml)).toHaveLength(run.verdicts.length);
    expect(hostileXml).toContain('\\x00\\x1b[31m\\ufffe \\ud800');
  });
});
