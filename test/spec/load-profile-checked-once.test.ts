// A profile is checked once per text: loading it again (each verify(), each test) skips the
// checks it already passed, yet gives a profile of its own, and a changed file is checked anew.
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/spec-error.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';

const CORPUS = join(import.meta.dirname, 'corpus');
const registry = new SchemaRegistry([SCHEMAS_DIR, join(CORPUS, 'schemas')]);
const scratch = mkdtempSync(join(tmpdir(), 'profile-once-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const file = join(scratch, 'minimal.profile.yaml');
copyFileSync(join(CORPUS, 'minimal.profile.yaml'), file);

function problemsOf(load: () => unknown): string[] {
  try {
    load();
    return [];
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.problems.map((p) => `${p.line}: ${p.message}`);
  }
}

describe('loading a profile again', () => {
  it('gives the same profile, as an object of its own', () => {
    const first = loadProfile(file, registry);
    first.profile.routes[0]!.scope = 'changed.by.a.caller';
    const second = loadProfile(file, registry);
    expect(second.profile.routes[0]!.scope).toBe('things.read');
    expect(second.profile).not.toBe(first.profile);
  });

  it('checks a changed file anew: a broken reference is found after a clean load', () => {
    expect(problemsOf(() => loadProfile(file, registry))).toEqual([]);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('scope: things.read', 'scope: things.delete'));
    expect(problemsOf(() => loadProfile(file, registry)).join('\n')).toMatch(
      /^18: .*things\.delete/m,
    );
    // And it stays refused each time it is loaded.
    expect(problemsOf(() => loadProfile(file, registry))).not.toEqual([]);
    writeFileSync(file, text);
    expect(problemsOf(() => loadProfile(file, registry))).toEqual([]);
  });

  it('checks the same text in another folder anew: its signer module is another', () => {
    // Two copies of one profile, each shown as `profile.yaml` from its own folder; the second
    // folder's signer has a nonce, whose denials the profile does not map.
    const example = join(import.meta.dirname, '../../examples/custom-signer');
    const signerRegistry = new SchemaRegistry([SCHEMAS_DIR, join(example, 'schemas')]);
    const [plain, withNonce] = ['plain', 'with-nonce'].map((name) => {
      const dir = join(scratch, name);
      mkdirSync(dir);
      copyFileSync(join(example, 'profile.yaml'), join(dir, 'profile.yaml'));
      return dir;
    }) as [string, string];
    const real = JSON.stringify(join(example, 'signer.ts'));
    writeFileSync(join(plain, 'signer.ts'), `export { default } from ${real};\n`);
    writeFileSync(
      join(withNonce, 'signer.ts'),
      `import real from ${real};\n` +
        'export default { ...real, parts: (c) => ({ ...real.parts(c), nonce: {} }) };\n',
    );
    const cwd = process.cwd();
    try {
      process.chdir(plain);
      expect(problemsOf(() => loadProfile(join(plain, 'profile.yaml'), signerRegistry))).toEqual(
        [],
      );
      process.chdir(withNonce);
      expect(
        problemsOf(() => loadProfile(join(withNonce, 'profile.yaml'), signerRegistry)).join('\n'),
      ).toMatch(/nonce_replay/);
    } finally {
      process.chdir(cwd);
    }
  });
});
