/**
 * Loads a profile: YAML with positions, validated against profile.schema.json, then checked for
 * what a schema cannot say (every reference between parts of the profile and into the body
 * schemas resolves, every error body matches its schema, every pattern compiles, every feature
 * has the denials it can cause). Success examples hold placeholders, so they are checked once
 * filled in: by the mock's tests, and by the harness on every response.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Profile } from '../model/profile.ts';
import { SpecError, type SpecProblem } from './spec-error.ts';
import { readYamlSource, type YamlSource } from './yaml-source.ts';
import { schemaRegistry, type SchemaRegistry } from './schema-registry.ts';
import { ajvProblems } from './ajv-problems.ts';
import { checkedBefore, rememberChecked } from './checked-marks.ts';
import { PROFILES_DIR } from './spec-paths.ts';
import { checkProfileReferences } from './check-profile-references.ts';
import { fillDefaultDenials } from './default-denials.ts';
import { resolveReferences, type ResolvedProfile } from '../model/resolved-profile.ts';
import { attachModuleSigner } from '../sign/signers.ts';
import { loadSignerModule, SignerModuleError } from '../sign/load-signer-module.ts';

/** A profile as loaded: validated and resolved, with the file it came from and its hash. */
export interface LoadedProfile {
  /** Validated and resolved (resolved-profile.ts). */
  profile: ResolvedProfile;
  /** The file as the user named it. */
  file: string;
  /** SHA-256 of the file's bytes, for reports. */
  sha256: string;
}

/**
 * Loads and validates one profile file (YAML with positions, the profile schema, then every
 * reference within it). `registry` holds the body schemas the profile names (default: the
 * built-in ones); for a profile of your own with schemas of its own, `resolveProfile(path)` adds
 * those first.
 *
 * Throws `SpecError` with every problem found, each at its file:line:col.
 *
 * @example
 * ```ts
 * import { loadProfile } from 'authconform';
 *
 * const { profile, sha256 } = loadProfile('node_modules/authconform/specs/profiles/luxcore.yaml');
 * console.log(profile.name, profile.routes.length, sha256);
 * ```
 */
export function loadProfile(
  absPath: string,
  registry: SchemaRegistry = schemaRegistry(),
): LoadedProfile {
  const source = readYamlSource(absPath);
  const mark = profileMark(absPath, source);
  const known = checkedBefore('profile', mark);
  const profile = validateProfileSource(source, registry, known);
  if (!known) rememberChecked('profile', mark);
  return { profile, file: source.file, sha256: sha256File(absPath) };
}

/**
 * What an earlier start's mark of a passed check stands for (checked-marks.ts): a built-in
 * profile, by its path and text, whose checks read the built-in schemas only. A user's reads its
 * own schema folder and signer modules too, which a mark of its text would not cover: undefined.
 */
export function profileMark(absPath: string, source: YamlSource): string | undefined {
  // A file of the built-in folder itself: one in a folder below has a schemas/ of its own beside.
  const builtIn = dirname(resolve(absPath)) === resolve(PROFILES_DIR);
  const signing = (source.data as { signing?: unknown } | null)?.signing;
  const moduleSigner =
    signing !== null &&
    typeof signing === 'object' &&
    Object.values(signing).some((e) => (e as { scheme?: unknown } | null)?.scheme === 'module');
  return builtIn && !moduleSigner && source.text !== undefined
    ? `${resolve(absPath)}\0${source.text}`
    : undefined;
}

/**
 * Schema and reference checks over an already parsed source; throws SpecError on any problem.
 * What passes is resolved: every reference has been checked, with its file, line and column.
 */
export function validateProfileSource(
  source: YamlSource,
  registry: SchemaRegistry = schemaRegistry(),
  /** Checked by an earlier start of the same code (loadProfile, checked-marks.ts). */
  checkedEarlier = false,
): ResolvedProfile {
  // The file resolved as its signer modules are (the shown path is relative to the working
  // directory): the same text elsewhere names other modules, whose parts the checks read.
  const passedKey =
    source.text !== undefined ? `${resolve(source.file)}\0${source.text}` : undefined;
  const passed = passedChecks.get(registry) ?? new Set<string>();
  passedChecks.set(registry, passed);
  const known = checkedEarlier || (passedKey !== undefined && passed.has(passedKey));
  // Compiled only where it checks: the profile schema is the largest there is.
  const validate = known ? undefined : registry.validator('profile.schema.json');
  if (validate !== undefined && !validate(source.data)) {
    throw new SpecError(ajvProblems(source, validate.errors ?? [], source.data));
  }
  const profile = source.data as Profile;
  // A profile whose API answers every reason by default may leave `denials` out.
  profile.denials ??= {};
  // Signer modules first: what a route must map depends on the parts its scheme has.
  const problems: SpecProblem[] = attachSignerModules(profile, source);
  // Then the reasons it leaves out take their defaults (the parts tell which it can produce).
  const unanswered = fillDefaultDenials(profile);
  if (!known) problems.push(...checkProfileReferences(profile, source, registry, unanswered));
  if (problems.length > 0) throw new SpecError(problems);
  if (passedKey !== undefined && passed.size < PASSED_MAX) passed.add(passedKey);
  return resolveReferences(profile);
}

/**
 * Profile texts (with the file they were read from: signer modules are relative to it) that
 * passed every check against a registry. The checks are a function of these alone, and a test
 * file or a long-lived process loads the same profile dozens of times: checking it again was
 * 9 of the unit tests' 200 CPU-s. A profile loaded again still gets data and signers of its own.
 */
const passedChecks = new WeakMap<SchemaRegistry, Set<string>>();
const PASSED_MAX = 256;

/** Loads each `scheme: module` signer, relative to the profile file; a problem at its `module`. */
function attachSignerModules(profile: Profile, source: YamlSource): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [id, entry] of Object.entries(profile.signing ?? {})) {
    if (entry.scheme !== 'module' || typeof entry.module !== 'string') continue;
    try {
      attachModuleSigner(entry, loadSignerModule(source.file, entry.module));
    } catch (e) {
      if (!(e instanceof SignerModuleError)) throw e;
      problems.push(source.problem(['signing', id, 'module'], e.message));
    }
  }
  return problems;
}

export function sha256File(absPath: string): string {
  return createHash('sha256').update(readFileSync(absPath)).digest('hex');
}
