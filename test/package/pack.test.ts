// Issue 5 item 4: the package `npm pack` gives works from the tarball in an empty folder, with
// the built-in specs and fixtures, compiled JavaScript and types, and no tsx or dev tools.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  packAndInstall,
  sh,
  startDetached,
  type PackedInstall,
} from './packed-install.ts';

let pkg: PackedInstall;
beforeAll(async () => {
  pkg = await packAndInstall();
}, 300_000);
afterAll(() => pkg?.remove());

/** The error a profile says answers a request without its credential (read from the spec). */
function missingCredentialError(profileId: string): { status: number; body: unknown } {
  const profile = parse(
    readFileSync(join(REPO_ROOT, 'specs/profiles', `${profileId}.yaml`), 'utf8'),
  );
  const denial = profile.denials.missing_credential;
  const name = typeof denial === 'string' ? denial : denial.default;
  return profile.errors[name];
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

  it('holds no tests, sources, scratch files, reports or tarballs', () => {
    const junk = pkg.files.filter(
      (f) =>
        /^(test|suites|bench|examples|src|mock-server|reports|coverage|node_modules)\//.test(f) ||
        /(^|\/)\.scratch/.test(f) ||
        /\.tgz$/.test(f) ||
        /\.test\.[jt]s$/.test(f) ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')),
    );
    expect(junk).toEqual([]);
  });

  it('installs without tsx, TypeScript or vitest: the consumer needs none of our dev tools', () => {
    for (const dev of ['tsx', 'typescript', 'vitest'])
      expect(existsSync(join(pkg.consumer, 'node_modules', dev)), dev).toBe(false);
  });
});

describe('the installed package in an empty folder', () => {
  it('npx authconform run --profile auxvault --target mock: exits 0 with a summary', async () => {
    const r = await sh(
      'npx',
      ['authconform', 'run', '--profile', 'auxvault', '--target', 'mock'],
      pkg.consumer,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const summary = /(\d+) passed, (\d+) failed, (\d+) partial, (\d+) skipped, (\d+) errors/.exec(
      r.stdout,
    );
    expect(summary, r.stdout).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThan(0);
    expect(summary![2]).toBe('0');
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
    const r = await sh(
      'npx',
      ['authconform', 'run', '--profile', 'parcelpost/profile.yaml', '--target', 'mock'],
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
    writeFileSync(join(pkg.consumer, 'sdk-test.mts'), CONSUMER);
    writeFileSync(
      join(pkg.consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          outDir: 'out',
        },
        files: ['sdk-test.mts'],
      }),
    );
    const tsc = await sh(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', '.'], pkg.consumer);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    const run = await sh(process.execPath, ['out/sdk-test.mjs'], pkg.consumer);
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout);
    const expected = missingCredentialError('vesuviopay');
    expect(seen).toEqual({ withKey: 200, without: expected.status, body: expected.body });
  }, 120_000);
});

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
