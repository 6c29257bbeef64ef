/**
 * Every JSON Schema under specs/schemas/ (format schemas and response-body schemas), added to
 * one ajv instance once and compiled once per schema reference. Body schemas are addressed as
 * `bodies/<profile>.json#/$defs/<name>`, relative to specs/schemas/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SCHEMAS_DIR } from './spec-paths.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const BASE_ID = 'https://authconform.dev/schemas/';

export class SchemaRegistry {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly known = new Map<string, Record<string, unknown>>();

  /** Later folders add schemas beside the first (a user's own body schemas, test corpora). */
  constructor(schemaDirs: readonly string[] = [SCHEMAS_DIR]) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    addFormats(this.ajv);
    for (const schemasDir of schemaDirs)
      for (const abs of listJsonFiles(schemasDir)) {
        const rel = relative(schemasDir, abs).split(sep).join('/');
        const schema = JSON.parse(readFileSync(abs, 'utf8')) as Record<string, unknown>;
        const id = typeof schema.$id === 'string' ? schema.$id : BASE_ID + rel;
        this.ajv.addSchema({ ...schema, $id: id });
        this.known.set(rel, schema);
      }
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

  /** The compiled validator for `ref`, compiled on first use and kept. */
  validator(ref: string): ValidateFunction {
    let v = this.compiled.get(ref);
    if (!v) {
      const [file, fragment] = ref.split('#');
      const id = this.idOf(file ?? '');
      v = this.ajv.getSchema(fragment ? `${id}#${fragment}` : id);
      if (!v) throw new Error(`no schema ${ref}`);
      this.compiled.set(ref, v);
    }
    return v;
  }

  private idOf(file: string): string {
    const schema = this.known.get(file);
    return typeof schema?.$id === 'string' ? schema.$id : BASE_ID + file;
  }
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
const userDirs = new Set<string>();
/**
 * The registry over the project's own specs/schemas/ (and the schema folders of the user's
 * profiles loaded so far), built once per process and rebuilt only when a folder is added.
 */
export function schemaRegistry(): SchemaRegistry {
  shared ??= new SchemaRegistry([SCHEMAS_DIR, ...userDirs]);
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
    if (abs === resolve(SCHEMAS_DIR) || userDirs.has(abs)) continue;
    if (existsSync(abs) && statSync(abs).isDirectory()) {
      userDirs.add(abs);
      shared = undefined;
    }
  }
}
