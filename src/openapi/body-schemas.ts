/**
 * The body schemas of a generated profile: OpenAPI's schemas rewritten as JSON Schema 2020-12
 * (what the harness compiles with ajv) in one file's `$defs`, and a sample body for a schema
 * where the document gives no example.
 */

type Json = unknown;
type SchemaObject = Record<string, unknown>;

/** OpenAPI-only keywords JSON Schema 2020-12 does not know (3.0 and 2.0). */
const OPENAPI_ONLY = new Set([
  'nullable',
  'discriminator',
  'xml',
  'externalDocs',
  'example',
  'x-nullable',
]);

const KNOWN_FORMATS = new Set([
  'date',
  'time',
  'date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
]);

export class BodySchemas {
  readonly defs: Record<string, SchemaObject> = {};

  /** `components/schemas` (3.x) or `definitions` (2.0) become $defs under their own names. */
  constructor(
    private readonly doc: Record<string, unknown>,
    private readonly version: '2.0' | '3.0' | '3.1',
  ) {
    const named =
      version === '2.0'
        ? (doc.definitions as Record<string, unknown> | undefined)
        : ((doc.components as Record<string, unknown> | undefined)?.schemas as
            Record<string, unknown> | undefined);
    for (const [name, schema] of Object.entries(named ?? {}))
      this.defs[defName(name)] = this.convert(schema) as SchemaObject;
  }

  /** Adds a schema (a $ref to a named one is used as it is) and returns its $defs name. */
  add(schema: unknown, nameIfInline: string): string {
    const ref = refName(schema);
    if (ref !== undefined && this.defs[ref]) return ref;
    let name = defName(nameIfInline);
    for (let i = 2; this.defs[name] !== undefined; i++) name = `${defName(nameIfInline)}${i}`;
    this.defs[name] = this.convert(schema) as SchemaObject;
    return name;
  }

  /** A body valid against the named schema: its examples first, else a value drawn from its type. */
  sample(name: string): Json {
    return this.sampleOf(this.defs[name], 0);
  }

  private convert(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map((s) => this.convert(s));
    if (schema === null || typeof schema !== 'object') return schema;
    const s = schema as SchemaObject;
    const out: SchemaObject = {};
    for (const [k, v] of Object.entries(s)) {
      if (OPENAPI_ONLY.has(k) || k.startsWith('x-')) continue;
      if (k === '$ref' && typeof v === 'string')
        out.$ref = `#/$defs/${defName(v.split('/').pop()!)}`;
      else if (
        k === 'properties' ||
        k === 'patternProperties' ||
        k === '$defs' ||
        k === 'definitions'
      )
        out[k] = Object.fromEntries(
          Object.entries(v as SchemaObject).map(([p, ps]) => [p, this.convert(ps)]),
        );
      else out[k] = this.convert(v);
    }
    if (s.example !== undefined && out.examples === undefined) out.examples = [s.example];
    // A format ajv-formats does not know (Stripe's unix-time) would stop the schema compiling.
    if (typeof out.format === 'string' && !KNOWN_FORMATS.has(out.format)) delete out.format;
    // 3.0's `nullable: true` (2.0's x-nullable) is 2020-12's null among the types.
    if ((s.nullable === true || s['x-nullable'] === true) && typeof out.type === 'string')
      out.type = [out.type, 'null'];
    // 3.0's exclusiveMinimum/Maximum are booleans beside minimum/maximum; 2020-12's are numbers.
    for (const [flag, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const)
      if (typeof out[flag] === 'boolean') {
        if (out[flag] === true && typeof out[bound] === 'number') out[flag] = out[bound];
        else delete out[flag];
        if (typeof out[flag] === 'number') delete out[bound];
      }
    if (this.version === '2.0' && s.type === 'file') out.type = 'string';
    return out;
  }

  private sampleOf(schema: unknown, depth: number): Json {
    if (schema === null || typeof schema !== 'object' || depth > 8) return null;
    const s = schema as SchemaObject;
    const ref = refName(s);
    if (ref !== undefined) return this.sampleOf(this.defs[ref], depth + 1);
    if (s.const !== undefined) return s.const;
    if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
    if (s.default !== undefined) return s.default;
    if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
    for (const k of ['allOf'] as const)
      if (Array.isArray(s[k]))
        return Object.assign({}, ...s[k].map((part) => this.sampleOf(part, depth + 1) as object));
    for (const k of ['oneOf', 'anyOf'] as const)
      if (Array.isArray(s[k])) return this.sampleOf(s[k][0], depth + 1);
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    if (type === 'object' || (type === undefined && s.properties !== undefined)) {
      const props = (s.properties ?? {}) as SchemaObject;
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      return Object.fromEntries(required.map((p) => [p, this.sampleOf(props[p] ?? {}, depth + 1)]));
    }
    if (type === 'array') {
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      return Array.from({ length: Math.max(min, 1) }, () =>
        this.sampleOf(s.items ?? {}, depth + 1),
      );
    }
    if (type === 'integer' || type === 'number')
      return typeof s.minimum === 'number' ? s.minimum : 1;
    if (type === 'boolean') return true;
    if (type === 'string') return sampleString(s);
    return {};
  }
}

function sampleString(s: SchemaObject): string {
  const byFormat: Record<string, string> = {
    'date-time': '2026-01-01T00:00:00Z',
    date: '2026-01-01',
    email: 'user@example.com',
    uri: 'https://example.com/',
    url: 'https://example.com/',
    uuid: '00000000-0000-4000-8000-000000000000',
    ipv4: '192.0.2.1',
    hostname: 'example.com',
  };
  // A pattern that is a literal start (Stripe's ^/v1/customers) is met by that literal.
  const literal =
    typeof s.pattern === 'string' ? /^\^([\w/.-]*)\$?$/.exec(s.pattern)?.[1] : undefined;
  const value = literal || (typeof s.format === 'string' && byFormat[s.format]) || 'string';
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  return value.padEnd(min, 'x');
}

function refName(schema: unknown): string | undefined {
  const ref = (schema as SchemaObject | null)?.$ref;
  return typeof ref === 'string' ? defName(ref.split('/').pop()!) : undefined;
}

/** A $defs name the profile's schema references accept ([A-Za-z0-9_-]). */
export function defName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}
