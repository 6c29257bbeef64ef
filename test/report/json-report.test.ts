// The JSON report is what a tool reads: it validates against specs/schemas/report.schema.json,
// which rejects a report missing what a tool needs, and it holds every verdict whole.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonReport } from '../../src/report/json-report.ts';
import { PACKAGE_ROOT } from '../../src/spec/spec-paths.ts';
import { knownRun, type KnownRun } from './known-run.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schema = JSON.parse(
  readFileSync(join(PACKAGE_ROOT, 'specs/schemas/report.schema.json'), 'utf8'),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validateReport = ajv.compile(schema);

describe('JSON report', () => {
  let run: KnownRun;
  let report: Record<string, unknown>;
  beforeAll(async () => {
    run = await knownRun({ withError: true });
    report = JSON.parse(jsonReport(run.record)) as Record<string, unknown>;
  }, 60_000);

  it('validates against report.schema.json', () => {
    const ok = validateReport(report);
    expect(validateReport.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(['tool', 'date', 'seed', 'profiles', 'specSha256', 'verdicts', 'overall'])(
    'is rejected by the schema without "%s"',
    (field) => {
      const { [field]: _gone, ...rest } = report;
      expect(validateReport(rest)).toBe(false);
      expect(validateReport.errors?.[0]?.message).toBe(`must have required property '${field}'`);
    },
  );

  it('is rejected by the schema when a verdict says FAIL without a reason, or the exit code disagrees', () => {
    const noReason = structuredClone(report) as { verdicts: Record<string, unknown>[] };
    delete noReason.verdicts.find((v) => v.status === 'FAIL')!.reason;
    expect(validateReport(noReason)).toBe(false);
    const wrongExit = structuredClone(report) as { overall: { exitCode: number } };
    wrongExit.overall.exitCode = 0;
    expect(validateReport(wrongExit)).toBe(false);
  });

  it('holds every verdict with all its fields, and the rerun command', () => {
    const verdicts = report.verdicts as Record<string, unknown>[];
    expect(verdicts).toHaveLength(run.verdicts.length);
    run.verdicts.forEach((v, i) => {
      // Every field the engine gave (with secrets masked: the curl and requests are already).
      expect(Object.keys(verdicts[i]!).sort()).toEqual([...Object.keys(v), 'rerun'].sort());
      expect(verdicts[i]).toMatchObject({
        profile: v.profile,
        scenario: v.scenario,
        status: v.status,
      });
    });
    const fail = verdicts.find((v) => v.status === 'FAIL') as {
      counterexample: { curl: string; path: string; exchanges: unknown[] };
      rerun: string;
    };
    expect(fail.counterexample.curl).toMatch(/^curl -i -X /);
    expect(fail.counterexample.exchanges.length).toBeGreaterThanOrEqual(2);
    expect(fail.rerun).toContain(`--path ${fail.counterexample.path}`);
  });

  it('keeps fields a later engine adds to a verdict', () => {
    const record = structuredClone(run.record);
    (record.verdicts[0] as unknown as Record<string, unknown>).attempts = 3;
    const again = JSON.parse(jsonReport(record)) as { verdicts: Record<string, unknown>[] };
    expect(again.verdicts[0]!.attempts).toBe(3);
    expect(validateReport(again)).toBe(true);
  });

  it('gives totals, the overall verdict and the exit code of the run', () => {
    expect(report.totals).toEqual({
      total: run.verdicts.length,
      pass: run.verdicts.length - 3,
      fail: 1,
      failMust: 1,
      failShould: 0,
      partial: 0,
      skip: 1,
      error: 1,
    });
    expect(report.overall).toMatchObject({ verdict: 'ERROR', exitCode: 3 });
    expect(report.tool).toEqual({ name: 'authconform', version: '0.1.0' });
    expect(report.target).toEqual({
      description: 'the bundled mock (in-process)',
      url: 'http://127.0.0.1:4010',
    });
  });

  it("gives each profile's id, version and spec SHA-256, reproducible with sha256sum", () => {
    const profiles = report.profiles as {
      id: string;
      version: string;
      file: string;
      sha256: string;
      specSha256: string;
    }[];
    expect(profiles.map((p) => [p.id, p.version, p.file])).toEqual([
      ['luxcore', '1.0.0', 'specs/profiles/luxcore.yaml'],
      ['auxvault', expect.any(String), 'specs/profiles/auxvault.yaml'],
      ['vaulera', expect.any(String), 'specs/profiles/vaulera.yaml'],
    ]);
    const files = [
      profiles[0]!.file,
      ...(report.scenarioFiles as { file: string }[]).map((f) => f.file),
      ...(report.schemaFiles as { file: string }[]).map((f) => f.file),
    ];
    expect(files).toContain('specs/scenarios/revoked-key.yaml');
    expect(files).toContain('specs/schemas/bodies/luxcore.json');
    expect(files).not.toContain('specs/schemas/report.schema.json');
    // What the schema's description promises: sha256sum's manifest, sorted by name, hashed.
    const bySha256sum = execFileSync(
      'bash',
      ['-c', 'sha256sum "$@" | LC_ALL=C sort -k2 | sha256sum | cut -d" " -f1', '--', ...files],
      { cwd: PACKAGE_ROOT, encoding: 'utf8' },
    ).trim();
    expect(profiles[0]!.specSha256).toBe(bySha256sum);
    const own = execFileSync('sha256sum', [profiles[0]!.file], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
    });
    expect(own.split(' ')[0]).toBe(profiles[0]!.sha256);
  });
});
