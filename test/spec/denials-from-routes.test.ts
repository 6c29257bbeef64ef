/**
 * Issue 13 item 5: the denials a profile must map are those its routes and features can produce.
 * A profile with no route that names a record (no path id, no id in a body) has no not_found to
 * map; one that has such a route is told, at that route, to map it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const EXAMPLE = join(import.meta.dirname, '../../examples/fastify-tidewater');
const SCHEMA = join(import.meta.dirname, '../../specs/schemas/profile.schema.json');

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        add(chunk.toString());
        done();
      },
    });
  const code = await main(
    argv,
    sink((s) => (stdout += s)),
    sink((s) => (stderr += s)),
  );
  return { code, stdout, stderr };
}

// One copy of the example's schemas/ for the file: a process holds one schema per $id.
const DIR = mkdtempSync(join(tmpdir(), 'authconform-denials-'));
cpSync(join(EXAMPLE, 'schemas'), join(DIR, 'schemas'), { recursive: true });

/**
 * Tidewater's profile with no answer for not_found, keeping only the routes `keep` allows: no
 * mapping, and no 404 error to answer it by default (its notFound, and the mapping that gives it 404).
 */
function profileWithout404(name: string, keep: (route: { params?: unknown }) => boolean): string {
  const profile = parse(readFileSync(join(EXAMPLE, 'profile.yaml'), 'utf8'));
  profile.routes = profile.routes.filter(keep);
  delete profile.denials.not_found;
  delete profile.denials.wrong_environment;
  delete profile.errors.notFound;
  const file = join(DIR, name);
  writeFileSync(
    file,
    `# yaml-language-server: $schema=${SCHEMA}\n${stringify(profile, { lineWidth: 0 })}`,
  );
  return file;
}

describe('denials a profile must map', () => {
  it('a profile with no route that names a record validates, and runs on the mock, without not_found', async () => {
    const file = profileWithout404('no-records.yaml', (r) => r.params === undefined);
    const checked = await cli('validate', file);
    expect(checked.stdout + checked.stderr).not.toContain('not_found');
    expect(checked.code).toBe(0);
    const run = await cli('run', '--profile', file, '--target', 'mock', '--runs', '2');
    expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed/m);
    expect(run.code).toBe(0);
  }, 30_000);

  it('a route with a record in its path must have not_found mapped, said at that route', async () => {
    const file = profileWithout404('with-records.yaml', () => true);
    const checked = await cli('validate', file);
    expect(checked.code).not.toBe(0);
    const text = readFileSync(file, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('id: getShipment')) + 1;
    // The problem points into the getShipment route (its params), a few lines below its id.
    const m =
      /with-records\.yaml:(\d+):\d+: route "getShipment" names a record in its path, so denials must map "not_found" \(no error has its default status 404, to answer it by default\)/.exec(
        checked.stdout + checked.stderr,
      );
    expect(m, checked.stdout + checked.stderr).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(line);
    expect(Number(m![1])).toBeLessThan(line + 12);
  });
});
