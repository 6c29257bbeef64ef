import { chmodSync, mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runMain } from './run-main.ts';

// main(argv, out, err) in-process, as bin/authconform.js calls it (started as a process once, in
// test/cli/bin.slow.test.ts).
const cli = runMain;

describe('authconform (main in-process)', () => {
  it('validate checks every built-in spec and exits 0', async () => {
    const r = await cli('validate');
    expect(r.code).toBe(0);
    const checked = Number(/^(\d+) file\(s\) checked, 0 with problems/m.exec(r.stdout)?.[1]);
    expect(checked).toBeGreaterThanOrEqual(12); // 5 profiles, 5 fixtures, vectors, scenarios
    expect(r.stdout).toContain('ok    scenario    specs/scenarios/nonce-replay.yaml');
    expect(r.stdout).toContain('ok    profile     specs/profiles/luxcore.yaml');
  });

  it('validate names file, line and column of a broken spec and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-'));
    const file = join(dir, 'bad.yaml');
    const good = readFileSync('fixtures/luxcore.yaml', 'utf8');
    writeFileSync(file, good.replace(/status: active/, 'status: enabled'));
    const r = await cli('validate', file);
    expect(r.code).toBe(1);
    const line = good.split('\n').findIndex((l) => l.includes('status: active')) + 1;
    expect(r.stdout).toMatch(
      new RegExp(
        `bad\\.yaml:${line}:\\d+: keys\\[\\d+\\]\\.status: expected one of "active", "revoked"; found string "enabled"`,
      ),
    );
  });

  it('validate says what kind of file it could not classify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-'));
    writeFileSync(join(dir, 'mystery.yaml'), 'a: 1\n');
    const r = await cli('validate', join(dir, 'mystery.yaml'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('mystery.yaml:1:1: cannot tell what kind of spec this is');
  });

  it('list shows each profile with credentials, formats, scopes and routes', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    for (const id of ['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay'])
      expect(r.stdout).toMatch(new RegExp(`^${id} `, 'm'));
    expect(r.stdout).toContain('x-api-key');
    expect(r.stdout).toContain('qp_test_sk_');
    expect(r.stdout).toContain('payments.view=payments.read');
    expect(r.stdout).toMatch(
      /POST\s+\/api\/v2\/payments\s+apiKey, scope payments.create, signed v1/,
    );
  });

  it('list --profile with an unknown id exits 2 and names the built-in ones', async () => {
    const r = await cli('list', '--profile', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown profile "nope"; built-in profiles: auxvault, gateway, luxcore, vaulera, vesuviopay',
    );
  });

  it('credentials writes a private credentials file that validates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-'));
    const out = join(dir, 'luxcore.credentials.yaml');
    const r = await cli('credentials', '--profile', 'luxcore', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('qp_test_sk_'); // the secret goes to the file, not the terminal
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const creds = parse(readFileSync(out, 'utf8'));
    expect(creds.profile).toBe('luxcore');
    expect(creds.hmac.merchant).toBe('100234');
    const v = await cli('validate', out);
    expect(v.code, v.stdout).toBe(0);
  });

  it('credentials overwriting a file readable by others makes it private too (0600)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-'));
    const out = join(dir, 'shared.credentials.yaml');
    writeFileSync(out, 'old\n', { mode: 0o644 });
    chmodSync(out, 0o644);
    const r = await cli('credentials', '--profile', 'luxcore', '--out', out);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('run warns when the credentials file is readable by others, and refuses a URL that is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-'));
    const file = join(dir, 'luxcore.credentials.yaml');
    expect((await cli('credentials', '--profile', 'luxcore', '--out', file)).code).toBe(0);
    chmodSync(file, 0o644);
    const r = await cli(
      'run',
      '--profile',
      'luxcore',
      '--target',
      'mock',
      '--credentials',
      file,
      '--scenario',
      'missing-key',
      '--runs',
      '1',
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`warning: ${file} holds secrets and is readable by other users`);
    const bad = await cli(
      'run',
      '--profile',
      'luxcore',
      '--target',
      'http://[::1',
      '--credentials',
      file,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target must be "mock", "msw" or an http(s) URL');
  });

  it('credentials without --out is a usage error, so secrets never reach a terminal by accident', async () => {
    const r = await cli('credentials', '--profile', 'luxcore');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out FILE is required');
  });

  it('an unknown command or flag exits 2', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    const r = await cli('list', '--profiel', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--profiel'");
  });
});
