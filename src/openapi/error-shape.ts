/**
 * Lean errors for a generated profile: where every error body has one schema (the API's error
 * shape), the profile states that shape once (`errorShape`: the schema, where the code sits, a
 * body template) and each error only its code, its message and, where it differs from the
 * default of its denials, its status. An error whose example the template does not reproduce
 * keeps its own `body`.
 */
import { isDeepStrictEqual } from 'node:util';
import { STATUS_CODES } from 'node:http';
import { DEFAULT_STATUS } from '../model/derive-errors.ts';
import type { DenialReason } from '../model/profile.ts';

type Obj = Record<string, unknown>;

export interface FullError {
  status: number;
  schema: string;
  body: unknown;
  headers?: Record<string, string>;
}

const CODE_FIELDS = ['code', 'error', 'type'];
const MESSAGE_FIELDS = ['message', 'detail', 'error_description', 'description'];

export function leanErrors(
  errors: Record<string, FullError>,
  denials: Record<string, unknown>,
): { errorShape?: Obj; errors: Record<string, Obj> } {
  const full = { errors: errors as unknown as Record<string, Obj> };
  const all = Object.entries(errors);
  if (all.length === 0 || new Set(all.map(([, e]) => e.schema)).size !== 1) return full;
  const first = all[0]![1];
  const codeAt = pointerTo(first.body, CODE_FIELDS);
  if (codeAt === undefined) return full;
  const messageAt = pointerTo(first.body, MESSAGE_FIELDS);
  const template = structuredClone(first.body) as Obj;
  setAt(template, codeAt, '${code}');
  if (messageAt !== undefined) setAt(template, messageAt, '${message}');
  if (template.status === first.status) template.status = '${status}';
  if (template.title === STATUS_CODES[first.status]) template.title = '${statusText}';

  const lean: Record<string, Obj> = {};
  for (const [id, e] of all) {
    const code = getAt(e.body, codeAt);
    const message = messageAt === undefined ? undefined : getAt(e.body, messageAt);
    const entry: Obj = {};
    if (typeof code === 'string' && code !== id) entry.code = code;
    if (typeof message === 'string' && message !== '') entry.message = message;
    const reasons = Object.entries(denials).filter(([, to]) => to === id);
    const defaults = new Set(reasons.map(([r]) => DEFAULT_STATUS[r as DenialReason]));
    if (defaults.size !== 1 || !defaults.has(e.status)) entry.status = e.status;
    const rendered = render(template, {
      code: typeof code === 'string' ? code : id,
      message: typeof message === 'string' ? message : '',
      status: e.status,
      statusText: STATUS_CODES[e.status] ?? '',
    });
    const unsaid = messageAt !== undefined && entry.message === undefined;
    if (typeof code !== 'string' || unsaid || !isDeepStrictEqual(rendered, e.body))
      entry.body = e.body;
    if (e.headers) entry.headers = e.headers;
    lean[id] = entry;
  }
  return { errorShape: { schema: first.schema, codeAt, body: template }, errors: lean };
}

/** The pointer of the first string field named as one of `names`, at the top or one level down. */
function pointerTo(body: unknown, names: string[]): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  for (const name of names) if (typeof (body as Obj)[name] === 'string') return `/${name}`;
  for (const [key, inner] of Object.entries(body as Obj)) {
    const deeper = pointerTo(inner, names);
    if (deeper !== undefined && deeper.split('/').length === 2) return `/${key}${deeper}`;
  }
  return undefined;
}

function getAt(body: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((n, k) => (n as Obj | undefined)?.[k], body);
}

function setAt(body: Obj, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1);
  const parent = keys.slice(0, -1).reduce<Obj>((n, k) => n[k] as Obj, body);
  parent[keys[keys.length - 1]!] = value;
}

/** The template as derive-errors fills it: a whole-value ${status} is a number. */
function render(template: unknown, values: Record<string, string | number>): unknown {
  if (typeof template === 'string') {
    const whole = /^\$\{(\w+)\}$/.exec(template)?.[1];
    if (whole !== undefined && values[whole] !== undefined) return values[whole];
    return template.replace(/\$\{(\w+)\}/g, (m, k: string) => String(values[k] ?? m));
  }
  if (Array.isArray(template)) return template.map((t) => render(t, values));
  if (template !== null && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, render(v, values)]));
  return template;
}
