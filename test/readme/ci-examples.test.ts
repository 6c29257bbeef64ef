// Issue 13 item 7: the CI examples in docs/ci/ test the pull request's own build. Each is read
// for its steps (start the server under test, wait for it, run, stop it, publish JUnit, and what
// a fork's pull request does), and then its shell lines are run as the CI would run them, in an
// empty project whose `npm start` serves the bundled mock: the run must pass, and once the job
// is over nothing it started may be left running or listening.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { userEnv } from '../package/packed-install.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/authconform.js');
const GITHUB_TEXT = readFileSync(join(ROOT, 'docs/ci/github-actions.yml'), 'utf8');
const GITLAB_TEXT = readFileSync(join(ROOT, 'docs/ci/gitlab-ci.yml'), 'utf8');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** Added to the run line so the job stays a few seconds long. */
const BOUNDED = '--scenario missing-key,revoked-key-refused --runs 2 --seed 1';
const MARK = 'AUTHCONFORM_TEST_MARK';

interface Step {
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface GitlabJob {
  rules?: { if?: string }[];
  variables?: Record<string, string>;
  script?: string[];
  after_script?: string[];
  artifacts?: { when?: string; paths?: string[]; reports?: { junit?: string } };
}

const github = parse(GITHUB_TEXT) as { jobs: Record<string, { env: object; steps: Step[] }> };
const [githubJob] = Object.values(github.jobs);
const step = (id: string) => {
  const found = githubJob!.steps.find((s) => s.id === id);
  expect(found, `docs/ci/github-actions.yml has no step with id: ${id}`).toBeDefined();
  return found!;
};
const gitlab = parse(GITLAB_TEXT) as Record<string, GitlabJob>;
const reportDir = (line: string) => /--report (\S+)/.exec(line)?.[1];

describe('docs/ci/github-actions.yml', () => {
  it('starts the server under test in the background, its start command marked as yours', () => {
    expect(step('start').run).toMatch(/^setsid npm start > \S+ 2>&1 &\necho \$! > server\.pid$/m);
    expect(GITHUB_TEXT).toMatch(/PLACEHOLDER: `npm start` stands for your server's/);
  });

  it('waits for it with a bounded loop on its URL, runs against that URL, stops the group', () => {
    expect(step('wait').run).toMatch(/for i in \$\(seq \d+\)[\s\S]*curl [^\n]*"\$APP_URL"/);
    expect(step('run').run).toMatch(/^npx authconform run .*--target "\$APP_URL" .*--report \S+$/);
    expect(step('stop').if).toBe('${{ always() }}');
    expect(step('stop').run).toMatch(/pid=\$\(cat server\.pid\)\nkill -- -"\$pid"/);
  });

  it('publishes the JUnit file the run writes under --report, and keeps the report set', () => {
    const dir = reportDir(step('run').run!)!;
    const junit = githubJob!.steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report'));
    expect(junit?.with?.report_paths).toBe(`${dir}/junit.xml`);
    const upload = githubJob!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.path).toContain(`${dir}/`);
  });

  it("skips what needs secrets on a fork's pull request, with a warning saying why", () => {
    const fromFork = 'github.event.pull_request.head.repo.fork';
    for (const s of [step('credentials'), step('run')]) expect(s.if).toBe(`\${{ !${fromFork} }}`);
    expect(step('credentials').env?.LUXCORE_CREDENTIALS).toBe('${{ secrets.LUXCORE_CREDENTIALS }}');
    expect(step('fork').if).toBe(`\${{ ${fromFork} }}`);
    expect(step('fork').run).toMatch(/::warning title=authconform skipped::/);
    const junit = githubJob!.steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report'));
    expect(junit?.if).toContain(`!${fromFork}`);
  });
});

describe('docs/ci/gitlab-ci.yml', () => {
  const job = gitlab.authconform!;
  const script = job.script ?? [];

  it('starts the server, stops its group on exit, waits with a bounded loop, then runs', () => {
    const at = (re: RegExp) => script.findIndex((l) => re.test(l));
    const start = at(/^setsid npm start > \S+ 2>&1 & echo \$! > server\.pid$/);
    const trap = at(/^trap 'kill -- -"\$\(cat server\.pid\)".*' EXIT$/);
    const wait = at(/for i in \$\(seq \d+\)[\s\S]*curl [^\n]*"\$APP_URL"/);
    const run = at(/^npx authconform run .*--target "\$APP_URL" .*--report \S+$/);
    expect(
      [start, trap, wait, run].every((i) => i >= 0),
      script.join('\n'),
    ).toBe(true);
    expect(start < trap && trap < wait && wait < run).toBe(true);
    expect(job.after_script?.join('\n')).toMatch(/kill -- -"\$\(cat server\.pid\)"/);
    expect(GITLAB_TEXT).toMatch(/PLACEHOLDER: `npm start` stands for your server's/);
  });

  it('publishes the JUnit file the run writes under --report, whatever the outcome', () => {
    const dir = reportDir(script.find((l) => l.includes('authconform run'))!)!;
    expect(job.artifacts?.reports?.junit).toBe(`${dir}/junit.xml`);
    expect(job.artifacts?.paths).toContain(`${dir}/`);
    expect(job.artifacts?.when).toBe('always');
  });

  it("runs only where the credentials exist; a fork's pipeline runs a job that says why not", () => {
    expect(job.rules).toEqual([{ if: '$LUXCORE_CREDENTIALS' }]);
    const skipped = gitlab['authconform-skipped']!;
    expect(skipped.rules).toEqual([{ if: '$LUXCORE_CREDENTIALS == null' }]);
    expect(skipped.script?.join('\n')).toMatch(/^echo "authconform did not run - .*fork/);
  });
});

describe('both CI examples', () => {
  it('say how to install authconform from the tarball of this version until it is published', () => {
    for (const text of [GITHUB_TEXT, GITLAB_TEXT]) {
      expect(text).toContain('npm ci && npm pack');
      expect(text).toContain(`npm install --save-dev ./vendor/authconform-${version}.tgz`);
      expect(text).toMatch(/git dependency/);
    }
  });
});

// Running the jobs' shell lines.

const work: string[] = [];
const marks: string[] = [];
afterAll(() => {
  // A job that failed half-way must not leave its server behind: end the processes carrying the
  // mark of a job below (only those, which this file started).
  for (const pid of marks.flatMap(marked))
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  for (const dir of work) rmSync(dir, { recursive: true, force: true });
});

/** An empty project with authconform installed and an `npm start` that serves the mock. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-ci-'));
  work.push(dir);
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules/authconform'));
  symlinkSync(BIN, join(dir, 'node_modules/.bin/authconform'));
  // A compound script, as a build-then-serve one is: sh cannot exec the server in its place, so
  // npm -> sh -> node, and killing npm alone would leave node behind.
  const start = `echo starting && node ${JSON.stringify(BIN)} mock --profile luxcore --port "$PORT"`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start } }));
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Runs a script in bash as CI runners do (-e, pipefail); its exit code and output. */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** Live processes carrying the job's mark (Linux /proc). */
function marked(mark: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/environ`, 'utf8').split('\0').includes(`${MARK}=${mark}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Once the job is over: nothing it started is running or listening (3 s to wind down). */
async function expectNothingLeft(mark: string, port: number) {
  const deadline = Date.now() + 3_000;
  while ((marked(mark).length > 0 || (await listening(port))) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const alive = marked(mark);
  expect(alive, 'processes the job started, still running').toEqual([]);
  expect(await listening(port), `port ${port} still listening`).toBe(false);
}

const credentials = promisify(execFile)(process.execPath, [
  BIN,
  'credentials',
  '--profile',
  'luxcore',
  '--out',
  '-',
]).then((r) => r.stdout);

describe.skipIf(!existsSync('/proc/self/environ'))('the CI jobs, run', () => {
  it.concurrent(
    'GitHub: start, wait, credentials, run, stop; JUnit written, nothing left',
    async () => {
      const dir = project();
      const port = await freePort();
      const mark = randomUUID();
      marks.push(mark);
      const env: NodeJS.ProcessEnv = {
        ...userEnv(),
        ...githubJob!.env,
        PORT: String(port),
        APP_URL: `http://127.0.0.1:${port}`,
        LUXCORE_CREDENTIALS: await credentials,
        [MARK]: mark,
      };
      delete env.GITHUB_STEP_SUMMARY;
      for (const id of ['start', 'wait', 'credentials', 'run']) {
        const line = step(id).run!;
        const r = await bash(id === 'run' ? `${line} ${BOUNDED}` : line, dir, env);
        expect(r.code, `step ${id}: ${r.output}`).toBe(0);
      }
      expect(readFileSync(join(dir, 'reports/authconform/junit.xml'), 'utf8')).toMatch(
        /<testcase /,
      );
      expect(await listening(port), 'the server runs until the stop step').toBe(true);
      const stop = await bash(step('stop').run!, dir, env);
      expect(stop.code, stop.output).toBe(0);
      expect(stop.output, 'SIGTERM to the group stops it; SIGKILL is a last resort').toBe('');
      await expectNothingLeft(mark, port);
    },
    60_000,
  );

  it.concurrent(
    'GitLab: the script passes, and when it ends nothing is left',
    async () => {
      const dir = project();
      const port = await freePort();
      const mark = randomUUID();
      marks.push(mark);
      const credentialsFile = join(dir, '.luxcore-credentials-variable');
      writeFileSync(credentialsFile, await credentials, { mode: 0o600 });
      const job = gitlab.authconform!;
      const env = {
        ...userEnv(),
        ...job.variables,
        PORT: String(port),
        APP_URL: `http://127.0.0.1:${port}`,
        LUXCORE_CREDENTIALS: credentialsFile,
        [MARK]: mark,
      };
      const lines = job
        .script!.filter((l) => l !== 'npm ci')
        .map((l) => (l.startsWith('npx authconform run') ? `${l} ${BOUNDED}` : l));
      const r = await bash(lines.join('\n'), dir, env);
      expect(r.code, r.output).toBe(0);
      expect(readFileSync(join(dir, 'reports/authconform/junit.xml'), 'utf8')).toMatch(
        /<testcase /,
      );
      await expectNothingLeft(mark, port);
      const after = await bash(job.after_script!.join('\n'), dir, env);
      expect(after.code, after.output).toBe(0);
    },
    60_000,
  );
});
