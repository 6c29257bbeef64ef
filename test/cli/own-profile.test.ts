/**
 * Issue 13 item 5: your own profile without dead ends. A profile of your own (a copy of the
 * Tidewater example, without its credentials or server data) gets a seeded world from
 * `authconform fixtures`, which validates and which `run --target mock` passes with; with no
 * fixtures at all `run --target mock` serves a generated world; a missing --fixtures file says
 * what to do instead of ENOENT; `validate` names an example that breaks its schema where it is.
 */
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/model/fixtures.ts';
import { runMain as cli } from './run-main.ts';
import { runMock } from '../../src/cli/mock-command.ts';

const EXAMPLE = join(import.meta.dirname, '../../examples/fastify-tidewater');

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * The profile and its schemas/ only: no fixtures, no credentials. One copy for the file: a
 * process holds one schema per $id, and each copy's schemas/ would claim the same ones.
 */
const OWN = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-own-'));
  cpSync(join(EXAMPLE, 'profile.yaml'), join(dir, 'profile.yaml'));
  cpSync(join(EXAMPLE, 'schemas'), join(dir, 'schemas'), { recursive: true });
  return { dir, profile: join(dir, 'profile.yaml') };
})();
const ownProfile = () => OWN;

describe('authconform fixtures: a seeded world for your own profile', () => {
  it('writes a world (0600) that validates and that run --target mock passes with', async () => {
    const { dir, profile } = ownProfile();
    const file = join(dir, 'fixtures.yaml');
    const made = await cli('fixtures', '--profile', profile, '--out', file);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const checked = await cli('validate', profile, file);
    expect(checked.stdout).toMatch(/ok\s+fixtures/);
    expect(checked.code).toBe(0);

    const run = await cli(
      'run',
      '--profile',
      profile,
      '--target',
      'mock',
      '--fixtures',
      file,
      '--runs',
      '2',
      '--seed',
      '7',
    );
    expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed, 0 partial, 0 skipped, 0 errors/m);
    expect(run.code).toBe(0);
  }, 30_000);

  it('run --target mock with no fixtures serves a world generated from the profile', async () => {
    const { profile } = ownProfile();
    // One draw per scenario on each transport: the generated world is under test, not the search.
    for (const target of ['mock', 'msw']) {
      const run = await cli('run', '--profile', profile, '--target', target, '--runs', '1');
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed/m);
      expect(run.code).toBe(0);
    }
  }, 30_000);

  it('mock with no fixtures serves a generated world, and says so', async () => {
    const { profile } = ownProfile();
    const out = sink();
    const stop = new AbortController();
    const serving = runMock(['--profile', profile, '--port', '0'], out.stream, stop.signal);
    await expect.poll(() => out.text(), { timeout: 5000 }).toContain('Ctrl-C stops');
    stop.abort();
    expect(await serving).toBe(0);
    expect(out.text()).toContain('no fixtures given, serving a world generated from the profile');
    expect(out.text()).toMatch(/valid\s+twk_test_[0-9a-f]{40}/);
  });
});

describe('mock --profile FILE --fixtures FILE', () => {
  it('serves the world of that file', async () => {
    const file = join(OWN.dir, 'served-fixtures.yaml');
    expect((await cli('fixtures', '--profile', OWN.profile, '--out', file)).code).toBe(0);
    const world = parse(readFileSync(file, 'utf8')) as Fixtures;
    const valid = world.keys.find((k) => k.id === world.roles.keys!.valid)!.value;
    const out = sink();
    const stop = new AbortController();
    const serving = runMock(
      ['--profile', OWN.profile, '--fixtures', file, '--port', '0'],
      out.stream,
      stop.signal,
    );
    await expect.poll(() => out.text(), { timeout: 5000 }).toContain('Ctrl-C stops');
    stop.abort();
    expect(await serving).toBe(0);
    expect(out.text()).toContain(valid);
    expect(out.text()).not.toContain('generated from the profile');
  });
});

describe('validate checks the examples of your own profile', () => {
  it('a success example that breaks its schema is named at its line and column', async () => {
    const text = readFileSync(OWN.profile, 'utf8').replace(
      'service: express, amount: 14900',
      'service: overnight, amount: 14900',
    );
    const file = join(OWN.dir, 'wrong-example.yaml');
    writeFileSync(file, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('service: overnight')) + 1;
    const column = lines[line - 1]!.indexOf('overnight') + 1;
    const r = await cli('validate', file);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      `wrong-example.yaml:${line}:${column}: example does not match its schema tidewater.json#/$defs/rateQuote: /data/0/service: expected one of ["economy","express"], found "overnight"`,
    );
  });
});

describe('a missing --fixtures file', () => {
  it('is one line naming the file and the command that writes one, exit 2', async () => {
    const { dir, profile } = ownProfile();
    const missing = join(dir, 'missing-fixtures.yaml');
    for (const argv of [
      ['mock', '--profile', profile, '--port', '0', '--fixtures', missing],
      ['run', '--profile', profile, '--target', 'mock', '--fixtures', missing],
      ['credentials', '--profile', profile, '--fixtures', missing, '--out', '-'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv[0]).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), argv[0]).toHaveLength(1);
      expect(r.stderr).toContain(`--fixtures ${missing}: no such file`);
      expect(r.stderr).toContain(`authconform fixtures --profile ${profile} --out ${missing}`);
      expect(r.stderr).not.toContain('ENOENT');
    }
  });
});
