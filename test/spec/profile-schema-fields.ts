/**
 * Every field of the profile format, as one dotted path per field: map keys as `*`, list items
 * as `[]`, the four bindings as `bindings.*`, the lifecycle operations as `lifecycle.*`, each
 * denial reason by name. Read off specs/schemas/profile.schema.json, so a field added there
 * appears here without anyone remembering to list it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';

type Node = Record<string, unknown>;

const BINDING = /^bindings\.(tenant|merchant|store|organization)(?=\.|$)/;
const LIFECYCLE_OP = /^lifecycle\.(create|list|get|revoke|rotate|delete)(?=\.|$)/;

function normalize(path: string): string | undefined {
  const p = path.replace(BINDING, 'bindings.*').replace(LIFECYCLE_OP, 'lifecycle.*');
  if (/\.bindingFields\.[a-z]+$/.test(p)) return undefined; // the four kinds of bindingFields
  if (/^denials\.[a-z_]+\.default$/.test(p)) return undefined; // a reason's default error
  return p;
}

export function profileSchemaFields(): string[] {
  const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'profile.schema.json'), 'utf8')) as Node;
  const defs = (schema['$defs'] ?? {}) as Record<string, Node>;
  const out = new Set<string>();
  const walk = (node: Node, path: string, seen: Set<string>): void => {
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
      const name = ref.slice('#/$defs/'.length);
      if (seen.has(name)) return;
      walk(defs[name]!, path, new Set([...seen, name]));
    }
    for (const k of ['oneOf', 'anyOf', 'allOf'])
      for (const sub of (node[k] as Node[] | undefined) ?? []) walk(sub, path, seen);
    // A conditional schema's fields (a signing entry's, chosen by its scheme) are fields too.
    if (node['then'] && typeof node['then'] === 'object') walk(node['then'] as Node, path, seen);
    for (const [key, sub] of Object.entries((node['properties'] as Record<string, Node>) ?? {})) {
      const field = path ? `${path}.${key}` : key;
      const name = normalize(field);
      if (name !== undefined) out.add(name);
      walk(sub, field, seen);
    }
    const extra = node['additionalProperties'];
    if (extra && typeof extra === 'object') walk(extra as Node, `${path}.*`, seen);
    const items = node['items'];
    if (items && typeof items === 'object') walk(items as Node, `${path}[]`, seen);
  };
  walk(schema, '', new Set());
  return [...out].sort();
}
