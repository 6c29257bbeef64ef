// Issue 13 item 4: the printed rerun command reproduces the run as given: a user's profile file
// (not its id, which names no built-in profile), the credentials file, and every flag that shapes
// a verdict (--resettable, --timeout, --max-time...), narrowed to the one case.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../examples/fastify-tidewater/server.ts';
import { rerunCommand, shellWord } from '../../src/api/rerun-command.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import { runMain } from './run-main.ts';
import { exampleRunArgs } from '../examples/run-example.ts';

const dir = join(import.meta.dirname, '../../examples/fastify-tidewater');
let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await start(0, '127.0.0.1');
});
afterAll(() => server.close());

/** The words of a command printed with shellWord: plain words and single-quoted ones. */
function words(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!,
  );
}

describe('the rerun command of a run', () => {
  it('reruns a user-profile run with its credentials file and reaches the same verdict', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'authconform-rerun-')), 'report.json');
    const given = [
      ...exampleRunArgs('fastify-tidewater', server.url),
      '--scenario',
      'missing-key',
      '--runs',
      '3',
      '--seed',
      '5',
      '--timeout=4000',
      '--max-time',
      '2m',
      '--json',
      json,
    ];
    const first = await runMain('run', ...given);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [v] = (
      JSON.parse(readFileSync(json, 'utf8')) as { verdicts: (Verdict & { rerun: string })[] }
    ).verdicts;
    expect(v!.status).toBe('PASS');
    expect(v!.rerun).toBe(
      `npx authconform run --profile ${join(dir, 'profile.yaml')} --target ${server.url} --credentials ${join(dir, 'credentials.yaml')} --timeout 4000 --max-time 2m --scenario missing-key --runs 3 --seed 5`,
    );

    const [npx, command, ...argv] = words(v!.rerun);
    expect([npx, command]).toEqual(['npx', 'authconform']);
    const again = await runMain(...argv);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/tidewater\s+missing-key\s+MUST\s+PASS/);
  });

  it('keeps --resettable and names the case profile of --profile all; quotes what a shell would split', () => {
    const v = { profile: 'luxcore', scenario: 'nonce-replayed' } as Verdict;
    expect(
      rerunCommand(v, {
        argv: [
          '--profile',
          'all',
          '--resettable',
          '--credentials',
          'my creds.yaml',
          '--html',
          'r.html',
        ],
        values: { profile: 'all', resettable: true, credentials: 'my creds.yaml', html: 'r.html' },
        runs: 2,
        seed: 9,
        target: 'mock',
      }),
    ).toBe(
      "npx authconform run --profile luxcore --target mock --resettable --credentials 'my creds.yaml' --scenario nonce-replayed --runs 2 --seed 9",
    );
    expect(shellWord("it's")).toBe("'it'\\''s'");
    // Flags added since (--state-url, --fixtures) are repeated as given, with no list to keep.
    expect(
      rerunCommand(v, {
        argv: ['--profile', 'my.yaml', '--target', 'mock', '--fixtures', 'world.yaml'],
        values: { profile: 'my.yaml', target: 'mock', fixtures: 'world.yaml' },
        runs: 1,
        seed: 2,
      }),
    ).toBe(
      'npx authconform run --profile my.yaml --target mock --fixtures world.yaml --scenario nonce-replayed --runs 1 --seed 2',
    );
    expect(
      rerunCommand(v, {
        argv: [
          '--profile=luxcore',
          '--target',
          'https://s.example',
          '--state-url',
          'https://s.example/__state',
          '--state-token-env',
          'TOKEN',
        ],
        values: {
          profile: 'luxcore',
          target: 'https://s.example',
          'state-url': 'https://s.example/__state',
          'state-token-env': 'TOKEN',
        },
        runs: 1,
        seed: 2,
      }),
    ).toBe(
      'npx authconform run --profile luxcore --target https://s.example --state-url https://s.example/__state --state-token-env TOKEN --scenario nonce-replayed --runs 1 --seed 2',
    );
  });
});
