// Issue 13 item 7: the CI examples in docs/ci/ test the pull request's own build. Each is read
// for its steps (start the server under test, wait for it, run, stop it, publish JUnit, and what
// a fork's pull request does), and then its shell lines are run as the CI would run them, in an
// empty project whose `npm start` serves the bundled mock: the run must pass, and once the job
// is over nothing it started may be left running or listening.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpSync,
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
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { userEnv } from '../package/packed-install.ts';
import { runMain } from '../cli/run-main.ts';

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

// The credentials the jobs' secret holds, written by the CLI in-process (no third process per job).
const credentials = runMain('credentials', '--profile', 'luxcore', '--out', '-').then((r) => {
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
});

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

// The sharded examples (issue 16 item 3): a matrix of three shard jobs and a merge job. Their
// authconform lines are run in-process (main()), as each job would run them, in one folder; the
// CI's artifact hand-over between jobs is done by copying folders.

const GITHUB_SHARDS_TEXT = readFileSync(join(ROOT, 'docs/ci/github-actions-shards.yml'), 'utf8');
const GITLAB_SHARDS_TEXT = readFileSync(join(ROOT, 'docs/ci/gitlab-ci-shards.yml'), 'utf8');
/** Added to each shard's run line so the jobs stay short. */
const SHARD_BOUNDED = '--scenario missing-key,revoked-key-refused,key-lifecycle-model --runs 2';

/**
 * A job's `npx authconform ...` line as main()'s argv: "$VAR" expanded from `env`, a `*` word
 * globbed in `cwd`, and relative paths taken in `cwd`.
 */
function cliArgs(line: string, env: Record<string, string>, cwd: string): string[] {
  expect(line).toMatch(/^npx authconform /);
  const words = [...line.replace(/^npx authconform /, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) =>
    (m[1] ?? m[2]!).replace(/\$(\w+)/g, (_, name: string) => env[name] ?? `$${name}`),
  );
  return words.flatMap((w) => {
    // A path starts with a folder name (not a number: --shard 1/3).
    if (!/^[a-z][\w.-]*\//i.test(w)) return [w];
    if (!w.includes('*')) return [join(cwd, w)];
    const folder = w.slice(0, w.lastIndexOf('/'));
    const pattern = new RegExp(`^${w.slice(folder.length + 1).replace('*', '.*')}$`);
    return readdirSync(join(cwd, folder))
      .filter((e) => pattern.test(e))
      .sort()
      .map((e) => join(cwd, folder, e));
  });
}

describe('docs/ci/github-actions-shards.yml', () => {
  const doc = parse(GITHUB_SHARDS_TEXT) as {
    jobs: Record<
      string,
      {
        needs?: string;
        if?: string;
        strategy?: { 'fail-fast'?: boolean; matrix?: { shard?: number[] } };
        env?: Record<string, string>;
        steps: Step[];
      }
    >;
  };
  const shardJob = doc.jobs.conformance!;
  const mergeJob = doc.jobs.merge!;
  const stepOf = (job: { steps: Step[] }, id: string) => job.steps.find((s) => s.id === id)!;

  it('runs shard I of N on a matrix of three with one seed, each uploading its report set', () => {
    expect(shardJob.strategy?.matrix?.shard).toEqual([1, 2, 3]);
    expect(shardJob.strategy?.['fail-fast']).toBe(false);
    expect(shardJob.env).toMatchObject({
      SHARD: '${{ matrix.shard }}',
      SHARDS: '${{ strategy.job-total }}',
      SEED: '${{ github.run_id }}',
    });
    expect(stepOf(shardJob, 'run').run).toMatch(
      /^npx authconform run .*--seed "\$SEED" .*--shard "\$SHARD\/\$SHARDS" --report "reports\/shard-\$SHARD"$/,
    );
    const upload = stepOf(shardJob, 'upload');
    expect(upload.uses).toMatch(/^actions\/upload-artifact@/);
    expect(upload.if).toBe('${{ !cancelled() }}');
    expect(upload.with).toEqual({
      name: 'authconform-shard-${{ matrix.shard }}',
      path: 'reports/shard-${{ matrix.shard }}/',
    });
  });

  it('merges after every shard, even a failed one, from the downloaded artifacts', () => {
    expect(mergeJob.needs).toBe('conformance');
    expect(mergeJob.if).toBe('${{ !cancelled() }}');
    const download = stepOf(mergeJob, 'download');
    expect(download.uses).toMatch(/^actions\/download-artifact@/);
    expect(download.with?.pattern).toBe('authconform-shard-*');
    expect(stepOf(mergeJob, 'merge').run).toBe(
      `npx authconform merge ${download.with?.path}/authconform-shard-* --report reports/authconform`,
    );
  });

  it('run as the jobs run it: three shards, then merge passes with the whole run in its JUnit file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-ci-shards-'));
    work.push(dir);
    const download = stepOf(mergeJob, 'download').with!.path!;
    for (const shard of [1, 2, 3]) {
      const env = { SHARD: String(shard), SHARDS: '3', SEED: '4242' };
      const line = `${stepOf(shardJob, 'run').run!} ${SHARD_BOUNDED}`;
      const r = await runMain(...cliArgs(line, env, dir));
      expect(r.code, r.stderr + r.stdout).toBe(0);
      // What download-artifact does with each shard's artifact: a folder named after it.
      cpSync(
        join(dir, `reports/shard-${shard}`),
        join(dir, download, `authconform-shard-${shard}`),
        {
          recursive: true,
        },
      );
    }
    const merged = await runMain(...cliArgs(stepOf(mergeJob, 'merge').run!, {}, dir));
    expect(merged.code, merged.stderr + merged.stdout).toBe(0);
    const junit = readFileSync(join(dir, 'reports/authconform/junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase [^>]*key-lifecycle-model/);
    const whole = JSON.parse(readFileSync(join(dir, 'reports/authconform/report.json'), 'utf8'));
    expect(whole.shard).toBeUndefined();
    expect(whole.seed).toBe(4242);
  }, 60_000);
});

describe('docs/ci/gitlab-ci-shards.yml', () => {
  const doc = parse(GITLAB_SHARDS_TEXT) as Record<
    string,
    GitlabJob & { parallel?: number; needs?: { job: string; artifacts?: boolean }[]; when?: string }
  >;
  const shardJob = doc.authconform!;
  const mergeJob = doc['authconform-merge']!;
  const runLine = shardJob.script!.find((l) => l.startsWith('npx authconform run'))!;
  const mergeLine = mergeJob.script!.find((l) => l.startsWith('npx authconform merge'))!;

  it('runs parallel: 3 shards by CI_NODE_INDEX/CI_NODE_TOTAL with one seed, keeping their reports', () => {
    expect(shardJob.parallel).toBe(3);
    expect(runLine).toMatch(
      /--seed "\$CI_PIPELINE_ID" .*--shard "\$CI_NODE_INDEX\/\$CI_NODE_TOTAL" --report "reports\/shard-\$CI_NODE_INDEX"$/,
    );
    expect(shardJob.artifacts?.when).toBe('always');
    expect(shardJob.artifacts?.paths).toContain('reports/');
  });

  it('merges with needs: on the shards and their artifacts, whatever they gave, publishing JUnit', () => {
    expect(mergeJob.needs).toEqual([{ job: 'authconform', artifacts: true }]);
    expect(mergeJob.when).toBe('always');
    expect(mergeLine).toBe('npx authconform merge reports/shard-* --report reports/authconform');
    expect(mergeJob.artifacts?.reports?.junit).toBe('reports/authconform/junit.xml');
    expect(mergeJob.artifacts?.paths).toContain('reports/authconform/');
  });

  it('run as the jobs run it: three shards, then merge passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-ci-shards-'));
    work.push(dir);
    for (const index of [1, 2, 3]) {
      const env = { CI_NODE_INDEX: String(index), CI_NODE_TOTAL: '3', CI_PIPELINE_ID: '977' };
      const r = await runMain(...cliArgs(`${runLine} ${SHARD_BOUNDED}`, env, dir));
      expect(r.code, r.stderr + r.stdout).toBe(0);
    }
    const merged = await runMain(...cliArgs(mergeLine, {}, dir));
    expect(merged.code, merged.stderr + merged.stdout).toBe(0);
    expect(merged.stdout).toContain('3 shard(s) of one run');
    expect(existsSync(join(dir, 'reports/authconform/junit.xml'))).toBe(true);
  }, 60_000);
});
