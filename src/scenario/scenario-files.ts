/**
 * Which scenario files a run reads: the built-in folder's, then each path a user gave
 * (`--scenarios`, the API's `scenarioDirs`): a folder's *.yaml files in name order, or one file
 * whatever its ending. A file is read once however many paths name it.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SpecError } from '../spec/spec-error.ts';
import { SCENARIOS_DIR } from '../spec/spec-paths.ts';
import { displayPath } from '../spec/yaml-source.ts';

const YAML = /\.ya?ml$/;

/** Absolute paths, built-in first; a path that is missing or holds no YAML file is a SpecError. */
export function scenarioFiles(userPaths: readonly string[] = []): string[] {
  const files = yamlFilesOf(SCENARIOS_DIR);
  for (const path of userPaths) {
    for (const file of userScenarioFiles(path)) if (!files.includes(file)) files.push(file);
  }
  return files;
}

/** The files one user path names: a folder's YAML files, or the file itself. */
function userScenarioFiles(path: string): string[] {
  const abs = resolve(path);
  const at = { file: displayPath(abs), line: 1, column: 1 };
  let isFolder: boolean;
  try {
    isFolder = statSync(abs).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'read error';
    throw new SpecError([
      {
        ...at,
        message: `cannot read this scenarios folder or file (${code}); --scenarios takes a folder of scenario YAML files or one such file`,
      },
    ]);
  }
  if (!isFolder) return [abs];
  const files = yamlFilesOf(abs);
  if (files.length === 0)
    throw new SpecError([
      {
        ...at,
        message:
          'this scenarios folder holds no .yaml or .yml file; put scenario files in it (docs/writing-a-scenario.md) or name a file',
      },
    ]);
  return files;
}

function yamlFilesOf(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => YAML.test(f))
    .sort()
    .map((f) => join(dir, f));
}
