// In a clone, bin/authconform.js runs the TypeScript sources as one esbuild bundle, rebuilt
// whenever a source changed: an edit must be live at the next start, never a stale bundle, and
// a stack trace must name the source file. Checked on a small clone of its own (a test must not
// edit this repository's sources under the other workers).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceBundle } from '../../bin/source-bundle.js';

function clone(answer: number): string {
  const root = mkdtempSync(join(tmpdir(), 'authconform-bundle-'));
  mkdirSync(join(root, 'src/cli'), { recursive: true });
  mkdirSync(join(root, 'mock-server'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"name":"clone","type":"module"}');
  writeFileSync(join(root, 'mock-server/answer.ts'), `export const answer: number = ${answer};`);
  writeFileSync(
    join(root, 'src/cli/main.ts'),
    [
      "import { answer } from '../../mock-server/answer.ts';",
      'export async function main(argv: string[]): Promise<number> {',
      "  if (argv[0] === 'throw') throw new Error('thrown in main');",
      '  return answer;',
      '}',
    ].join('\n'),
  );
  return root;
}

type Main = (argv: string[]) => Promise<number>;
const mainOf = async (url: string) => ((await import(url)) as { main: Main }).main;

describe('sourceBundle: the clone run as one bundle of its sources', () => {
  it('builds once, reuses the bundle while nothing changed, and rebuilds after an edit', async () => {
    const root = clone(1);
    const first = await sourceBundle(root);
    expect(await (await mainOf(first))([])).toBe(1);
    expect(await sourceBundle(root)).toBe(first);
    // An edit in another folder than the entry's, of the same length: still a new bundle.
    writeFileSync(join(root, 'mock-server/answer.ts'), 'export const answer: number = 2;');
    const second = await sourceBundle(root);
    expect(second).not.toBe(first);
    expect(await (await mainOf(second))([])).toBe(2);
    const cache = readdirSync(join(root, 'node_modules/.cache/authconform'));
    expect(cache.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the TypeScript source in a stack trace, in a process of its own as the bin runs', async () => {
    const root = clone(3);
    const url = await sourceBundle(root);
    // The bin turns source maps on before importing the bundle; a test worker maps stacks its own way.
    const script = `process.setSourceMapsEnabled(true); const { main } = await import(${JSON.stringify(url)}); await main(['throw']).catch((e) => console.log(e.stack));`;
    const stack = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
      encoding: 'utf8',
    });
    expect(stack).toContain(`${join(root, 'src/cli/main.ts')}:3:`);
  });
});
