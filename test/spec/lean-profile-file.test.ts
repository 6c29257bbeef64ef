// A profile file whose API answers every denial with the error of its default status may leave
// `denials` out altogether (it used to need `denials: {}`): it validates, the loader fills in each
// reason's default, and the bundled mock serving it passes the conformance run. A reason that then
// has no default is still named, at the line of the route that produces it.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { SpecError } from '../../src/spec/spec-error.ts';
import { runMain as cli } from '../cli/run-main.ts';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import type { Profile } from '../../src/model/profile.ts';

const CORPUS = join(import.meta.dirname, '../fixtures/query-cookie-keys');

/**
 * The corpus profile with its `denials` block removed and each error stating its status, so
 * that every reason has its default; `edit` changes the document further. Returns the file.
 */
function leanFile(edit: (doc: ReturnType<typeof parseDocument>) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-lean-'));
  cpSync(join(CORPUS, 'schemas'), join(dir, 'schemas'), { recursive: true });
  const doc = parseDocument(readFileSync(join(CORPUS, 'profile.yaml'), 'utf8'));
  doc.delete('denials');
  doc.setIn(['errors', 'unauthorized', 'status'], 401);
  doc.setIn(['errors', 'badRequest', 'status'], 400);
  doc.setIn(['errors', 'notFound', 'status'], 404);
  edit(doc);
  const file = join(dir, 'profile.yaml');
  writeFileSync(file, doc.toString());
  return file;
}

describe('a profile file with no denials', () => {
  it('loads, each reason its routes produce answered by the error of its default status', () => {
    const file = leanFile();
    expect(readFileSync(file, 'utf8')).not.toMatch(/^denials:/m);
    const { profile } = resolveProfile(file);
    expect(profile.denials).toMatchObject({
      missing_credential: 'unauthorized',
      unknown_credential: 'unauthorized',
      signature_invalid: 'unauthorized',
      nonce_replay: 'unauthorized',
      timestamp_skew: 'unauthorized',
      malformed_request: 'badRequest',
    });
  });

  it('validates, and the mock serving it passes every scenario that applies', async () => {
    const file = leanFile();
    const validate = await cli('validate', file);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const run = await cli('run', '--profile', file, '--target', 'mock', '--runs', '1');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed/m);
    expect(run.code).toBe(0);
  }, 30_000);

  it('still names a reason no default answers, at the route that produces it', () => {
    // Two errors of status 401 that no denial names: which one answers a made-up key is unknown.
    const file = leanFile((doc) =>
      doc.setIn(['errors', 'keyUnknown'], { status: 401, message: 'No such key' }),
    );
    let error: unknown;
    try {
      resolveProfile(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const text = (error as SpecError).message;
    const routeLine =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => /^\s*auth: \[\s*queryKey\s*\]/.test(l)) + 1;
    expect(routeLine).toBeGreaterThan(0);
    expect(text).toContain(`${file}:${routeLine}:`);
    expect(text).toMatch(/unknown_credential/);
    expect(text).toMatch(/keyUnknown and unauthorized|unauthorized and keyUnknown/);
  });

  it('built in code with no denials (a JavaScript caller), the mock answers each reason by default', async () => {
    const { profile } = resolveProfile(leanFile());
    const inCode: Partial<Profile> = structuredClone(profile);
    delete inCode.denials;
    const mock = await createAuthMock({
      profile: inCode as Profile,
      fixtures: generateFixtures(profile),
    });
    const answer = await mock.handle({
      method: 'GET',
      path: '/v1/account',
      pathWithQuery: '/v1/account',
      headers: {},
      body: new Uint8Array(),
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'unauthorized', message: 'Missing or invalid API key' });
  });
});
