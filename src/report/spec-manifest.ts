/**
 * The spec files a run was judged against, each with its SHA-256, and one SHA-256 over a set of
 * them: what a certificate cites so that anyone can tell whether two reports used the same specs.
 *
 * The digest over a set is the SHA-256 of its manifest: one `<sha256>  <file>\n` line per file,
 * sorted by file name (byte order), the format `sha256sum` prints. From the package folder,
 * `sha256sum <files> | LC_ALL=C sort -k2 | sha256sum` gives the same value.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { displayPath } from '../spec/yaml-source.ts';
import { PACKAGE_ROOT, SCHEMAS_DIR } from '../spec/spec-paths.ts';
import { scenarioFiles } from '../scenario/scenario-files.ts';

export interface SpecFile {
  /** Relative to the package folder for built-in specs; as displayed (cwd-relative) otherwise. */
  file: string;
  sha256: string;
}

/**
 * The report format's own schema describes the output, not the specs a target is judged by:
 * left out so that a change to the report format does not change every certificate's spec hash.
 */
const NOT_A_SPEC = new Set(['report.schema.json']);

export function specFile(path: string): SpecFile {
  const abs = resolve(path);
  const rel = relative(PACKAGE_ROOT, abs);
  const file = rel && !rel.startsWith('..') ? rel.split(sep).join('/') : displayPath(abs);
  return { file, sha256: createHash('sha256').update(readFileSync(abs)).digest('hex') };
}

/** Every scenario file the run loaded: the built-in ones and those of its `--scenarios` paths. */
export function scenarioSpecFiles(userPaths: readonly string[] = []): SpecFile[] {
  return scenarioFiles(userPaths).map(specFile);
}

/** Every schema the run's registry loaded: spec formats and response bodies. */
export function schemaSpecFiles(dir: string = SCHEMAS_DIR): SpecFile[] {
  return listFiles(dir, (name) => name.endsWith('.json') && !NOT_A_SPEC.has(name)).map(specFile);
}

export function manifestSha256(files: readonly SpecFile[]): string {
  const lines = [...files]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.file}\n`)
    .join('');
  return createHash('sha256').update(lines).digest('hex');
}

function listFiles(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...listFiles(abs, keep));
    else if (keep(name)) out.push(abs);
  }
  return out;
}
