// Issue 13 item 7: every authconform command in docs/*.md runs as written. A command is one line
// of a ```sh block or an inline `npx authconform ...` span; each is listed here and run from the
// doc's own text (in a folder holding what the doc's earlier steps leave: a profile of your own
// and its fixtures), its outcome checked. A doc command nobody runs, or a listed command the docs
// no longer have, fails.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readmeCommands } from './readme-commands.ts';
import { answerStateCall } from '../../examples/state-hooks/state-hooks.ts';
import { runMain } from '../cli/run-main.ts';
import { runMock } from '../../src/cli/mock-command.ts';
import { createBookshelfServer } from '../../docs/tutorial/bookshelf-server.mjs';
import { createClient } from '@redis/client';
import { HAS_REDIS, NEEDS_REDIS, startRedisServer } from '../support/redis-server.ts';

const ROOT = join(import.meta.dirname, '../..');
const DOCS = join(ROOT, 'docs');
/** Added to a run so it stays a few seconds long. */
const BOUNDED = ['--scenario', 'missing-key,revoked-key-refused', '--runs', '2', '--seed', '1'];

/** The `npx authconform ...` code spans of a Markdown text, a span's line breaks read as spaces. */
function inlineCommands(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  return [...prose.matchAll(/`(npx authconform [^`]+)`/g)].map((m) =>
    m[1]!.replace(/\s+/g, ' ').trim(),
  );
}

const docs = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const commands = docs.flatMap((f) => {
  const text = readFileSync(join(DOCS, f), 'utf8');
  return [...readmeCommands(text), ...inlineCommands(text)]
    .filter((command) => !/^export [A-Z_][A-Z0-9_]*=/.test(command)) // a shell variable, no command
    .map((command) => ({ doc: f, command }));
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
const ok = (pattern: RegExp) => (r: Result) => {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(pattern);
};

let work: string;
let mock: RunningMock | undefined;

/** Runs `make` once, however many cases need what it leaves. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
const CREDENTIALS =
  'npx authconform credentials --profile my-api/profile.yaml --fixtures my-api/fixtures.yaml --out my-api/credentials.yaml';
const MOCK =
  'npx authconform mock --profile my-api/profile.yaml --fixtures my-api/fixtures.yaml --port 4010';
const argvOf = (command: string) => command.replace(/^npx authconform /, '').split(' ');
const credentialsWritten = once(() => authconform(argvOf(CREDENTIALS)));
const fixturesGenerated = once(() =>
  authconform(['fixtures', '--profile', 'my-api/profile.yaml', '--out', 'my-api/generated.yaml']),
);
// On a free port rather than 4010; it keeps running for the run below.
const mockStarted = once(async () => {
  await credentialsWritten();
  mock = await startMock(argvOf(MOCK).map((a) => (a === '4010' ? '0' : a)));
  return mock;
});

const STATE_TOKEN = 'docs-state-token-0123456789';
/**
 * The state hooks a staging deployment would expose (docs/state-protocol.md), made with the
 * reference middleware's core over the running mock: reset and clock go to its /__mock/ routes.
 */
const stateHooksStarted = once(async () => {
  const { url } = await mockStarted();
  let offset = 0;
  const control = (path: string, body: unknown) =>
    fetch(`${url}/__mock/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const answer = await answerStateCall(
      {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').replace(/^\/__state/, '') || '/',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      },
      {
        token: STATE_TOKEN,
        reset: async () => {
          offset = 0;
          await control('reset', {});
        },
        advance: async (seconds) => {
          offset += seconds;
          await control('clock', { advanceSeconds: seconds });
        },
        offsetSeconds: () => offset,
        now: () => Date.now() + offset * 1000,
      },
    );
    res.writeHead(answer.status, answer.headers).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stateHooks = server;
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/__state`;
});
let stateHooks: Server | undefined;

/** How each command is run (argv as the doc writes it, after `npx authconform`) and checked. */
const EXERCISED: Record<string, (argv: string[]) => Promise<void>> = {
  'npx authconform validate my-api/profile.yaml my-api/fixtures.yaml': async (argv) =>
    ok(/^ok\s+profile\s+my-api\/profile\.yaml$[\s\S]*^ok\s+fixtures\s+my-api\/fixtures\.yaml$/m)(
      await authconform(argv),
    ),
  [CREDENTIALS]: async () => ok(/^wrote my-api\/credentials\.yaml$/m)(await credentialsWritten()),
  [MOCK]: async () => {
    const { url } = await mockStarted();
    const health = await (await fetch(`${url}/__mock/health`)).json();
    expect(health.profile).toBe('acme');
  },
  'npx authconform run --profile my-api/profile.yaml --target http://127.0.0.1:4010 --credentials my-api/credentials.yaml --resettable':
    async (argv) => {
      const { url } = await mockStarted();
      const args = argv.map((a) => (a === 'http://127.0.0.1:4010' ? url : a));
      ok(/\d+ passed, 0 failed/)(await authconform([...args, ...BOUNDED]));
    },
  'npx authconform validate my-api/profile.yaml my-api/credentials.yaml': async (argv) => {
    await credentialsWritten();
    ok(/^ok\s+credentials\s+my-api\/credentials\.yaml$/m)(await authconform(argv));
  },
  'npx authconform list --profile my-api/profile.yaml': async (argv) =>
    ok(/^acme {2}Acme Widgets API/m)(await authconform(argv)),
  // A generated world, written beside the copied one (which the mock and credentials above read).
  'npx authconform fixtures --profile my-api/profile.yaml --out my-api/fixtures.yaml': async () =>
    ok(/^wrote my-api\/generated\.yaml$/m)(await fixturesGenerated()),
  'npx authconform run --profile my-api/profile.yaml --target mock --fixtures my-api/fixtures.yaml':
    async (argv) => {
      await fixturesGenerated();
      const args = argv.map((a) => (a === 'my-api/fixtures.yaml' ? 'my-api/generated.yaml' : a));
      ok(/\d+ passed, 0 failed/)(await authconform([...args, ...BOUNDED]));
    },
  // docs/state-protocol.md: a staging URL and its state hooks, here the mock and hooks over it.
  'npx authconform run --profile luxcore --target https://staging.example.com --credentials luxcore.credentials.yaml --state-url https://staging.example.com/__state':
    async (argv) => {
      const { url } = await mockStarted();
      const hooks = await stateHooksStarted();
      await authconform([
        'credentials',
        '--profile',
        'luxcore',
        '--out',
        'luxcore.credentials.yaml',
      ]);
      const args = argv.map((a) =>
        a === 'https://staging.example.com'
          ? url
          : a === 'https://staging.example.com/__state'
            ? hooks
            : a,
      );
      // The clock scenario runs through the hooks (without them it is not run against a URL).
      const r = await authconform(
        [
          ...args,
          '--scenario',
          'missing-key,nonce-replayed-late-in-window',
          '--runs',
          '2',
          '--seed',
          '1',
        ],
        { AUTHCONFORM_STATE_TOKEN: STATE_TOKEN },
      );
      ok(/2 passed, 0 failed/)(r);
    },
  // docs/shared-mock.md: a replica keeping its state in Redis (a redis-server of the test's own).
  'npx authconform mock --profile luxcore --port 4010 --store redis://127.0.0.1:6379/0': async (
    argv,
  ) => {
    const redis = await startRedisServer();
    const port = (a: string) => a.replace('4010', '0').replace(':6379/', `:${redis.port}/`);
    const replica = await startMock(argv.map(port));
    try {
      const health = await (await fetch(`${replica.url}/__mock/health`)).json();
      expect(health).toMatchObject({ ok: true, profile: 'luxcore', stats: { keys: 7 } });
      const seeded = createClient({ url: redis.url });
      await seeded.connect();
      expect(await seeded.get('authconform:luxcore:seeded')).toMatch(/^profile luxcore,/);
      await seeded.close();
    } finally {
      await replica.stop();
      await redis.stop();
    }
  },
  'npx authconform run --profile my-api/profile.yaml --target mock': async (argv) =>
    ok(/\d+ passed, 0 failed/)(await authconform([...argv, ...BOUNDED])),
  // docs/writing-a-scenario.md: the team's scenario folder, run beside the built-in scenarios.
  'npx authconform validate my-api/scenarios': async (argv) =>
    ok(/^ok\s+scenario\s+my-api\/scenarios\/writes\.yaml$/m)(await authconform(argv)),
  'npx authconform run --profile my-api/profile.yaml --target mock --scenarios my-api/scenarios --scenario team-revoked-on-writes':
    async (argv) =>
      ok(/^acme\s+team-revoked-on-writes\s+MUST\s+PASS$[\s\S]*\b1 passed, 0 failed/m)(
        await authconform([...argv, '--runs', '3', '--seed', '1']),
      ),
  'npx authconform validate my-api/profile.yaml my-api/scenarios': async (argv) =>
    ok(
      /^ok\s+profile\s+my-api\/profile\.yaml$[\s\S]*^ok\s+scenario\s+my-api\/scenarios\/writes\.yaml$/m,
    )(await authconform(argv)),
  // docs/custom-signer.md: the Parcelpost example saved as parcelpost/ (beforeAll copies it).
  'npx authconform validate parcelpost/profile.yaml': async (argv) =>
    ok(/^ok\s+profile\s+parcelpost\/profile\.yaml$/m)(await authconform(argv)),
  'npx authconform run --profile parcelpost/profile.yaml --target mock': async (argv) =>
    ok(/^parcelpost\s+signature-wrong-key-id\s+MUST\s+PASS$[\s\S]*\b19 passed, 0 failed/m)(
      await authconform([...argv, '--runs', '5', '--seed', '1']),
    ),
  // Its own server: here the mock serving the same module, with a saved world and its credentials.
  'npx authconform run --profile parcelpost/profile.yaml --target https://staging.example.com --credentials parcelpost/credentials.yaml':
    async (argv) => {
      const { url } = await parcelpostServed();
      const args = argv.map((a) => (a === 'https://staging.example.com' ? url : a));
      const only = [
        '--scenario',
        'signature-wrong-key-id,signature-body-tampered,timestamp-too-old',
      ];
      ok(/3 passed, 0 failed/)(await authconform([...args, ...only, '--runs', '3', '--seed', '1']));
    },
  // docs/writing-a-profile.md's tutorial, step by step: Bookshelf's OpenAPI document (beforeAll
  // copies it as openapi.yaml) to a green run against the mock and against its own server.
  'npx authconform init --from openapi.yaml --out bookshelf': async () =>
    ok(/^wrote bookshelf\/profile\.yaml$[\s\S]*^4 question\(s\) to answer/m)(await bookshelfInit()),
  'npx authconform validate bookshelf': async (argv) => {
    await bookshelfInit();
    const r = await authconform(argv);
    ok(/^ok\s+profile\s+bookshelf\/profile\.yaml$/m)(r);
    expect(
      r.stdout.match(/^warning: bookshelf\/profile\.yaml:\d+:\d+: unanswered: /gm),
    ).toHaveLength(4);
  },
  'npx authconform fixtures --profile bookshelf/profile.yaml --out bookshelf/fixtures.yaml': async (
    argv,
  ) => {
    await bookshelfAnswered();
    ok(/^wrote bookshelf\/fixtures\.yaml$/m)(await authconform(argv));
  },
  'npx authconform run --profile bookshelf/profile.yaml --target mock --fixtures bookshelf/fixtures.yaml':
    async (argv) =>
      ok(/\d+ passed, 0 failed/)(await authconform([...argv, '--runs', '2', '--seed', '1'])),
  'npx authconform run --profile bookshelf/profile.yaml --target http://127.0.0.1:8080 --credentials bookshelf/credentials.yaml':
    async (argv) => {
      await bookshelfAnswered();
      // The credentials the tutorial gives for the server's test instance (its second yaml block).
      writeFileSync(join(work, 'bookshelf/credentials.yaml'), tutorialYaml()[1]!);
      const server = createBookshelfServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const args = argv.map((a) => (a === 'http://127.0.0.1:8080' ? url : a));
        ok(/\d+ passed, 0 failed/)(await authconform([...args, '--runs', '2', '--seed', '1']));
      } finally {
        server.close();
      }
    },
};

const tutorialYaml = () => yamlBlocks(readFileSync(join(DOCS, 'writing-a-profile.md'), 'utf8'));
const bookshelfInit = once(() =>
  authconform(argvOf('npx authconform init --from openapi.yaml --out bookshelf')),
);
/** Step 2 of the tutorial: its key format (first yaml block) in, every TODO comment out. */
const bookshelfAnswered = once(async () => {
  await bookshelfInit();
  const file = join(work, 'bookshelf/profile.yaml');
  const answered = readFileSync(file, 'utf8')
    .replace(/^keyFormats:\n(?: .*\n)+/m, tutorialYaml()[0]!)
    .replace(/^ *# TODO\(authconform\):.*\n/gm, '');
  writeFileSync(file, answered);
});

let parcelpostMock: RunningMock | undefined;
const parcelpostServed = once(async () => {
  const profile = ['--profile', 'parcelpost/profile.yaml'];
  ok(/wrote/)(await authconform(['fixtures', ...profile, '--out', 'parcelpost/fixtures.yaml']));
  const fixtures = ['--fixtures', 'parcelpost/fixtures.yaml'];
  ok(/wrote/)(
    await authconform([
      'credentials',
      ...profile,
      ...fixtures,
      '--out',
      'parcelpost/credentials.yaml',
    ]),
  );
  parcelpostMock = await startMock(['mock', ...profile, ...fixtures, '--port', '0']);
  return parcelpostMock;
});

/**
 * `npx authconform ARGS` in the folder the docs' steps work in, as CI runs it: main(argv) in this
 * test's own process (the slow project gives each file one), which is what bin/authconform.js
 * runs (test/cli/bin.slow.test.ts starts the bin itself, test/cli/mock-background-kill.test.ts
 * the bin's mock; the long-running mocks below are runMock, in this process too). The cases run one after another, so the working folder is this command's while
 * it runs.
 */
async function authconform(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const cwd = process.cwd();
  for (const [name, value] of Object.entries({ CI: 'true', ...env })) vi.stubEnv(name, value);
  process.chdir(work);
  try {
    return await runMain(...args);
  } finally {
    process.chdir(cwd);
    vi.unstubAllEnvs();
  }
}

interface RunningMock {
  url: string;
  stop: () => Promise<void>;
}

/**
 * `npx authconform mock ...` (args start with `mock`) in this process too: runMock started in the
 * working folder (it reads the profile and fixtures as it starts), serving until stop(), as
 * Ctrl-C stops the command.
 */
async function startMock(args: string[]): Promise<RunningMock> {
  expect(args[0]).toBe('mock');
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const ctrl = new AbortController();
  const cwd = process.cwd();
  process.chdir(work);
  const serving = runMock(args.slice(1), sink, ctrl.signal, sink);
  const stop = async () => {
    ctrl.abort();
    expect(await serving, out).toBe(0);
  };
  try {
    // Serving, or refused: whichever comes first.
    await Promise.race([
      expect.poll(() => out, { timeout: 20_000 }).toContain('Ctrl-C stops.'),
      serving.then((code) => Promise.reject(new Error(`mock exited ${code}: ${out}`))),
    ]);
  } catch (e) {
    ctrl.abort();
    throw e;
  } finally {
    process.chdir(cwd);
  }
  return { url: /listening on (http:\/\/\S+)/.exec(out)![1]!, stop };
}

beforeAll(() => {
  // What "start from the closest built-in profile" and "copy the built-in fixtures ... and change
  // the profile id" leave: luxcore's profile and fixtures, renamed to an API of your own.
  work = mkdtempSync(join(tmpdir(), 'authconform-docs-'));
  mkdirSync(join(work, 'my-api'));
  const profile = readFileSync(join(ROOT, 'specs/profiles/luxcore.yaml'), 'utf8')
    .replace(/^id: luxcore$/m, 'id: acme')
    .replace(/^name: .*$/m, 'name: Acme Widgets API');
  writeFileSync(join(work, 'my-api/profile.yaml'), profile);
  const fixtures = readFileSync(join(ROOT, 'fixtures/luxcore.yaml'), 'utf8').replace(
    /^profile: luxcore$/m,
    'profile: acme',
  );
  writeFileSync(join(work, 'my-api/fixtures.yaml'), fixtures);
  cpSync(join(ROOT, 'examples/custom-signer'), join(work, 'parcelpost'), { recursive: true });
  cpSync(join(DOCS, 'tutorial/bookshelf-openapi.yaml'), join(work, 'openapi.yaml'));
  // docs/writing-a-scenario.md: its scenario file as the doc says to save it, and its profile
  // citation added to the profile of your own.
  const [scenario, cites] = yamlBlocks(readFileSync(join(DOCS, 'writing-a-scenario.md'), 'utf8'));
  mkdirSync(join(work, 'my-api/scenarios'));
  writeFileSync(join(work, 'my-api/scenarios/writes.yaml'), scenario!);
  writeFileSync(join(work, 'my-api/profile.yaml'), `${profile}\n${cites!}`);
});

/** The ```yaml blocks of a Markdown text. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}
afterAll(async () => {
  await mock?.stop();
  await parcelpostMock?.stop();
  stateHooks?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the reference docs', () => {
  // A reader has the package, not this repository: name what `files` ships, or a command.
  const shipped: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files;
  const unshipped = readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => `${e.name}/`)
    .filter((dir) => !shipped.includes(dir));

  for (const doc of ['writing-a-profile.md', 'profile-fields.md'])
    it(`${doc} names no path the package does not ship`, () => {
      expect(unshipped).toEqual(expect.arrayContaining(['src/', 'test/', 'mock-server/']));
      const text = readFileSync(join(DOCS, doc), 'utf8');
      const paths = [...text.matchAll(/`([^`\s]+)`|\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? m[2]!);
      expect(paths.filter((p) => unshipped.some((dir) => p.startsWith(dir)))).toEqual([]);
    });

  it('writing-a-profile.md links the list of what the format cannot express', () => {
    const text = readFileSync(join(DOCS, 'writing-a-profile.md'), 'utf8');
    expect(text).toContain('(sixth-profile.md#what-the-format-could-not-express)');
    expect(readFileSync(join(DOCS, 'sixth-profile.md'), 'utf8')).toMatch(
      /^## What the format could not express$/m,
    );
  });
});

describe('docs/*.md commands', () => {
  it('finds the commands of the sh blocks and the inline spans', () => {
    const found = commands.map((c) => c.command);
    expect(found).toContain('npx authconform validate my-api/profile.yaml my-api/fixtures.yaml');
    expect(found).toContain('npx authconform validate my-api/profile.yaml my-api/credentials.yaml');
  });

  it('lists every command of the docs, and no command the docs lost', () => {
    const found = commands.map((c) => c.command);
    expect(commands.filter((c) => !(c.command in EXERCISED))).toEqual([]);
    expect(Object.keys(EXERCISED).filter((c) => !found.includes(c))).toEqual([]);
  });

  for (const [command, exercise] of Object.entries(EXERCISED)) {
    const needsRedis = command.includes(' --store redis://');
    it.skipIf(needsRedis && !HAS_REDIS)(
      `runs: ${command}${needsRedis ? NEEDS_REDIS : ''}`,
      async () => {
        expect(command.startsWith('npx authconform '), 'only authconform runs here').toBe(true);
        await exercise(argvOf(command));
      },
      60_000,
    );
  }
});
