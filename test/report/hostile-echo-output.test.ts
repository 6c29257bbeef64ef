// A hostile target cannot reach the reader through the harness (issue 12, items 9 and 10):
// `authconform run --report DIR` against a target whose every answer opens with terminal control
// sequences and echoes the credentials it was sent JSON-escaped, percent-encoded, as entities and
// in base64 prints and writes no raw control character and no whole secret in any form, on
// stdout, on stderr, in junit.xml, report.json, summary.md, report.html and the job summary.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/secrets/mask-known-secrets.ts';
import { maskSecret } from '../../src/secrets/mask.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { PACKAGE_ROOT } from '../../src/spec/spec-paths.ts';
import { ECHOED_FORMS, startHostileEcho, type HostileEcho } from '../support/hostile-echo.ts';
import { filesUnder, fixtureSecrets, readingsOf, secretsFoundIn } from './find-secrets.ts';

const secrets = fixtureSecrets();
const { profile } = resolveProfile('luxcore');
const creds = fixturesToCredentials(builtInFixtures(profile), profile);
const runSecrets = secretsOf(creds);

/** Raw bytes that act on a terminal (C0 but newline and tab, DEL, C1) or reorder text (bidi). */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function rawControlsIn(text: string): string[] {
  return [...new Set(text.match(RAW_CONTROL) ?? [])].map(
    (c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

/** The secrets found whole in a text, in any reading of it (raw, unescaped, base64-decoded). */
function secretsIn(text: string): string[] {
  const readings = readingsOf(text);
  return secrets.filter((s) => readings.some((r) => r.includes(s.value))).map((s) => s.where);
}

describe('a hostile echo target, run with --report DIR', { timeout: 120_000 }, () => {
  let echo: HostileEcho;
  let dir: string;
  let stdout = '';
  let stderr = '';
  let code = 0;

  beforeAll(async () => {
    echo = await startHostileEcho(runSecrets);
    dir = mkdtempSync(join(tmpdir(), 'authconform-hostile-'));
    const credentials = join(mkdtempSync(join(tmpdir(), 'authconform-creds-')), 'luxcore.json');
    writeFileSync(credentials, JSON.stringify(creds), { mode: 0o600 });
    const args = [
      'run',
      '--profile',
      'luxcore',
      '--target',
      echo.url,
      '--credentials',
      credentials,
      '--scenario',
      'missing-key,unknown-key,revoked-key-refused',
      '--runs',
      '2',
      '--seed',
      '5',
      '--report',
      join(dir, 'r'),
    ];
    try {
      ({ stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [join(PACKAGE_ROOT, 'bin/authconform.js'), ...args],
        {
          cwd: PACKAGE_ROOT,
          env: { PATH: process.env.PATH ?? '', GITHUB_STEP_SUMMARY: join(dir, 'job-summary.md') },
        },
      ));
    } catch (e) {
      ({ stdout, stderr, code } = e as { stdout: string; stderr: string; code: number });
    }
  });
  afterAll(() => echo.close());

  it('the target said it all: the search finds its controls and every echoed form (positive control)', () => {
    expect(code, stderr).toBe(1);
    expect(echo.bodies.length).toBeGreaterThan(3);
    const said = echo.bodies.join('\n');
    expect(rawControlsIn(said)).toEqual(
      expect.arrayContaining(['U+001b', 'U+0007', 'U+000d', 'U+0000', 'U+009b', 'U+202e']),
    );
    const key = runSecrets.find((s) => said.includes(ECHOED_FORMS['JSON-escaped']!(s)))!;
    expect(key).toBeDefined();
    for (const [form, encode] of Object.entries(ECHOED_FORMS)) {
      expect(said.includes(key), form).toBe(false);
      expect(said, form).toContain(encode(key));
      expect(secretsIn(encode(key)), form).not.toEqual([]);
    }
  });

  it('prints no raw control character on stdout or stderr', () => {
    expect(stdout).toContain('FAIL');
    // The warning that quotes the profile id the target's /__mock/health named.
    expect(stdout).toContain('serving profile "luxcore\\x1b[2J\\x1b[H');
    expect(rawControlsIn(stdout)).toEqual([]);
    expect(rawControlsIn(stderr)).toEqual([]);
    expect(stdout).toContain(
      '\\x1b]0;authconform: PASS\\x07FAIL\\rPASS\\x07\\x00\\x7f\\x9b32m\\u202e',
    );
  });

  it('prints no secret whole, in any form, on stdout or stderr', () => {
    expect(secretsIn(stdout + stderr)).toEqual([]);
  });

  it('writes no raw control character into any report', () => {
    const files = filesUnder(dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'job-summary.md',
      'r/junit.xml',
      'r/report.html',
      'r/report.json',
      'r/summary.md',
    ]);
    for (const f of files) expect(rawControlsIn(readFileSync(f, 'utf8')), f).toEqual([]);
  });

  it('writes no secret whole, in any form, into any report, and shows each echo masked', () => {
    const files = filesUnder(dir);
    expect(secretsFoundIn(files, secrets)).toEqual([]);
    const html = readFileSync(join(dir, 'r', 'report.html'), 'utf8');
    const key = runSecrets.find((s) =>
      echo.bodies.some((b) => b.includes(ECHOED_FORMS['JSON-escaped']!(s))),
    )!;
    expect(html).toContain(`[escaped ${maskSecret(key)}]`);
    expect(html).toContain(`[base64 ${maskSecret(key)}]`);
  });
});
