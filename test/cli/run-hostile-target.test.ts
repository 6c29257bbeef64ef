// Issue 12 items 7 and 8 from the command line: `authconform run` against a target whose body
// never ends, or that never answers, finishes in bounded time, with the cases ERROR, the reason
// naming the flag that bounded them, and every report written.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startHostileTarget, type HostileTarget } from '../support/hostile-target.ts';

let hostile: HostileTarget | undefined;
let credentials: string;

afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

beforeAll(async () => {
  credentials = join(mkdtempSync(join(tmpdir(), 'authconform-hostile-')), 'luxcore.yaml');
  expect(await main(['credentials', '--profile', 'luxcore', '--out', credentials], sink())).toBe(0);
});

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, done) {
      w.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

interface ReportJson {
  overall: { verdict: string; exitCode: number };
  verdicts: { scenario: string; status: string; reason?: string }[];
}

async function runAgainst(url: string, flags: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-hostile-report-'));
  const out = sink();
  const err = sink();
  const t0 = Date.now();
  const code = await main(
    [
      'run',
      '--profile',
      'luxcore',
      '--target',
      url,
      '--credentials',
      credentials,
      '--seed',
      '1',
      '--report',
      dir,
      ...flags,
    ],
    out,
    err,
  );
  const seconds = (Date.now() - t0) / 1000;
  const report = existsSync(join(dir, 'report.json'))
    ? (JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson)
    : undefined;
  return { code, seconds, report, files: readdirSync(dir).sort(), out: out.text + err.text };
}

describe('authconform run against a hostile target', { timeout: 20_000 }, () => {
  it('--max-time 2 ends a run against a target that never answers in about 2 s, reports written', async () => {
    hostile = await startHostileTarget('never-answers');
    const r = await runAgainst(hostile.url, [
      '--scenario',
      'missing-key,revoked-key-refused,nonce-replayed',
      '--timeout',
      '60000',
      '--max-time',
      '2',
    ]);
    // Without the deadline the first request alone waits out --timeout 60000: well under that is
    // the deadline at work, with room for a loaded machine (it took 5 s under a full suite on 2 cores).
    expect(r.seconds, r.out).toBeLessThan(12);
    expect(r.code, r.out).toBe(3);
    expect(r.files).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    expect(r.report!.overall).toMatchObject({ verdict: 'ERROR', exitCode: 3 });
    expect(r.report!.verdicts).toHaveLength(3);
    for (const v of r.report!.verdicts) {
      expect(v.status).toBe('ERROR');
      expect(v.reason).toMatch(
        /^run deadline \(--max-time 2\) passed before this scenario (ran|finished)$/,
      );
    }
  });

  it('--timeout cuts a body that never ends: the case is ERROR and the reports are written', async () => {
    hostile = await startHostileTarget('endless-body');
    const r = await runAgainst(hostile.url, [
      '--scenario',
      'missing-key',
      '--runs',
      '1',
      '--timeout',
      '300',
    ]);
    expect(r.code, r.out).toBe(3);
    expect(r.files).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    expect(r.report!.verdicts).toHaveLength(1);
    expect(r.report!.verdicts[0]).toMatchObject({ scenario: 'missing-key', status: 'ERROR' });
    expect(r.report!.verdicts[0]!.reason).toMatch(
      /no complete answer within --timeout 300 ms \(connect, headers and the whole body\)$/,
    );
    // Asked once: the shrink steps that follow a failure did not ask again (a --timeout each).
    const scenarioRequests = hostile.requests.filter(
      (x) => x !== 'GET /' && !x.includes('/__mock/'),
    );
    expect(scenarioRequests).toHaveLength(1);
    expect(r.seconds, r.out).toBeLessThan(6);
  });

  it('rejects a --max-time or --max-body that is not one, naming the flag (exit 2)', async () => {
    for (const [flag, value] of [
      ['--max-time', '0'],
      ['--max-time', '5 minutes'],
      ['--max-body', '0'],
      ['--max-body', '4x'],
    ] as const) {
      const err = sink();
      const code = await main(['run', '--profile', 'luxcore', flag, value], sink(), err);
      expect(code, `${flag} ${value}`).toBe(2);
      expect(err.text).toContain(`${flag} must be`);
      expect(err.text).toContain(`got "${value}"`);
    }
  });
});
