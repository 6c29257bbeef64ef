/**
 * What a generated world's ids and fields must look like so that the mock's answers, which put
 * them into the profile's success examples, match the body schemas: where each `${...}` of a
 * success example lands in its schema, and what the schema asks there (a `pattern` such as
 * `^txn_[A-Za-z0-9-]+$`, a `format`, an `enum`). Read off the profile and its schemas alone.
 *
 * Targets: `resource:NAME` (a record id: a path id, a body field that names it, `${record.id}`),
 * `key` (a key id: `${key.id}`, the path id of a key-management route), `party:KIND`
 * (`${tenant}`...), `record:RESOURCE.FIELD` (`${record.FIELD}` of the record a route reaches first)
 * and `user:FIELD` (`${loginUser.FIELD}`).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { BINDING_KINDS, type Profile } from '../model/profile.ts';
import { referencedFields } from '../model/resource-placeholders.ts';
import { schemaRegistry } from './schema-registry.ts';

type SchemaNode = Record<string, unknown>;
interface Located {
  node: SchemaNode;
  id: string;
}
export type Shapes = Map<string, SchemaNode[]>;

const PLACEHOLDER = /^\$\{([^}|]+)(?:\|[^}]*)?\}$/;

export function idShapes(profile: Profile): Shapes {
  const shapes: Shapes = new Map();
  const add = (target: string, nodes: SchemaNode[]) => {
    if (nodes.length > 0) shapes.set(target, [...(shapes.get(target) ?? []), ...nodes]);
  };
  const keyRoutes = new Set(
    (['get', 'revoke', 'rotate', 'delete'] as const).flatMap((op) => {
      const route = profile.lifecycle?.[op]?.route;
      return route !== undefined ? [route] : [];
    }),
  );
  const isParty = (name: string) => (BINDING_KINDS as readonly string[]).includes(name);
  const ofResource = (res: string) => (isParty(res) ? `party:${res}` : `resource:${res}`);
  for (const route of profile.routes) {
    const schema = route.success?.schema;
    if (schema === undefined || route.success?.example === undefined) continue;
    const root = locate(schema);
    if (root === undefined) continue;
    const params: Record<string, string> = {};
    for (const [name, ref] of Object.entries(route.params ?? {}))
      params[name] = typeof ref === 'string' ? ref : ref.resource;
    const bodyRefs = referencedFields(route.requestBody);
    const first = [...Object.values(params), ...Object.values(bodyRefs)][0];
    walk(route.success.example, [root], (expr, nodes) => {
      const [head, field] = expr.split(/\.(.*)/s) as [string, string | undefined];
      if (head === 'params' && field !== undefined && params[field] !== undefined)
        add(keyRoutes.has(route.id) ? 'key' : ofResource(params[field]), nodes);
      else if (head === 'body' && field !== undefined && bodyRefs[field] !== undefined)
        add(ofResource(bodyRefs[field]), nodes);
      else if (expr === 'key.id') add('key', nodes);
      else if (head === 'record' && field !== undefined && first !== undefined)
        add(field === 'id' ? ofResource(first) : `record:${first}.${field}`, nodes);
      else if (head === 'loginUser' && field !== undefined) add(`user:${field}`, nodes);
      else if (field === undefined && isParty(head)) add(`party:${head}`, nodes);
    });
  }
  return shapes;
}

function locate(ref: string, base?: string): Located | undefined {
  const found = schemaRegistry().rawSchema(ref, base);
  if (found === undefined || found.node === null || typeof found.node !== 'object')
    return undefined;
  return { node: found.node as SchemaNode, id: found.id };
}

/** The node and every schema it stands for: its `$ref`, its `allOf`/`anyOf`/`oneOf` branches. */
function expand(at: Located, depth = 0): Located[] {
  if (depth > 20) return [];
  const out: Located[] = [at];
  const { node, id } = at;
  if (typeof node.$ref === 'string') {
    const target = locate(node.$ref, id);
    if (target !== undefined) out.push(...expand(target, depth + 1));
  }
  for (const k of ['allOf', 'anyOf', 'oneOf'])
    if (Array.isArray(node[k]))
      for (const branch of node[k] as unknown[])
        if (branch !== null && typeof branch === 'object')
          out.push(...expand({ node: branch as SchemaNode, id }, depth + 1));
  return out;
}

function child(parents: Located[], key: string | number): Located[] {
  const out: Located[] = [];
  for (const { node, id } of parents.flatMap((p) => expand(p))) {
    let next: unknown;
    if (typeof key === 'number')
      next = (node.prefixItems as unknown[] | undefined)?.[key] ?? node.items;
    else
      next =
        (node.properties as Record<string, unknown> | undefined)?.[key] ??
        node.additionalProperties;
    if (next !== null && typeof next === 'object') out.push({ node: next as SchemaNode, id });
  }
  return out;
}

function walk(
  example: unknown,
  at: Located[],
  visit: (expr: string, nodes: SchemaNode[]) => void,
): void {
  if (at.length === 0) return;
  if (typeof example === 'string') {
    const m = PLACEHOLDER.exec(example);
    if (m)
      visit(
        m[1]!.trim(),
        at.flatMap((l) => expand(l)).map((l) => l.node),
      );
  } else if (Array.isArray(example)) example.forEach((item, i) => walk(item, child(at, i), visit));
  else if (example !== null && typeof example === 'object')
    for (const [k, v] of Object.entries(example)) walk(v, child(at, k), visit);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string value meets every node's string constraints. */
export function fits(value: string, nodes: readonly SchemaNode[]): boolean {
  return nodes.every((n) => {
    if (n.const !== undefined && n.const !== value) return false;
    if (Array.isArray(n.enum) && !n.enum.includes(value)) return false;
    if (typeof n.minLength === 'number' && value.length < n.minLength) return false;
    if (typeof n.maxLength === 'number' && value.length > n.maxLength) return false;
    if (n.format === 'uuid' && !UUID.test(value)) return false;
    if (typeof n.pattern === 'string') {
      try {
        if (!new RegExp(n.pattern, 'u').test(value)) return false;
      } catch {
        return true;
      }
    }
    return true;
  });
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (n: number, pool = LOWER_ALNUM) =>
  [...randomBytes(n)].map((b) => pool[b % pool.length]).join('');

/**
 * An id the nodes accept: the first of `preferred` that does; else one in the shape the
 * pattern names (its literal prefix, e.g. `txn_`, and 16 random letters and digits); else one
 * fast-check draws from the pattern with a random seed. Undefined when nothing fits.
 */
export function drawId(
  nodes: readonly SchemaNode[],
  preferred: (() => string)[],
  ok: (value: string) => boolean = () => true,
): string | undefined {
  const good = (v: string) => fits(v, nodes) && ok(v);
  for (const make of preferred)
    for (let i = 0; i < 5; i++) {
      const v = make();
      if (good(v)) return v;
    }
  const patterns = nodes.flatMap((n) => (typeof n.pattern === 'string' ? [n.pattern] : []));
  for (const p of patterns) {
    const prefix = /^\^?((?:[A-Za-z0-9_-]|\\[-_.])*)/.exec(p)![1]!.replace(/\\/g, '');
    for (const make of [
      () => prefix + randomText(16),
      () => prefix + randomUUID(),
      () => prefix + randomText(16, LOWER_ALNUM.toUpperCase() + LOWER_ALNUM),
    ]) {
      const v = make();
      if (good(v)) return v;
    }
  }
  for (const p of patterns) {
    let re: RegExp;
    try {
      re = new RegExp(p, 'u');
    } catch {
      continue;
    }
    const drawn = fc.sample(fc.stringMatching(re), { numRuns: 200, seed: randomInt(2 ** 31 - 1) });
    const printable = drawn.filter((s) => /^[\x21-\x7e]+$/.test(s) && good(s));
    // The longest: a one-letter id is legal but collides and reads badly.
    const best = printable.sort((a, b) => Math.min(b.length, 24) - Math.min(a.length, 24))[0];
    if (best !== undefined) return best;
  }
  return undefined;
}

/** A value for a record's or user's field where it lands in a body: of the type asked there. */
export function fieldValue(nodes: readonly SchemaNode[], now: number): unknown {
  for (const n of nodes) {
    if (n.const !== undefined) return n.const;
    if (Array.isArray(n.enum) && n.enum.length > 0) return n.enum[0];
  }
  const type = nodes.map((n) => n.type).find((t) => t !== undefined);
  const types = Array.isArray(type) ? (type as unknown[]) : [type];
  const min = nodes.map((n) => n.minimum).find((m) => typeof m === 'number') as number | undefined;
  if (types.includes('integer')) return Math.max(Math.ceil(min ?? 1), 1);
  if (types.includes('number')) return Math.max(min ?? 1, 1);
  if (types.includes('boolean')) return true;
  if (types.includes('array')) return [];
  const format = nodes.map((n) => n.format).find((f) => typeof f === 'string');
  if (format === 'date-time') return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (format === 'date') return new Date(now).toISOString().slice(0, 10);
  if (format === 'email') return `user-${randomText(6)}@example.com`;
  return drawId(nodes, [() => `sample-${randomText(6)}`]) ?? `sample-${randomText(6)}`;
}
