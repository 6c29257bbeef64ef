// Issue 13 item 4: the report states its sources. Every report names the guide each profile's
// requirements are quoted from (title, version, URL, the shipped copy and its SHA-256), the target
// is named once (a URL target's description is its URL), and `validate` warns about a source file
// that is not there.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer, type RunningMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { builtInProfileIds, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { PACKAGE_ROOT } from '../../src/spec/spec-paths.ts';
import { sourceRecord } from '../../src/report/sources.ts';
import { runMain } from '../cli/run-main.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validateReport = ajv.compile(
  JSON.parse(
    readFileSync(join(PACKAGE_ROOT, 'specs/schemas/report.schema.json'), 'utf8'),
  ) as object,
);

const GUIDE = join(PACKAGE_ROOT, 'test/fixtures/guides/vaulera.txt');
const GUIDE_SHA = createHash('sha256').update(readFileSync(GUIDE)).digest('hex');
const CITED = `vaulera: Vaulera PCI "API Key and Session Tokens", version not stated by the guide (SHA-256 ${GUIDE_SHA})`;

let mock: RunningMockServer;
let dir: string;
let stdout: string;
beforeAll(async () => {
  mock = await startMockServer(await createAuthMock({ profile: 'vaulera' }), {
    host: '127.0.0.1',
    port: 0,
  });
  dir = mkdtempSync(join(tmpdir(), 'authconform-sources-'));
  const creds = join(dir, 'vaulera.credentials.yaml');
  expect((await runMain('credentials', '--profile', 'vaulera', '--out', creds)).code).toBe(0);
  const r = await runMain(
    'run',
    '--profile',
    'vaulera',
    '--target',
    mock.url,
    '--credentials',
    creds,
    '--scenario',
    'missing-key',
    '--runs',
    '2',
    '--seed',
    '4',
    '--report',
    join(dir, 'reports'),
  );
  expect(r.code, r.stdout + r.stderr).toBe(0);
  stdout = r.stdout;
}, 60_000);
afterAll(() => mock.stop());

const report = (name: string) => readFileSync(join(dir, 'reports', name), 'utf8');

describe('every report names the guide its requirements are quoted from', () => {
  it('the console, before the first verdict', () => {
    expect(stdout).toContain(`requirements cited from ${CITED}\n`);
    expect(stdout.indexOf('requirements cited from')).toBeLessThan(stdout.indexOf('[1/1]'));
  });

  it('summary.md and report.html, beside the requirement rows', () => {
    expect(report('summary.md')).toContain(`Cited from ${CITED}.`);
    expect(report('report.html')).toContain(
      `<p class="source">Cited from ${CITED.replace(/"/g, '&quot;')}</p>`,
    );
  });

  it('report.json (valid against its schema) and the JUnit properties', () => {
    const json = JSON.parse(report('report.json')) as { profiles: { source?: unknown }[] };
    expect(validateReport(json), JSON.stringify(validateReport.errors)).toBe(true);
    expect(json.profiles[0]!.source).toEqual({
      title: 'Vaulera PCI "API Key and Session Tokens"',
      version: 'not stated by the guide',
      sha256: GUIDE_SHA,
    });
    const junit = report('junit.xml');
    expect(junit).toContain(
      '<property name="source.title" value="Vaulera PCI &quot;API Key and Session Tokens&quot;"/>',
    );
    expect(junit).toContain(`<property name="source.sha256" value="${GUIDE_SHA}"/>`);
  });

  it('each built-in profile names its guide by title and SHA-256, and no copy is shipped', () => {
    // The guides are third-party documents: the package names them, it does not redistribute them.
    expect(existsSync(join(PACKAGE_ROOT, 'specs/guides'))).toBe(false);
    for (const id of builtInProfileIds()) {
      const { profile, file } = resolveProfile(id);
      const source = sourceRecord(profile.source, file);
      expect(source.path, id).toBeUndefined();
      expect(source.sha256, id).toMatch(/^[0-9a-f]{64}$/);
      expect(source.title.length, id).toBeGreaterThan(0);
    }
  });
});

describe('the target is named once', () => {
  it('a URL target is not repeated as "Target URL" (HTML) or in parentheses (Markdown)', () => {
    const html = report('report.html');
    expect(html).toContain(`<dt>Target</dt><dd>${mock.url}</dd>`);
    expect(html).not.toContain('Target URL');
    expect(report('summary.md')).toContain(`against ${mock.url};`);
    expect(report('summary.md')).not.toContain(`(${mock.url})`);
  });
});

describe('authconform validate and a profile source', () => {
  it('warns when the source path does not exist, and not when it does', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'authconform-source-'));
    mkdirSync(join(folder, 'schemas'));
    copyFileSync(
      join(PACKAGE_ROOT, 'examples/fastify-tidewater/schemas/tidewater.json'),
      join(folder, 'schemas/tidewater.json'),
    );
    const profile = readFileSync(
      join(PACKAGE_ROOT, 'examples/fastify-tidewater/profile.yaml'),
      'utf8',
    );
    const file = join(folder, 'profile.yaml');
    writeFileSync(file, profile);
    const missing = await runMain('validate', file);
    expect(missing.code, missing.stdout).toBe(0); // a warning, not a problem
    expect(missing.stdout).toMatch(
      /^warning: .*profile\.yaml:\d+:\d+: source names README\.md, which does not exist \(looked for .*README\.md\)/m,
    );
    writeFileSync(join(folder, 'README.md'), '# the guide\n');
    const present = await runMain('validate', file);
    expect(present.stdout).not.toContain('warning:');
  });

  it('the built-in specs validate without a warning', async () => {
    const r = await runMain('validate');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toContain('warning:');
  });
});
