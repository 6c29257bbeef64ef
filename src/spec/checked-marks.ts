/**
 * Spec files a CLI process found valid, remembered on disk for the next start of the same code.
 * Every start of the CLI loaded and checked the 24 built-in scenario files and its profile against
 * their schemas, compiling the schemas first: a sixth of a `run` start's CPU, spent again on text
 * that had passed at the last start. A mark is an empty file named by a hash of what the check is
 * a function of: the kind of check, the text checked, and every file of specs/schemas/ as it is
 * now; the folder holding the marks is the code's own (the bin names one per source bundle in a
 * clone, one per installed version of the package). Only success is remembered: a file that
 * fails is checked again at every start and reported where it is wrong, as before.
 *
 * Off unless the bin turns it on (a library caller, a test worker check every time).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SCHEMAS_DIR } from './spec-paths.ts';

let folder: string | undefined;
let schemasDigest: string | undefined;

/** Turns the marks on, kept in this folder (made when the first is written); undefined: off. */
export function rememberChecksIn(dir: string | undefined): void {
  folder = dir;
}

/** Whether a check of this kind passed on this text before, with the schemas as they are now. */
export function checkedBefore(kind: string, text: string | undefined): boolean {
  if (folder === undefined || text === undefined) return false;
  return existsSync(join(folder, markName(kind, text)));
}

/** Remembers that a check of this kind passed on this text; a mark that cannot be written is none. */
export function rememberChecked(kind: string, text: string | undefined): void {
  if (folder === undefined || text === undefined) return;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, markName(kind, text)), '');
  } catch {
    // A read-only node_modules: every start checks, as without marks.
  }
}

function markName(kind: string, text: string): string {
  schemasDigest ??= digestOfFolder(SCHEMAS_DIR);
  return createHash('sha256')
    .update(`${kind}\0${schemasDigest}\0`)
    .update(text)
    .digest('hex')
    .slice(0, 32);
}

/** Every file under `dir`, by its path there and its content, in a stable order. */
function digestOfFolder(dir: string): string {
  const hash = createHash('sha256');
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        hash
          .update(`${relative(dir, path)}\0`)
          .update(readFileSync(path))
          .update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}
