// Issue 5 item 5: every command in README.md's sh blocks is run by a test or by .ci/run.
// A command is either run here, from the README's own text, with its outcome checked, or listed
// with the file that runs it, which must really contain its invocation. A README command that
// nobody runs, or a listed command the README no longer has, fails.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer, type RunningMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { readmeCommands, normalizeInvocation } from './readme-commands.ts';
import { runMain } from '../cli/run-main.ts';

const ROOT = join(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const STAGING = 'https://staging.example.com';
/** Added to a run against the local stand-in for staging, so it stays a few seconds long. */
const BOUNDED = ['--scenario', 'missing-key,revoked-key-refused', '--runs', '2', '--seed', '1'];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
type Exercise =
  { where: string; core: string[]; note?: string } | { here: (r: Result) => void; note?: string };

const ok = (pattern: RegExp) => (r: Result) => {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(pattern);
};

const EXERCISED: Record<string, Exercise> = {
  'npm ci': { where: '.ci/run', core: ['npm ci'] },
  'npx authconform run --profile all --target mock': {
    where: '.ci/run',
    core: ['run --profile all --target mock'],
  },
  'npm test': { where: '.ci/run', core: ['npm test'] },
  'npm pack': { where: 'test/package/packed-install.ts', core: ['npm pack'] },
  'npm install --save-dev ./authconform-0.1.0.tgz': {
    where: 'test/package/packed-install.ts',
    core: ['npm install --save-dev'],
    note: 'the tarball npm pack wrote, installed into an empty folder',
  },
  [`npx authconform run --profile luxcore --target ${STAGING} --credentials luxcore.credentials.yaml --report reports/authconform`]:
    {
      note: 'staging is the bundled mock over HTTP on a free port; BOUNDED keeps it short',
      here: (r) => {
        ok(/\d+ passed, 0 failed/)(r);
        for (const f of ['junit.xml', 'report.json', 'summary.md', 'report.html'])
          expect(existsSync(join(work, 'reports/authconform', f)), f).toBe(true);
      },
    },
  'npx authconform credentials --profile luxcore --out luxcore.credentials.yaml': {
    here: (r) => {
      ok(/^wrote luxcore\.credentials\.yaml$/m)(r);
      expect(statSync(join(work, 'luxcore.credentials.yaml')).mode & 0o777).toBe(0o600);
    },
  },
  'npx authconform validate luxcore.credentials.yaml': {
    here: ok(/^ok\s+credentials\s+luxcore\.credentials\.yaml$/m),
  },
  [`npx authconform run --profile luxcore --target ${STAGING} --credentials luxcore.credentials.yaml --report certification`]:
    {
      note: 'as the CI run',
      here: (r) => {
        ok(/\d+ passed, 0 failed/)(r);
        const report = JSON.parse(readFileSync(join(work, 'certification/report.json'), 'utf8'));
        expect(report.overall.verdict).toBe('PASS');
        expect(existsSync(join(work, 'certification/report.html'))).toBe(true);
      },
    },
  'npx authconform mock --profile luxcore': {
    where: 'test/package/pack.test.ts',
    core: ['authconform mock --profile luxcore'],
    note: 'from the installed tarball, with --port 0',
  },
  'npx authconform mock --profile all --port 4010': {
    where: 'test/cli/mock-command.test.ts',
    core: ['runMock(args', '--profile all --port'],
    note: 'in-process (runMock, what the bin runs for `mock`), on port 0',
  },
  'npx authconform fixtures --profile my-api/profile.yaml --out my-api/fixtures.yaml': {
    here: ok(/^wrote my-api\/fixtures\.yaml$/m),
  },
  'npx authconform validate my-api/profile.yaml my-api/fixtures.yaml': {
    here: ok(/^ok\s+fixtures\s+my-api\/fixtures\.yaml$/m),
  },
  'npx authconform run --profile my-api/profile.yaml --target mock --fixtures my-api/fixtures.yaml':
    { note: 'BOUNDED keeps it short', here: ok(/\d+ passed, 0 failed/) },
  'npx authconform mock --profile my-api/profile.yaml --fixtures my-api/fixtures.yaml': {
    where: 'test/cli/own-profile.test.ts',
    core: ['runMock', '--profile OWN.profile --fixtures file'],
    note: 'a profile of your own and the world fixtures wrote for it, on port 0',
  },
  'npx authconform validate my-api/profile.yaml': {
    note: 'my-api/profile.yaml is a copy of a built-in profile',
    here: ok(/^ok\s+profile\s+my-api\/profile\.yaml$/m),
  },
  'npx authconform list --profile my-api/profile.yaml': { here: ok(/^luxcore {2}LuxCore API/) },
  [`npx authconform run --profile my-api/profile.yaml --target ${STAGING} --credentials my-api/credentials.yaml`]:
    { note: 'as the CI run', here: ok(/\d+ passed, 0 failed/) },
  'npx authconform validate': { here: ok(/ 0 with problems/) },
  'npx authconform list --profile luxcore': { here: ok(/^luxcore {2}LuxCore API/) },
  'npx authconform help': { here: ok(/^Usage:$/m) },
  'npm run typecheck': { where: '.ci/run', core: ['npm run --silent typecheck'] },
  'npm run format:check': { where: '.ci/run', core: ['npm run --silent format:check'] },
  'bash .ci/run': { where: '.ci/run', core: ['#!/usr/bin/env bash'], note: 'CI runs this file' },
};

const commands = readmeCommands(README);
let work: string;
let server: RunningMockServer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'authconform-readme-'));
  server = await startMockServer(await createAuthMock({ profile: 'luxcore' }), {
    host: '127.0.0.1',
    port: 0,
  });
  // What the README's earlier steps leave in the folder: a profile of your own, its credentials.
  mkdirSync(join(work, 'my-api'));
  copyFileSync(join(ROOT, 'specs/profiles/luxcore.yaml'), join(work, 'my-api/profile.yaml'));
  const creds = await authconform(['credentials', '--profile', 'luxcore', '--out', '-']);
  writeFileSync(join(work, 'my-api/credentials.yaml'), creds.stdout, { mode: 0o600 });
  await authconform(['credentials', '--profile', 'luxcore', '--out', 'luxcore.credentials.yaml']);
});
afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * `npx authconform ARGS` in the folder the README's steps work in, as CI runs it: main(argv) in
 * this test's own process (the slow project gives each file one), which is what
 * bin/authconform.js runs (test/cli/bin.slow.test.ts starts the bin itself). The tests of this
 * file run one after another, so the working folder is this command's while it runs.
 */
async function authconform(args: string[]): Promise<Result> {
  const cwd = process.cwd();
  vi.stubEnv('CI', 'true');
  process.chdir(work);
  try {
    return await runMain(...args);
  } finally {
    process.chdir(cwd);
    vi.unstubAllEnvs();
  }
}

describe('README.md commands', () => {
  it('finds the commands of every sh block, continuation lines joined and comments dropped', () => {
    expect(commands).toContain('npx authconform run --profile all --target mock');
    expect(commands).toContain('npx authconform validate');
    expect(commands.length).toBeGreaterThanOrEqual(15);
  });

  it('lists every README command with where it is exercised, and no command the README lost', () => {
    expect(commands.filter((c) => !(c in EXERCISED))).toEqual([]);
    expect(Object.keys(EXERCISED).filter((c) => !commands.includes(c))).toEqual([]);
  });

  it('names files that really invoke each command exercised elsewhere', () => {
    for (const [command, how] of Object.entries(EXERCISED)) {
      if (!('where' in how)) continue;
      const file = join(ROOT, how.where);
      expect(existsSync(file), `${command}: ${how.where} does not exist`).toBe(true);
      const text = normalizeInvocation(readFileSync(file, 'utf8'));
      for (const core of how.core)
        expect(text.includes(core), `${command}: ${how.where} never runs "${core}"`).toBe(true);
    }
  });

  it('installs the tarball npm pack writes for this version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(commands).toContain(`npm install --save-dev ./authconform-${version}.tgz`);
  });

  for (const command of commands) {
    const how = EXERCISED[command];
    if (!how || !('here' in how)) continue;
    it(`runs: ${command}`, async () => {
      const argv = command.replace(/^npx authconform /, '').split(' ');
      expect(command.startsWith('npx authconform '), 'only authconform runs here').toBe(true);
      const local = argv.includes(STAGING);
      const args = argv.map((a) => (a === STAGING ? server.url : a));
      // Every run is bounded: against the stand-in for staging, and against the mock.
      how.here(await authconform(local || argv[0] === 'run' ? [...args, ...BOUNDED] : args));
    }, 60_000);
  }
});
