// Issue 5 item 4: the package `npm pack` gives works from the tarball in an empty folder, with
// the built-in specs and fixtures, compiled JavaScript and types, and no tsx or dev tools.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  packAndInstall,
  sh,
  startDetached,
  type PackedInstall,
} from './packed-install.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';

let pkg: PackedInstall;
beforeAll(async () => {
  // The user's own vitest (for authconform/vitest, an optional peer) in the same install.
  pkg = await packAndInstall([`vitest@${VITEST_VERSION}`]);
}, 300_000);
afterAll(() => pkg?.remove(), 60_000);

/** The error a profile says answers a request without its credential (as loading derives it). */
function missingCredentialError(profileId: string): { status: number; body: unknown } {
  const { profile } = resolveProfile(profileId);
  const denial = profile.denials.missing_credential!;
  const name = typeof denial === 'string' ? denial : denial.default;
  return profile.errors[name]!;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(REPO_ROOT, dir, f)).isFile())
    .map((f) => `${dir}/${f}`);
}

describe('the packed tarball', () => {
  it('holds the CLI, the compiled code with its types, and every built-in spec and fixture', () => {
    expect(pkg.files).toContain('bin/authconform.js');
    expect(pkg.files).toContain('dist/src/cli/main.js');
    expect(pkg.files).toContain('dist/mock-server/msw/index.js');
    expect(pkg.files).toContain('dist/mock-server/msw/index.d.ts');
    const specs = [...filesUnder('specs'), ...filesUnder('fixtures')];
    expect(specs.filter((f) => f.startsWith('specs/profiles/')).length).toBeGreaterThanOrEqual(5);
    expect(specs.filter((f) => !pkg.files.includes(f))).toEqual([]);
  });

  it('holds no tests, sources, scratch files, reports, tarballs or build state', () => {
    const junk = pkg.files.filter(
      (f) =>
        /^(test|suites|bench|examples|src|mock-server|reports|coverage|node_modules)\//.test(f) ||
        /(^|\/)\.scratch/.test(f) ||
        /\.tgz$/.test(f) ||
        /\.tsbuildinfo$/.test(f) ||
        /\.test\.[jt]s$/.test(f) ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')),
    );
    expect(junk).toEqual([]);
  });

  it('installs without tsx or TypeScript, and vitest only as the user asked: none of our dev tools', () => {
    for (const dev of ['tsx', 'typescript'])
      expect(existsSync(join(pkg.consumer, 'node_modules', dev)), dev).toBe(false);
    // What npm installed for authconform itself: its dependencies, and vitest not among them.
    const lock = JSON.parse(readFileSync(join(pkg.consumer, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dependencies?: object; dev?: boolean }>;
    };
    const ours = Object.keys(lock.packages['node_modules/authconform']?.dependencies ?? {});
    expect(ours.length).toBeGreaterThan(5);
    for (const dev of ['tsx', 'typescript', 'vitest']) expect(ours, dev).not.toContain(dev);
  });
});

describe('the installed package in an empty folder', () => {
  // One case per property (--runs 1): every scenario of the profile goes through the packed
  // code, which is what is tested here; the mock passing them over many draws is
  // test/engine/run-engine.test.ts's, from the sources (the default 25 runs cost 1.1 CPU-s more).
  it('npx authconform run --profile auxvault --target mock --runs 1: exits 0 with a summary', async () => {
    const r = await sh(
      'npx',
      ['authconform', 'run', '--profile', 'auxvault', '--target', 'mock', '--runs', '1'],
      pkg.consumer,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const summary = /(\d+) passed, (\d+) failed, (\d+) partial, (\d+) skipped, (\d+) errors/.exec(
      r.stdout,
    );
    expect(summary, r.stdout).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThan(0);
    expect(summary![2]).toBe('0');
    // The spec files it found valid are marked for the next start of this version (npm's cache
    // folder beside the package): the built-in scenario files and the profile.
    const cache = join(pkg.consumer, 'node_modules/.cache/authconform');
    const [marks] = readdirSync(cache).filter((d) => d.startsWith('checked-'));
    expect(marks, readdirSync(cache).join(', ')).toBeDefined();
    expect(readdirSync(join(cache, marks!)).length).toBeGreaterThan(20);
  }, 120_000);

  it('npx authconform mock --profile luxcore: serves the profile, 200 with a key, its 401 without', async () => {
    const mock = startDetached(
      'npx',
      ['authconform', 'mock', '--profile', 'luxcore', '--port', '0'],
      pkg.consumer,
    );
    try {
      const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(mock.output())?.[1], mock);
      const valid = /valid\s+(qp_test_sk_\S+)/.exec(mock.output())![1]!;
      const ok = await fetch(`${url}/api/v1/balance`, { headers: { 'X-API-Key': valid } });
      expect(ok.status).toBe(200);
      const denied = await fetch(`${url}/api/v1/balance`);
      const expected = missingCredentialError('luxcore');
      expect(denied.status).toBe(expected.status);
      expect(await denied.json()).toEqual(expected.body);
    } finally {
      await mock.stop();
    }
  }, 60_000);

  it('a profile with a TypeScript signer module runs green on the mock, with no tsx installed', async () => {
    // The user's signer is TypeScript importing its types from 'authconform/signer' (issue 14 item 3).
    cpSync(join(REPO_ROOT, 'examples/custom-signer'), join(pkg.consumer, 'parcelpost'), {
      recursive: true,
    });
    // The installed bin itself (npx's own resolution is the first test's).
    const r = await sh(
      join(pkg.consumer, 'node_modules/.bin/authconform'),
      ['run', '--profile', 'parcelpost/profile.yaml', '--target', 'mock', '--runs', '1'],
      pkg.consumer,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/parcelpost\s+signature-wrong-key-id\s+MUST\s+PASS/);
    expect(existsSync(join(pkg.consumer, 'node_modules', 'tsx'))).toBe(false);
    expect(
      existsSync(join(pkg.consumer, 'node_modules/authconform/dist/src/sign/signer.d.ts')),
    ).toBe(true);
  }, 120_000);

  it("import { authMockHandlers } from 'authconform/msw': type-checks with tsc and runs with node", async () => {
    const tsc = await typeCheckConsumers();
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    const run = await sh(process.execPath, ['out/sdk-test.mjs'], pkg.consumer);
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout);
    const expected = missingCredentialError('vesuviopay');
    expect(seen).toEqual({ withKey: 200, without: expected.status, body: expected.body });
  }, 120_000);

  it('its declarations import only node built-ins and packages it depends on, each installed', () => {
    // What a consumer type-checking with skipLibCheck: false would trip on (a declaration that
    // imports a dev dependency's types), checked without type-checking every library's
    // declarations (msw's alone are 90% of such a check's 9 CPU-seconds).
    const manifest = JSON.parse(
      readFileSync(join(pkg.consumer, 'node_modules/authconform/package.json'), 'utf8'),
    ) as { name: string; dependencies?: object; peerDependencies?: object };
    const allowed = new Set([
      manifest.name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const wrong: string[] = [];
    const declarations = pkg.files.filter((f) => f.endsWith('.d.ts'));
    expect(declarations.length).toBeGreaterThan(20);
    for (const file of declarations) {
      const text = readFileSync(join(pkg.consumer, 'node_modules/authconform', file), 'utf8');
      const { importedFiles, typeReferenceDirectives } = ts.preProcessFile(text, true, true);
      for (const { fileName: spec } of [...importedFiles, ...typeReferenceDirectives]) {
        if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec))
          continue;
        const name = spec.startsWith('@')
          ? spec.split('/').slice(0, 2).join('/')
          : spec.split('/')[0]!;
        const types = name === 'node' ? '@types/node' : name;
        if (!allowed.has(name) && types !== '@types/node')
          wrong.push(`${file}: imports ${spec}, not a dependency`);
        else if (name !== manifest.name && !existsSync(join(pkg.consumer, 'node_modules', types)))
          wrong.push(`${file}: imports ${spec}, not installed with the package`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the packed tarball as a library', () => {
  it("import { verify } from 'authconform': type-checks against the declarations and runs a profile", async () => {
    const tsc = await typeCheckConsumers();
    expect(tsc.stdout + tsc.stderr).toBe('');
    const run = await sh(process.execPath, ['out/verify.mjs'], pkg.consumer);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      verdict: 'PASS',
      exitCode: 0,
      statuses: ['PASS', 'PASS'],
      junit: true,
    });
  }, 120_000);

  it("authconform/vitest: a user's test file declares one test per scenario; a broken app fails its tests with the rerun command, N/A is skipped with its reason", async () => {
    const creds = await sh(
      join(pkg.consumer, 'node_modules/.bin/authconform'),
      ['credentials', '--profile', 'auxvault', '--out', 'auxvault-credentials.yaml'],
      pkg.consumer,
    );
    expect(creds.code).toBe(0);
    writeFileSync(join(pkg.consumer, 'auth.test.ts'), VITEST_USER);
    const run = await sh(
      join(pkg.consumer, 'node_modules/.bin/vitest'),
      ['run', '--reporter=verbose', '--reporter=json', '--outputFile.json=vitest.json'],
      pkg.consumer,
    );
    expect(run.code).toBe(1); // the broken app's tests fail the user's run
    const report = JSON.parse(readFileSync(join(pkg.consumer, 'vitest.json'), 'utf8')) as {
      testResults: {
        assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
      }[];
    };
    const results = report.testResults.flatMap((f) => f.assertionResults);
    const status = (describe: string, scenario: string) =>
      results.find((r) => r.fullName.startsWith(`${describe} MUST ${scenario}:`))?.status;
    expect(status('auxvault conformance', 'missing-key')).toBe('passed');
    expect(status('auxvault conformance', 'revoked-key-refused')).toBe('passed');
    expect(status('auxvault conformance', 'nonce-replayed')).toBe('skipped');
    expect(run.stdout).toMatch(/nonce-replayed.*\[N\/A: [^\]]+\]/);
    expect(status('an app that accepts every key', 'revoked-key-refused')).toBe('failed');
    const failure = results
      .find((r) => r.fullName.startsWith('an app that accepts every key MUST revoked-key-refused'))!
      .failureMessages.join('\n');
    expect(failure).toMatch(/FAIL MUST auxvault \/ revoked-key-refused/);
    expect(failure).toMatch(
      /rerun exactly this case: npx authconform run --profile auxvault --target URL-OF-YOUR-APP/,
    );
    expect(failure).toMatch(/curl -i/);
  }, 240_000);
});

let typeChecked: ReturnType<typeof sh> | undefined;
/**
 * The two consumers (an SDK's msw test, a library user) type-checked by one tsc run, as a user's
 * strict project would, and compiled to out/. Each has a line that must not type-check
 * (@ts-expect-error): a missing or `any` type lets it through, and tsc then fails.
 */
function typeCheckConsumers(): ReturnType<typeof sh> {
  typeChecked ??= (async () => {
    writeFileSync(join(pkg.consumer, 'sdk-test.mts'), CONSUMER);
    writeFileSync(join(pkg.consumer, 'verify.mts'), LIBRARY_USER);
    writeFileSync(
      join(pkg.consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          outDir: 'out',
        },
        files: ['sdk-test.mts', 'verify.mts'],
      }),
    );
    return sh(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', '.'], pkg.consumer);
  })();
  return typeChecked;
}

async function waitFor(
  found: () => string | undefined,
  proc: ReturnType<typeof startDetached>,
): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = found();
    if (value !== undefined && proc.output().includes('Ctrl-C stops.')) return value;
    if (proc.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`authconform mock did not start:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * An SDK's unit test as a user writes it. The @ts-expect-error line makes the type check fail if
 * the package's types were missing or `any`: a number for baseUrl must be refused.
 */
const CONSUMER = `import { setupServer } from 'msw/node';
import { authMockHandlers, type AuthMockHandlersOptions } from 'authconform/msw';

const API = 'https://api.vesuviopay.test';
// @ts-expect-error baseUrl is a string
const wrong: AuthMockHandlersOptions = { profile: 'vesuviopay', baseUrl: 42 };
void wrong;

const { handlers, mock } = await authMockHandlers({ profile: 'vesuviopay', baseUrl: API });
const server = setupServer(...handlers);
server.listen({ onUnhandledRequest: 'error' });
const creds = await (await fetch(API + '/__mock/credentials')).json();
const customer = API + '/api/v1/customers/' + creds.resources.customer;
const ok = await fetch(customer, { headers: { 'X-API-Key': creds.keys.valid.value } });
const denied = await fetch(customer);
console.log(JSON.stringify({ withKey: ok.status, without: denied.status, body: await denied.json() }));
mock.reset();
server.close();
`;

/** The vitest the consumer installs for authconform/vitest: the one this repository tests with. */
const VITEST_VERSION = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
  .devDependencies.vitest as string;

/** A library user: one run on the mock, its record, a report; a wrong option type must not check. */
const LIBRARY_USER = `import { verify, junitReport, type VerifyOptions } from 'authconform';

// @ts-expect-error runs is a number
const wrong: VerifyOptions = { profile: 'vaulera', runs: 'many' };
void wrong;

const record = await verify({
  profile: 'vaulera',
  target: 'mock',
  scenarios: ['missing-key', 'revoked-key-refused'],
  runs: 3,
  seed: 1,
});
console.log(JSON.stringify({
  verdict: record.overall.verdict,
  exitCode: record.overall.exitCode,
  statuses: record.verdicts.map((v) => v.status),
  junit: junitReport(record).includes('<testsuites'),
}));
`;

/** A team's test file: the bundled mock must pass, an app that accepts any key must fail. */
const VITEST_USER = `import type { IncomingMessage, ServerResponse } from 'node:http';
import { conformanceSuite } from 'authconform/vitest';

const scenarios = ['missing-key', 'revoked-key-refused', 'nonce-replayed'];

conformanceSuite({ profile: 'auxvault', target: 'mock', scenarios, runs: 3, seed: 1 });

// Any key at all is let in: the revoked one too.
function acceptsEveryKey(req: IncomingMessage, res: ServerResponse) {
  res.setHeader('content-type', 'application/json');
  if (!req.headers['x-api-key']) {
    res.statusCode = 401;
    res.end(JSON.stringify({ success: false, error: 'API key required', message: 'Please provide a valid API key in the x-api-key header or request body' }));
    return;
  }
  res.end(JSON.stringify({ success: true, data: {}, message: 'ok' }));
}

conformanceSuite({
  profile: 'auxvault',
  target: acceptsEveryKey,
  credentials: 'auxvault-credentials.yaml',
  scenarios: ['revoked-key-refused'],
  runs: 3,
  seed: 1,
  describeName: () => 'an app that accepts every key',
});
`;
