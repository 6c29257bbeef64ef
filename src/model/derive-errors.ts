/**
 * A profile's errors, derived once (resolveReferences): each error's status, body, headers and
 * body schema, from what it states and what the profile's `errorShape` says all errors share.
 *
 * - body: its own `body`, else errorShape's template with ${code} (default: the error's id),
 *   ${message}, ${status} and ${statusText} filled in;
 * - schema: its own `schema` as written (nothing pinned), else errorShape's schema with the
 *   value the body has at `codeAt` pinned, and every field the template fills from the status;
 * - status: its own, else the default of the denials that answer with it (DEFAULT_STATUS), which
 *   must agree;
 * - headers: its own, and Retry-After (described) on an error that answers rate_limited.
 *
 * A resolved error (it has `pinned`) is kept as it is: resolving a resolved profile again (a
 * test's copy with one error's body changed) does not derive it anew from the changed copy.
 */
import { STATUS_CODES } from 'node:http';
import type { DenialReason, ErrorSpec, Profile } from './profile.ts';
import { jsonPointer } from './json-pointer.ts';

/** An error with everything filled in: what the mock answers and the harness expects. */
export interface ResolvedError extends ErrorSpec {
  id: string;
  status: number;
  body: unknown;
  /** The schema as written, or errorShape's. */
  schema: string;
  /** Values the body must have, by JSON Pointer (the code; the status where the template has it). */
  pinned: Record<string, unknown>;
}

/** The status most APIs give each denial; a profile states an error's status only to differ. */
export const DEFAULT_STATUS: Record<DenialReason, number> = {
  missing_credential: 401,
  malformed_credential: 401,
  unknown_credential: 401,
  revoked_credential: 401,
  expired_credential: 401,
  token_invalid: 401,
  token_expired: 401,
  signature_missing: 401,
  signature_invalid: 401,
  signature_version: 401,
  timestamp_skew: 401,
  nonce_invalid: 401,
  nonce_replay: 401,
  invalid_login: 401,
  wrong_key_type: 403,
  missing_binding: 403,
  binding_mismatch: 403,
  insufficient_scope: 403,
  wrong_environment: 404,
  not_found: 404,
  record_used_up: 404,
  malformed_request: 400,
  rate_limited: 429,
};

const RETRY_AFTER = 'seconds until the rate window admits the next request';

/** What keeps an error from being derived, at its path under the profile. */
export interface ErrorProblem {
  at: (string | number)[];
  message: string;
}

/** Every error of the profile derived, and what kept any from being derived. */
export function deriveErrors(profile: Profile): {
  errors: Record<string, ResolvedError>;
  problems: ErrorProblem[];
} {
  const answers = reasonsByError(profile);
  const errors: Record<string, ResolvedError> = {};
  const problems: ErrorProblem[] = unknownPlaceholders(profile.errorShape?.body, [
    'errorShape',
    'body',
  ]);
  for (const [id, spec] of Object.entries(profile.errors)) {
    const derived = deriveError(profile, id, spec, answers.get(id) ?? []);
    if ('problem' in derived) problems.push(derived.problem);
    else errors[id] = derived.error;
  }
  return { errors, problems };
}

function deriveError(
  profile: Profile,
  id: string,
  spec: ErrorSpec,
  reasons: DenialReason[],
): { error: ResolvedError } | { problem: ErrorProblem } {
  if ('pinned' in spec) return { error: { ...(spec as ResolvedError) } };
  const problem = (message: string, ...at: (string | number)[]) => ({
    problem: { at: ['errors', id, ...at], message },
  });
  const defaults = [...new Set(reasons.map((r) => DEFAULT_STATUS[r]))];
  const status = spec.status ?? (defaults.length === 1 ? defaults[0]! : undefined);
  if (status === undefined)
    return problem(
      reasons.length === 0
        ? 'no denial answers with this error, so it has no default status; give it a status'
        : `the denials that answer with it (${reasons.join(', ')}) default to different statuses (${defaults.join(', ')}); give it a status`,
    );
  const shape = profile.errorShape;
  const template = shape?.body;
  if (spec.body === undefined && template === undefined)
    return problem(
      shape
        ? 'no body: give it one, or give errorShape a body template'
        : 'no body: give it one (or give the profile an errorShape with a body template)',
    );
  if (spec.body === undefined && spec.message === undefined && mentions(template, 'message'))
    return problem('no message for the errorShape template (${message}): give it a message');
  const fill = {
    code: spec.code ?? id,
    message: spec.message ?? '',
    status,
    statusText: STATUS_CODES[status] ?? '',
  };
  const body = spec.body !== undefined ? spec.body : fillTemplate(template, fill);
  const headers = {
    ...(reasons.includes('rate_limited') ? { 'Retry-After': RETRY_AFTER } : {}),
    ...spec.headers,
  };
  const error: ResolvedError = { ...spec, id, status, body, schema: '', pinned: {} };
  if (Object.keys(headers).length > 0) error.headers = headers;
  if (spec.schema !== undefined) return { error: { ...error, schema: spec.schema } };
  if (!shape) return problem('no schema: give it one, or give the profile an errorShape');
  const code = jsonPointer(body, shape.codeAt);
  if (code === undefined)
    return problem(
      `its body has no code at errorShape.codeAt ${shape.codeAt}: give it a body with one there, or a schema of its own`,
      spec.body !== undefined ? 'body' : 'code',
    );
  const pinned: Record<string, unknown> = { [shape.codeAt]: code };
  if (spec.body === undefined)
    for (const at of statusFields(template, '')) pinned[at] = jsonPointer(body, at);
  return { error: { ...error, schema: shape.schema, pinned } };
}

/**
 * The error that answers `reason` where the profile maps none to it: the one error of the
 * reason's default status, an error's status being its own or the one the reasons mapped to it
 * give; where several have it, the one no denial names. `of`: the errors of that status; `free`:
 * the candidates among them. The loader fills these in (src/spec/default-denials.ts); a profile
 * built in code is answered with them too (error-for-denial.ts).
 */
export function defaultAnswer(
  profile: Profile,
  reason: DenialReason,
  mapped: Map<string, DenialReason[]> = reasonsByError(profile),
): { id?: string; of: string[]; free: string[] } {
  const status = DEFAULT_STATUS[reason];
  const statusOf = (id: string): number | undefined => {
    const defaults = new Set((mapped.get(id) ?? []).map((r) => DEFAULT_STATUS[r]));
    return profile.errors[id]!.status ?? (defaults.size === 1 ? [...defaults][0] : undefined);
  };
  const of = Object.keys(profile.errors).filter((id) => statusOf(id) === status);
  const free = of.length > 1 ? of.filter((id) => !mapped.has(id)) : of;
  return { ...(free.length === 1 ? { id: free[0]! } : {}), of, free };
}

/** The denial reasons that answer with each error id (any override of a denial counts). */
export function reasonsByError(profile: Profile): Map<string, DenialReason[]> {
  const out = new Map<string, DenialReason[]>();
  for (const [reason, denial] of Object.entries(profile.denials) as [DenialReason, unknown][]) {
    const ids = typeof denial === 'string' ? [denial] : Object.values(denial ?? {});
    for (const id of new Set(ids as string[])) out.set(id, [...(out.get(id) ?? []), reason]);
  }
  return out;
}

const PLACEHOLDER = /\$\{(code|message|status|statusText)\}/g;

/**
 * A `${name}` of the template that is none of the four: a typo (`${cod}`) would otherwise be
 * answered literally by the mock and expected literally of the server, in every error.
 */
function unknownPlaceholders(template: unknown, at: (string | number)[]): ErrorProblem[] {
  if (typeof template === 'string')
    return [...template.matchAll(/\$\{([^}]*)\}/g)]
      .filter((m) => !/^(code|message|status|statusText)$/.test(m[1]!))
      .map((m) => ({
        at,
        message: `errorShape.body has \${${m[1]}}: the template fills \${code}, \${message}, \${status} and \${statusText}`,
      }));
  if (template !== null && typeof template === 'object')
    return Object.entries(template).flatMap(([k, v]) =>
      unknownPlaceholders(v, [...at, Array.isArray(template) ? Number(k) : k]),
    );
  return [];
}

function fillTemplate(template: unknown, fill: Record<string, string | number>): unknown {
  if (typeof template === 'string') {
    const whole = /^\$\{(code|message|status|statusText)\}$/.exec(template);
    if (whole) return fill[whole[1]!];
    return template.replace(PLACEHOLDER, (_, name: string) => String(fill[name]));
  }
  if (Array.isArray(template)) return template.map((t) => fillTemplate(t, fill));
  if (template !== null && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillTemplate(v, fill)]));
  return template;
}

function mentions(template: unknown, name: string): boolean {
  return JSON.stringify(template ?? null).includes('${' + name + '}');
}

/** JSON Pointers of the template's fields filled from ${status} or ${statusText} alone. */
function statusFields(template: unknown, at: string): string[] {
  if (template === '${status}' || template === '${statusText}') return [at];
  if (template === null || typeof template !== 'object') return [];
  return Object.entries(template).flatMap(([k, v]) =>
    statusFields(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}
