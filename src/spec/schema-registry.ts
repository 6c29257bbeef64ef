/**
 * Every JSON Schema under specs/schemas/ (format schemas and response-body schemas), added to
 * one ajv instance once and compiled once per schema reference. Body schemas are addressed as
 * `bodies/<profile>.json#/$defs/<name>`, relative to specs/schemas/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  Ajv2020,
  MissingRefError,
  type ErrorObject,
  type ValidateFunction,
} from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RE2JS } from 're2js';
import { SCHEMAS_DIR } from './spec-paths.ts';
import { shortValueMemo } from '../model/short-value-memo.ts';
import { SpecError, type SpecProblem } from './spec-error.ts';
import { readJsonSource } from './json-source.ts';
import { describeValue, pointerToPath, valueAt } from './ajv-problems.ts';
import type { PathSegment, YamlSource } from './yaml-source.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const BASE_ID = 'https://authconform.dev/schemas/';
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * Patterns compiled by RE2 in this process, by their text: each registry compiles its schemas
 * anew (one is built for each user profile loaded), and compiling the same patterns again was
 * 2 of the suite's CPU-seconds. A compiled pattern only answers, so it is shared.
 */
const re2Compiled = new Map<string, { test(s: string): boolean; toString(): string }>();
const RE2_COMPILED_MAX = 1024;

/**
 * JSON Schema `pattern`s are matched with RE2 (linear time), as profile patterns are: a user's
 * body schema is matched against whatever a target answers, and a backtracking engine would let
 * a pattern such as `^(a+)+$` and one hostile answer stall the run. A pattern RE2 cannot take
 * (lookaround, a backreference) is a schema error at its place.
 */
const re2RegExp = Object.assign(
  (pattern: string) => {
    const known = re2Compiled.get(pattern);
    if (known) return known;
    let re: RE2JS;
    try {
      re = RE2JS.compile(pattern);
    } catch (err) {
      throw new Error(
        `pattern /${pattern}/ cannot be matched in linear time (${(err as Error).message}); ` +
          'patterns are matched with RE2, which has no lookaround and no backreferences',
      );
    }
    // ajv keys its compiled patterns by toString(): without one, every pattern would share a key.
    // Answers kept too: a response's ids and codes come back again and again.
    const test = shortValueMemo((value) => re.test(value));
    const compiled = { test, toString: () => `/${pattern}/` };
    if (re2Compiled.size >= RE2_COMPILED_MAX) re2Compiled.clear();
    re2Compiled.set(pattern, compiled);
    return compiled;
  },
  { code: 'RE2JS' },
);

/**
 * Validators of the built-in schemas, shared by every registry of the process: compiling the
 * profile schema alone costs a third of a second, and each user profile loaded builds a registry.
 */
const builtInValidators = new Map<string, ValidateFunction>();

/**
 * Schema texts the 2020-12 meta-schema already accepted in this process: every registry reads the
 * built-in schemas again (one is built for each user profile loaded), and checking them against the
 * meta-schema each time was 5 of the suite's CPU-seconds. Keyed by the whole text.
 */
const metaValid = new Set<string>();
const META_VALID_MAX = 512;

export class SchemaRegistry {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly known = new Map<string, Record<string, unknown>>();
  /** The schemas read from the project's own specs/schemas/ (by path), as `known` holds them. */
  private readonly builtIn = new Map<string, Record<string, unknown>>();
  /** The folder each schema file (by its path relative to that folder) was read from. */
  private readonly folderOf = new Map<string, string>();

  /**
   * Later folders add schemas beside the first (a user's own body schemas, test corpora). Their
   * schemas are compiled here, so a broken one (bad JSON, an invalid keyword, an `$id` already
   * taken, a `$ref` to nowhere) is a SpecError at its file, line and column, not a crash later.
   * Folders in `checked` were compiled so by an earlier registry, unchanged since: not again,
   * and the validators `previous` (that registry) compiled from their schemas are taken as they
   * are (a profile's examples and errors are checked at every load: compiling them again for each
   * new registry was most of the user schemas' compile time).
   */
  constructor(
    schemaDirs: readonly string[] = [SCHEMAS_DIR],
    checked: ReadonlySet<string> = new Set(),
    previous?: SchemaRegistry,
  ) {
    this.ajv = new Ajv2020({
      allErrors: true,
      strict: false,
      verbose: true,
      code: { regExp: re2RegExp },
    });
    addFormats(this.ajv);
    const owners = new Map<string, string>();
    const toCompile: { source: YamlSource; id: string }[] = [];
    const problems: SpecProblem[] = [];
    for (const [i, schemasDir] of schemaDirs.entries())
      for (const abs of listJsonFiles(schemasDir)) {
        const rel = relative(schemasDir, abs).split(sep).join('/');
        let source: YamlSource;
        try {
          source = readJsonSource(abs);
        } catch (err) {
          if (!(err instanceof SpecError)) throw err;
          problems.push(...err.problems);
          continue;
        }
        const found = this.addSchemaFile(source, rel, owners);
        if (typeof found === 'string') {
          this.folderOf.set(rel, schemasDir);
          if (resolve(schemasDir) === resolve(SCHEMAS_DIR))
            this.builtIn.set(rel, this.known.get(rel)!);
          if (i > 0 && !checked.has(schemasDir)) toCompile.push({ source, id: found });
        } else problems.push(...found);
      }
    for (const { source, id } of toCompile) problems.push(...this.compileProblems(source, id));
    if (problems.length > 0) throw new SpecError(problems);
    for (const [key, v] of previous?.compiled ?? []) {
      const file = /^[^#\s]+/.exec(key)?.[0] ?? '';
      const folder = this.folderOf.get(file);
      if (folder !== undefined && checked.has(folder) && previous?.folderOf.get(file) === folder)
        this.compiled.set(key, v);
    }
  }

  /** Adds one schema file; its id, or what is wrong with it. */
  private addSchemaFile(
    source: YamlSource,
    rel: string,
    owners: Map<string, string>,
  ): string | SpecProblem[] {
    const schema = source.data;
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
      return [source.problem([], 'a JSON Schema file must hold an object')];
    const s = schema as Record<string, unknown>;
    const ownId = typeof s.$id === 'string';
    const id = ownId ? (s.$id as string) : BASE_ID + rel;
    const owner = owners.get(id);
    if (owner !== undefined)
      return [
        source.problem(
          ownId ? ['$id'] : [],
          `schema id "${id}" is already taken by ${owner}; give this schema an "$id" of its own`,
        ),
      ];
    if (s.$schema !== undefined && s.$schema !== DRAFT_2020_12)
      return [
        source.problem(
          ['$schema'],
          `only JSON Schema 2020-12 is supported ("$schema": "${DRAFT_2020_12}"); found ${describeValue(s.$schema)}`,
        ),
      ];
    try {
      const known = source.text !== undefined && metaValid.has(source.text);
      if (!known && !this.ajv.validateSchema(s))
        return metaSchemaProblems(source, this.ajv.errors ?? []);
      if (source.text !== undefined && metaValid.size < META_VALID_MAX) metaValid.add(source.text);
      // Checked just above (or before, with the same text): ajv need not check it again.
      this.ajv.addSchema({ ...s, $id: id }, undefined, undefined, false);
    } catch (err) {
      // e.g. a "$schema" this ajv does not know (only 2020-12 is loaded)
      const at: PathSegment[] = typeof s.$schema === 'string' ? ['$schema'] : [];
      return [source.problem(at, `invalid JSON Schema: ${(err as Error).message}`)];
    }
    owners.set(id, source.file);
    this.known.set(rel, s);
    return id;
  }

  /** Compiles the schema and each of its definitions; a `$ref` to nowhere is named at its place. */
  private compileProblems(source: YamlSource, id: string): SpecProblem[] {
    const schema = source.data as Record<string, unknown>;
    const parts: PathSegment[][] = [[]];
    for (const defs of ['$defs', 'definitions'])
      if (schema[defs] !== null && typeof schema[defs] === 'object')
        for (const name of Object.keys(schema[defs])) parts.push([defs, name]);
    const problems: SpecProblem[] = [];
    const missing = new Set<string>();
    for (const path of parts) {
      const pointer = path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1'));
      try {
        this.ajv.getSchema(path.length === 0 ? id : `${id}#/${pointer.join('/')}`);
      } catch (err) {
        // A definition that refers to a broken one fails too: each missing target is named once.
        if (err instanceof MissingRefError) {
          if (!missing.has(err.missingRef)) problems.push(danglingRef(source, id, err));
          missing.add(err.missingRef);
        } else {
          const message = `schema does not compile: ${(err as Error).message}`;
          if (!problems.some((p) => p.message === message))
            problems.push(source.problem(badPatternAt(source.data, path) ?? path, message));
        }
      }
    }
    return problems;
  }

  /** True when `ref` (FILE.json#/$defs/NAME) names a schema that exists. */
  has(ref: string): boolean {
    const [file, fragment] = ref.split('#');
    const schema = file ? this.known.get(file) : undefined;
    if (!schema) return false;
    if (!fragment) return true;
    const name = fragment.replace(/^\/\$defs\//, '');
    const defs = schema.$defs as Record<string, unknown> | undefined;
    return defs !== undefined && name in defs;
  }

  /**
   * The compiled validator for a schema reference, or for an error's derived schema (the
   * reference with values pinned: resolved-profile.ts), compiled on first use and kept.
   */
  validator(schema: BodySchema): ValidateFunction {
    const key = bodySchemaText(schema);
    let v = this.compiled.get(key);
    if (!v) {
      const ref = typeof schema === 'string' ? schema : schema.schema;
      const [file, fragment] = ref.split('#');
      // A built-in schema refers to built-in schemas only: compiled once per process, whatever
      // user folders later registries hold (a registry is rebuilt for each user profile loaded).
      const builtIn = this.builtIn.get(file ?? '');
      if (builtIn !== undefined && this.known.get(file ?? '') === builtIn) {
        v = builtInValidators.get(key);
        if (v) {
          this.compiled.set(key, v);
          return v;
        }
      }
      const id = this.idOf(file ?? '');
      const absolute = fragment ? `${id}#${fragment}` : id;
      const pinned = typeof schema === 'string' ? {} : schema.pinned;
      v =
        Object.keys(pinned).length === 0
          ? this.ajv.getSchema(absolute)
          : this.ajv.compile({ allOf: [{ $ref: absolute }, pinnedSchema(pinned)] });
      if (!v) throw new Error(`no schema ${ref}`);
      this.compiled.set(key, v);
      if (builtIn !== undefined && this.known.get(file ?? '') === builtIn)
        builtInValidators.set(key, v);
    }
    return v;
  }

  /**
   * The raw schema node `ref` names: FILE.json#/POINTER, or a `$ref` written inside the schema
   * whose id is `base` (resolved against it). With the id it sits in, for the `$ref`s under it.
   */
  rawSchema(ref: string, base?: string): { node: unknown; id: string } | undefined {
    let url: URL;
    try {
      url = base !== undefined ? new URL(ref, base) : new URL(this.idOf(ref.split('#')[0] ?? ''));
    } catch {
      return undefined;
    }
    const fragment = base !== undefined ? url.hash.slice(1) : (ref.split('#')[1] ?? '');
    url.hash = '';
    const doc = [...this.known.entries()].find(([rel]) => this.idOf(rel) === url.href)?.[1];
    if (doc === undefined) return undefined;
    let node: unknown = doc;
    for (const seg of fragment.split('/').slice(1)) {
      if (node === null || typeof node !== 'object') return undefined;
      const key = decodeURIComponent(seg).replace(/~1/g, '/').replace(/~0/g, '~');
      node = (node as Record<string, unknown>)[key];
    }
    return node === undefined ? undefined : { node, id: url.href };
  }

  private idOf(file: string): string {
    const schema = this.known.get(file);
    return typeof schema?.$id === 'string' ? schema.$id : BASE_ID + file;
  }
}

/**
 * A body schema: a reference under specs/schemas/ (FILE.json#/$defs/NAME), or an error's schema
 * derived from the profile's errorShape: its reference, with the values the body must have at
 * JSON Pointers (a resolved error is one).
 */
export type BodySchema = string | { schema: string; pinned: Record<string, unknown> };

/** How a report names a body schema: the reference, and what is pinned. */
export function bodySchemaText(schema: BodySchema): string {
  if (typeof schema === 'string') return schema;
  const pins = Object.entries(schema.pinned).map(([at, v]) => `${at} = ${JSON.stringify(v)}`);
  return pins.length === 0 ? schema.schema : `${schema.schema} with ${pins.join(', ')}`;
}

/** A JSON Schema that holds where each pointer's value is present and equal to it. */
function pinnedSchema(pinned: Record<string, unknown>): Record<string, unknown> {
  const all = Object.entries(pinned).map(([at, value]) =>
    at
      .split('/')
      .slice(1)
      .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduceRight<Record<string, unknown>>(
        (inner, key) => ({ type: 'object', required: [key], properties: { [key]: inner } }),
        { const: value },
      ),
  );
  return { allOf: all };
}

function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...listJsonFiles(abs));
    else if (name.endsWith('.json')) out.push(abs);
  }
  return out;
}

let shared: SchemaRegistry | undefined;
/** The user folders the shared registry holds, each with its files' state when it was read. */
const userDirs = new Map<string, string>();
/**
 * The registry over the project's own specs/schemas/ (and the schema folders of the user's
 * profiles loaded so far), built once per process and rebuilt only when a folder is added.
 */
export function schemaRegistry(): SchemaRegistry {
  shared ??= new SchemaRegistry([SCHEMAS_DIR, ...userDirs.keys()]);
  return shared;
}

/**
 * A user's profile refers to its own body schemas as the built-in ones do: a `schemas/` folder
 * beside it (or one level above) joins the registry every command uses.
 */
export function addSchemasBesideProfile(profileFile: string): void {
  for (const dir of [
    join(dirname(profileFile), 'schemas'),
    join(dirname(profileFile), '..', 'schemas'),
  ]) {
    const abs = resolve(dir);
    if (abs === resolve(SCHEMAS_DIR)) continue;
    if (existsSync(abs) && statSync(abs).isDirectory()) {
      // A folder read before is read again only when its files changed (a schema edited, added
      // or removed since: a second `init`, a test rewriting one, watch mode).
      const seen = folderState(abs);
      if (userDirs.get(abs) === seen) continue;
      // A copy of a profile loaded earlier in this process (the same API in another folder, a
      // second verify() call) names the same schema ids: the folder named last replaces it, as
      // it would in a process of its own. A clash with a built-in schema is still an error.
      const ids = schemaIds(abs);
      // A folder removed since (a temporary copy, a checkout switched) is dropped, not read; so
      // is another profile's folder whose files changed since it was read: it is read again when
      // its own profile is named, and a schema broken there is that profile's error, not this one's.
      const states = new Map<string, string>();
      for (const d of userDirs.keys())
        if (d !== abs && existsSync(d)) states.set(d, folderState(d));
      const kept = [...states.keys()].filter(
        (d) => states.get(d) === userDirs.get(d) && !schemaIds(d).some((id) => ids.includes(id)),
      );
      // Built now, so a broken schema there is reported (SpecError) when the profile is named,
      // and leaves the registry as it was for the rest of the process.
      // A folder's $refs may point into the others: its schemas are taken as compiled only when
      // `abs` is just added beside the earlier folders, all kept and unchanged (a folder dropped,
      // edited or replaced may leave a $ref of another dangling).
      const added = !userDirs.has(abs) && kept.length === userDirs.size;
      const registry = added
        ? new SchemaRegistry([SCHEMAS_DIR, ...kept, abs], new Set(kept), shared)
        : new SchemaRegistry([SCHEMAS_DIR, ...kept, abs]);
      userDirs.clear();
      for (const d of kept) userDirs.set(d, states.get(d) ?? '');
      userDirs.set(abs, seen);
      shared = registry;
    }
  }
}

/** The JSON files under `dir` with their sizes and modification times: changes when one does. */
function folderState(dir: string): string {
  return listJsonFiles(dir)
    .map((f) => {
      const st = statSync(f);
      return `${f}\u0000${st.size}\u0000${st.mtimeMs}`;
    })
    .join('\n');
}

/** The `$id`s the JSON files under `dir` declare (a file that is not JSON declares none). */
function schemaIds(dir: string): string[] {
  return listJsonFiles(dir).flatMap((file) => {
    try {
      const id = (JSON.parse(readFileSync(file, 'utf8')) as { $id?: unknown }).$id;
      return typeof id === 'string' ? [id] : [];
    } catch {
      return [];
    }
  });
}

/** One line per place the meta-schema rejects: the deepest complaint, at its JSON pointer. */
function metaSchemaProblems(source: YamlSource, errors: ErrorObject[]): SpecProblem[] {
  const byPointer = new Map<string, ErrorObject>();
  for (const e of errors)
    if (!['anyOf', 'oneOf', 'allOf', 'if'].includes(e.keyword) && !byPointer.has(e.instancePath))
      byPointer.set(e.instancePath, e);
  const pointers = [...byPointer.keys()];
  return pointers
    .filter((p) => !pointers.some((o) => o.startsWith(p + '/')))
    .map((pointer) => {
      const e = byPointer.get(pointer)!;
      const path = pointerToPath(pointer);
      const value = valueAt(source.data, path);
      const expected =
        e.keyword === 'enum'
          ? `expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
          : (e.message ?? `fails ${e.keyword}`);
      return source.problem(
        path,
        `invalid JSON Schema at #${pointer}: ${expected}; found ${describeValue(value)}`,
      );
    });
}

/** Where the unresolvable `$ref` is written (the first place, if several name it). */
function danglingRef(source: YamlSource, id: string, err: MissingRefError): SpecProblem {
  const written = /can't resolve reference (\S+)/.exec(err.message)?.[1];
  const resolvesToMissing = (ref: string) => {
    try {
      return new URL(ref, id).href === err.missingRef;
    } catch {
      return false;
    }
  };
  const refs = refsUnder(source.data, []);
  const hit =
    refs.find(([, ref]) => resolvesToMissing(ref)) ?? refs.find(([, ref]) => ref === written);
  const ref = hit?.[1] ?? written ?? err.missingRef;
  return source.problem(
    hit ? [...hit[0], '$ref'] : [],
    `$ref "${ref}" does not resolve: no schema or definition "${err.missingRef}"`,
  );
}

/** The first `pattern` under `path` that is no regular expression (ajv compiles with `u`). */
function badPatternAt(schema: unknown, path: PathSegment[]): PathSegment[] | undefined {
  const node = valueAt(schema, path);
  if (node === null || typeof node !== 'object') return undefined;
  const n = node as Record<string, unknown>;
  if (typeof n.pattern === 'string') {
    try {
      new RegExp(n.pattern, 'u');
      re2RegExp(n.pattern);
    } catch {
      return [...path, 'pattern'];
    }
  }
  for (const k of Object.keys(n)) {
    const found = badPatternAt(schema, [...path, Array.isArray(node) ? Number(k) : k]);
    if (found) return found;
  }
  return undefined;
}

function refsUnder(node: unknown, path: PathSegment[]): [PathSegment[], string][] {
  if (node === null || typeof node !== 'object') return [];
  const out: [PathSegment[], string][] = [];
  const n = node as Record<string, unknown>;
  if (typeof n.$ref === 'string') out.push([path, n.$ref]);
  for (const [k, v] of Object.entries(n))
    out.push(...refsUnder(v, [...path, Array.isArray(node) ? Number(k) : k]));
  return out;
}
