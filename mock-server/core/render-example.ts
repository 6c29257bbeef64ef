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

export function renderExample(example: unknown, scope: TemplateScope): unknown {
  if (typeof example === 'string') {
    const whole = ONE.exec(example);
    if (whole) return resolve(whole[1]!, scope);
    return example.replace(ANY, (_, expr: string) => {
      const v = resolve(expr, scope);
      return v === null || v === undefined
        ? ''
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
    });
  }
  if (Array.isArray(example)) return example.map((item) => renderExample(item, scope));
  if (example !== null && typeof example === 'object') {
    return Object.fromEntries(
      Object.entries(example).map(([k, v]) => [k, renderExample(v, scope)]),
    );
  }
  return example;
}

function resolve(expr: string, scope: TemplateScope): unknown {
  const [path, ...filters] = expr.split('|').map((s) => s.trim());
  let value: unknown = path === 'uuid' ? randomUUID() : lookup(scope, path!);
  for (const f of filters) {
    const [name, arg = ''] = f.split(/:(.*)/s);
    if (name === 'default' && (value === undefined || value === null)) value = literal(arg);
    else if (name === 'max' && typeof value === 'number') value = Math.min(value, Number(arg));
    else if (name === 'minutesFromNow' && typeof value === 'number')
      value = new Date(Number(scope.nowMs) + value * 60_000).toISOString();
  }
  return value === undefined ? null : value;
}

function lookup(scope: TemplateScope, path: string): unknown {
  let cur: unknown = scope;
  for (const seg of path.split('.')) {
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
