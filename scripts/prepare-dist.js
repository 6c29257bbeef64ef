// Run before `tsc -b` by `npm run build` (npm pack's prepack) and `npm run typecheck`, so that the
// incremental build of src/ and mock-server/ into dist/ ends as a clean build would.
// tsc -b calls that build up to date when no source is newer than dist/.tsbuildinfo, without
// looking at dist/ itself (an output deleted since), at a source whose new text has an older time
// (copied or restored with its time, saved while a build ran) or at the installed packages' types
// it read. So this script checks that every file the build info says was compiled still has the
// text it was compiled from, and that every source's outputs are in dist/; if not, it removes the
// build info, and tsc -b compiles everything again. It also removes from dist/ every file the
// build would not write (a renamed or deleted source's .js and .d.ts, which tsc -b leaves, or the
// maps of a build with other options), so that npm pack ships only what a clean build makes.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Required, not imported: an import of this CommonJS module first scans its 9 MB for the names
// it exports (0.5 CPU-s instead of 0.2).
const ts = createRequire(import.meta.url)('typescript');

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

/** Why dist/ may not be what the sources as they are compile to, or undefined if it is. */
function staleness(infoFile, outputs) {
  let info;
  try {
    info = JSON.parse(readFileSync(infoFile, 'utf8'));
  } catch {
    return `${relative(root, infoFile)} cannot be read`;
  }
  const hash = ts.getSourceFileVersionAsHashFromText;
  // Times as tsc -b compares them: a Stats' mtime Date, whole milliseconds (mtimeMs has a fraction,
  // so a source saved in the millisecond the build info was written, after it, would be newer here
  // and not to tsc -b, which then calls the build up to date).
  const timeOf = (file) => statSync(file).mtime.getTime();
  const builtAt = timeOf(infoFile);
  const { fileNames, fileInfos } = info;
  if (
    info.version !== ts.version ||
    typeof hash !== 'function' ||
    !Array.isArray(fileNames) ||
    !Array.isArray(fileInfos)
  )
    return `what ${relative(root, infoFile)} records is not known to TypeScript ${ts.version}`;
  // The sources it was built from (`root`: numbers from 1 into fileNames, and ranges of them).
  const roots = new Set(
    (Array.isArray(info.root) ? info.root : []).flatMap((r) =>
      Array.isArray(r) ? Array.from({ length: r[1] - r[0] + 1 }, (_, k) => r[0] + k) : [r],
    ),
  );
  for (const [i, name] of fileNames.entries()) {
    const file = resolve(dirname(infoFile), name);
    const text = ts.sys.readFile(file);
    // A source deleted since: tsc -b sees that itself, and its build then reads every file anew.
    if (text === undefined && roots.has(i + 1)) continue;
    const recorded = typeof fileInfos[i] === 'string' ? fileInfos[i] : fileInfos[i]?.version;
    if (text !== undefined && hash(ts.sys, text) === recorded) continue;
    // An ordinary edit: a source newer than the build info. tsc -b then builds, and an incremental
    // build compares every file's text with what it records, so it misses no other change either.
    if (text !== undefined && roots.has(i + 1) && timeOf(file) > builtAt) continue;
    return `${relative(root, file)} is not the text it was compiled from`;
  }
  const missing = outputs.find((output) => !existsSync(output));
  return missing && `${relative(root, missing)} is missing`;
}

/** Removes from `dir` every file not in `keep`, and the folders left empty. */
function prune(dir, keep) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(path, keep);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (!keep.has(path)) {
      rmSync(path);
      console.log(`removed ${relative(root, path)} (no source compiles to it)`);
    }
  }
}

const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: () => {},
});
// No config to go by: tsc -b says what is wrong with it.
if (!config) process.exit(0);
const infoFile = config.options.tsBuildInfoFile && resolve(root, config.options.tsBuildInfoFile);
// What the build writes: each source's outputs with the options as they are, and its build info.
const outputs = config.fileNames.flatMap((source) =>
  ts.getOutputFileNames(config, source, !ts.sys.useCaseSensitiveFileNames),
);
const stale = infoFile && existsSync(infoFile) && staleness(infoFile, outputs);
if (stale) {
  rmSync(infoFile);
  console.log(`dist/ is compiled again from scratch: ${stale}`);
}
const keep = new Set(outputs.map((output) => resolve(output)));
if (infoFile) keep.add(infoFile);
if (existsSync(dist)) prune(dist, keep);
