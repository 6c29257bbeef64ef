/**
 * Fills a route's success example with what this request is about. Placeholders:
 *   ${tenant} ${merchant} ${store} ${organization} ${user}   the caller's bindings
 *   ${params.NAME} ${body.FIELD.SUB} ${record.FIELD}          path, request body, the record reached
 *   ${key.id|value|masked|status|name|description|createdAt|revokedAt|scopes}
 *   ${token} ${refreshToken} ${expiresAt} ${expiresIn} ${now} ${uuid}
 * Filters: `|default:VALUE` when missing, `|max:N` caps a number, `|minutesFromNow` turns a
 * number of minutes into the ISO time that far after now. A string that is exactly one
 * placeholder takes the value's own type (number, array, null); inside text it is stringified.
 * In a list route's example, the one item of the array at the lifecycle's listAt is the
 * template for every key.
 */
import { randomUUID } from 'node:crypto';

export type TemplateScope = Record<string, unknown>;

const ONE = /^\$\{([^}]+)\}$/;
const ANY = /\$\{([^}]+)\}/g;

/** A placeholder's expression, parsed: the path looked up and the filters applied in order. */
interface Expression {
  path: string;
  segments: string[];
  filters: { name: string; arg: string }[];
}

/** A string of an example, parsed: exactly one placeholder, text with some, or plain text. */
type Template =
  | { kind: 'one'; expr: Expression }
  | { kind: 'text'; pieces: (string | Expression)[] }
  | { kind: 'plain' };

/**
 * Parsed once per distinct string: the strings come from the profiles' examples, a few hundred
 * each, and every success answer renders its route's example. Bounded all the same, for a
 * process that builds mocks of many profiles over its life (a test run, a library user): emptied
 * when full, as parsing again only costs time.
 */
const templates = new Map<string, Template>();
const TEMPLATES_MAX = 4096;

function templateOf(text: string): Template {
  let t = templates.get(text);
  if (t === undefined) {
    t = parseTemplate(text);
    if (templates.size >= TEMPLATES_MAX) templates.clear();
    templates.set(text, t);
  }
  return t;
}

function parseTemplate(text: string): Template {
  const whole = ONE.exec(text);
  if (whole) return { kind: 'one', expr: parseExpression(whole[1]!) };
  const pieces: (string | Expression)[] = [];
  let at = 0;
  for (const m of text.matchAll(ANY)) {
    pieces.push(text.slice(at, m.index), parseExpression(m[1]!));
    at = m.index + m[0].length;
  }
  if (pieces.length === 0) return { kind: 'plain' };
  pieces.push(text.slice(at));
  return { kind: 'text', pieces };
}

function parseExpression(expr: string): Expression {
  const [path, ...filters] = expr.split('|').map((s) => s.trim());
  return {
    path: path!,
    segments: path!.split('.'),
    filters: filters.map((f) => {
      const [name, arg = ''] = f.split(/:(.*)/s);
      return { name: name!, arg };
    }),
  };
}

/**
 * The names an example's placeholders start from (`merchant`, `params`, `now`...): what a
 * renderer's scope must hold for it. Read once per route, so a success answer computes only
 * what its example shows.
 */
export function scopeNamesOf(example: unknown, into = new Set<string>()): Set<string> {
  if (typeof example === 'string') {
    const t = templateOf(example);
    if (t.kind === 'one') into.add(t.expr.segments[0]!);
    else if (t.kind === 'text')
      for (const piece of t.pieces) if (typeof piece !== 'string') into.add(piece.segments[0]!);
  } else if (Array.isArray(example)) {
    for (const item of example) scopeNamesOf(item, into);
  } else if (example !== null && typeof example === 'object') {
    for (const k of Object.keys(example))
      scopeNamesOf((example as Record<string, unknown>)[k], into);
  }
  return into;
}

export function renderExample(example: unknown, scope: TemplateScope): unknown {
  if (typeof example === 'string') {
    const t = templateOf(example);
    if (t.kind === 'one') return resolve(t.expr, scope);
    if (t.kind === 'plain') return example;
    let out = '';
    for (const piece of t.pieces) {
      if (typeof piece === 'string') {
        out += piece;
        continue;
      }
      const v = resolve(piece, scope);
      out +=
        v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return out;
  }
  if (Array.isArray(example)) return example.map((item) => renderExample(item, scope));
  if (example !== null && typeof example === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(example)) {
      const v = renderExample((example as Record<string, unknown>)[k], scope);
      // An own property whatever the key, as Object.fromEntries would write it.
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, ...OWN });
      else out[k] = v;
    }
    return out;
  }
  return example;
}

const OWN = { enumerable: true, writable: true, configurable: true } as const;

function resolve(expr: Expression, scope: TemplateScope): unknown {
  let value: unknown = expr.path === 'uuid' ? randomUUID() : lookup(scope, expr.segments);
  for (const { name, arg } of expr.filters) {
    if (name === 'default' && (value === undefined || value === null)) value = literal(arg);
    else if (name === 'max' && typeof value === 'number') value = Math.min(value, Number(arg));
    else if (name === 'minutesFromNow' && typeof value === 'number')
      value = new Date(Number(scope.nowMs) + value * 60_000).toISOString();
  }
  return value === undefined ? null : value;
}

function lookup(scope: TemplateScope, segments: string[]): unknown {
  let cur: unknown = scope;
  for (const seg of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function literal(text: string): unknown {
  if (text === 'null') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  if (text !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text;
}
