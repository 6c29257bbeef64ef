/**
 * Turns ajv's errors into one message per real problem, in words a person can act on:
 * `routes[2].method: expected one of GET, POST, ...; found "FETCH"`. ajv reports every failing
 * branch of a oneOf; we keep the deepest errors and merge the type errors of sibling branches.
 */
import type { ErrorObject } from 'ajv';
import type { PathSegment, YamlSource } from './yaml-source.ts';
import type { SpecProblem } from './spec-error.ts';
import { maskSecret } from '../secrets/mask.ts';

export interface AjvProblemOptions {
  /** Show found values masked (prefix + last four): every value of a credentials file. */
  maskValues?: boolean;
}

export function ajvProblems(
  source: YamlSource,
  errors: ErrorObject[],
  data: unknown,
  options: AjvProblemOptions = {},
): SpecProblem[] {
  const show = options.maskValues ? describeMaskedValue : describeValue;
  const useful = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'allOf'].includes(e.keyword));
  const kept = dropShallowerBranchNoise(useful.length > 0 ? useful : errors);
  const byPlace = new Map<string, ErrorObject[]>();
  for (const e of kept) {
    const place = e.instancePath + '|' + placeKey(e);
    byPlace.set(place, [...(byPlace.get(place) ?? []), e]);
  }
  const problems: SpecProblem[] = [];
  for (const group of byPlace.values()) {
    const first = group[0]!;
    const path = pointerToPath(first.instancePath);
    const value = valueAt(data, path);
    const where = describePath(path);
    const types = group.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
    const message =
      types.length > 1
        ? `expected ${unique(types).join(' or ')}, found ${show(value)}`
        : describeError(first, value, show);
    const locatePath =
      first.keyword === 'additionalProperties'
        ? [...path, String(first.params.additionalProperty)]
        : path;
    problems.push(
      source.problem(locatePath, where ? `${where}: ${message}` : message, {
        key: first.keyword === 'additionalProperties',
      }),
    );
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** When one branch of a oneOf got deeper into the data, the others' complaints are noise. */
function dropShallowerBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter(
    (e) =>
      !(e.keyword === 'type' || e.keyword === 'const') ||
      !errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath + '/')),
  );
}

function placeKey(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return 'ap:' + String(e.params.additionalProperty);
  if (e.keyword === 'required') return 'rq:' + String(e.params.missingProperty);
  if (e.keyword === 'type') return 'type';
  return e.keyword + ':' + e.schemaPath;
}

function describeError(e: ErrorObject, value: unknown, show: (value: unknown) => string): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `expected ${String(p.type)}, found ${show(value)}`;
    case 'required':
      return `missing required field "${String(p.missingProperty)}"`;
    case 'additionalProperties': {
      const allowed = Object.keys(
        (e.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      const hint = allowed.length > 0 ? `; expected one of: ${allowed.join(', ')}` : '';
      return `unknown field "${String(p.additionalProperty)}"${hint}`;
    }
    case 'enum':
      return `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; found ${show(value)}`;
    case 'const':
      return `expected ${JSON.stringify(p.allowedValue)}, found ${show(value)}`;
    case 'pattern': {
      const desc = (e.parentSchema as { description?: string } | undefined)?.description;
      return `expected a value matching /${String(p.pattern)}/${desc ? ` (${desc})` : ''}; found ${show(value)}`;
    }
    case 'format':
      return `expected a ${String(p.format)}, found ${show(value)}`;
    case 'minItems':
      return `expected at least ${String(p.limit)} item(s), found ${Array.isArray(value) ? value.length : 0}`;
    case 'minProperties':
      return `expected at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}, found none`;
    case 'minLength':
      return `expected at least ${String(p.limit)} character(s), found ${show(value)}`;
    case 'maxLength':
      return `expected at most ${String(p.limit)} character(s), found ${show(value)}`;
    case 'minimum':
    case 'maximum':
      return `expected a number ${e.keyword === 'minimum' ? '>=' : '<='} ${String(p.limit)}, found ${show(value)}`;
    case 'uniqueItems':
      return `expected unique items; items ${String(p.j)} and ${String(p.i)} are the same`;
    case 'propertyNames':
      return `invalid name ${JSON.stringify(p.propertyName)}`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

/** A string or number shown as a secret is: `number …9012` (an unquoted all-digit key). */
function describeMaskedValue(value: unknown): string {
  if (typeof value === 'string') return `string "${maskSecret(value)}"`;
  if (typeof value === 'number' || typeof value === 'bigint')
    return `${typeof value} ${maskSecret(String(value))}`;
  return describeValue(value);
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** routes[2].success.status, the way a person reads a path into the YAML. */
export function describePath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg as string];
  }
  return cur;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
