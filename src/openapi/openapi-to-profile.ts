/**
 * `authconform init --from`: an OpenAPI document as a profile. Each operation is a route (method,
 * path, the credentials its `security` accepts, its scope), its 2xx answer the success schema and
 * example, the 400/401/403/404/429 answers the error bodies. What OpenAPI cannot say is a TODO
 * question (src/openapi/security-schemes.ts); the caller writes them as comments.
 */
import { isDeepStrictEqual } from 'node:util';
import { BodySchemas, defName } from './body-schemas.ts';
import type { OpenApiDocument } from './read-openapi.ts';
import { planSecurity, type Todo } from './security-schemes.ts';
import { leanErrors, type FullError } from './error-shape.ts';
import { SpecError } from '../spec/spec-error.ts';
import { jsonPointer } from '../model/json-pointer.ts';

type Obj = Record<string, unknown>;

export interface GeneratedProfile {
  profile: Obj;
  todos: Todo[];
  /** The body-schema file: its name under schemas/ and its content. */
  schemaFile: string;
  schemas: Obj;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
/** The error each status answers, by the id it gets in `errors`. */
const ERROR_IDS: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  429: 'tooManyRequests',
};

export function openApiToProfile(api: OpenApiDocument, idOverride?: string): GeneratedProfile {
  const { doc, version } = api;
  const deref = (o: unknown): Obj => {
    let node = o as Obj;
    for (let i = 0; i < 20 && typeof node?.$ref === 'string' && node.$ref.startsWith('#/'); i++)
      node = jsonPointer(doc, node.$ref.slice(1)) as Obj;
    return node ?? {};
  };
  const info = (doc.info ?? {}) as Obj;
  const title = String(info.title ?? 'api');
  const id = idOverride ?? (slug(title) || 'api');
  const schemaFile = `${id}.json`;
  const ref = (name: string) => `${schemaFile}#/$defs/${name}`;
  const bodies = new BodySchemas(doc, version);
  const schemes = (
    version === '2.0'
      ? doc.securityDefinitions
      : (doc.components as Obj | undefined)?.securitySchemes
  ) as Record<string, Obj> | undefined;
  const security = planSecurity(schemes ?? {}, deref);
  const todos: Todo[] = [...security.todos];

  const routes: Obj[] = [];
  const taken = new Set<string>();
  const base = basePathOf(doc, version);
  const errorAnswers = new Map<number, Obj>();
  let anyParams = false;
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Obj)) {
    const item = deref(rawItem);
    for (const method of METHODS) {
      const op = item[method] as Obj | undefined;
      if (!op) continue;
      const routeId = uniqueId(String(op.operationId ?? `${method} ${path}`), taken);
      const requirements = (op.security ?? doc.security ?? []) as Record<string, string[]>[];
      const auth = authOf(requirements, security.credentialOf);
      const index = routes.length;
      if (auth === undefined) {
        const names = requirements.flatMap((r) => Object.keys(r));
        todos.push({
          path: ['routes'],
          question: `${method.toUpperCase()} ${path} is left out: ${names.map((n) => security.untestable.get(n) ?? `${n} is not a declared scheme`).join('; ')}`,
        });
        continue;
      }
      const route: Obj = { id: routeId, method: method.toUpperCase(), path: base + path };
      if (typeof op.summary === 'string') route.summary = op.summary;
      route.auth = auth;
      const optional = requirements.filter((r) => Object.keys(r).length > 0);
      if (auth === 'public' && optional.length > 0)
        todos.push({
          path: ['routes', index, 'auth'],
          question: `the document lets ${method.toUpperCase()} ${path} be called with no credential or with ${optional.map((r) => Object.keys(r).join(' + ')).join(' or ')}: written as public, so the harness sends none; if a wrong or revoked credential must be refused here, list the credentials instead`,
        });
      const scopes =
        requirements.map((r) => Object.values(r).flat()).find((s) => s.length > 0) ?? [];
      if (scopes.length > 0) {
        route.scope = scopes[0];
        for (const s of scopes) if (!security.scopes.includes(s)) security.scopes.push(s);
        if (scopes.length > 1)
          todos.push({
            path: ['routes', index, 'scope'],
            question: `the document requires ${scopes.join(', ')} together; a route names the one scope it needs: which one?`,
          });
      }
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      if (params.length > 0) {
        anyParams = true;
        route.params = Object.fromEntries(params.map((p) => [p, defName(p)]));
      }
      const responses = (op.responses ?? {}) as Obj;
      const body = requestBodyOf(op, item, version, deref, bodies, routeId);
      if (body === 'form')
        todos.push({
          path: ['routes', index],
          question:
            'its request body is not JSON; the harness sends a JSON requestBody: write one your server accepts, or leave the route out',
        });
      else if (body !== undefined) route.requestBody = body;
      route.success = successOf(responses, version, deref, bodies, routeId, ref);
      for (const [code, answer] of Object.entries(responses)) {
        const status = code === 'default' ? 0 : Number(code);
        if ((status === 0 || ERROR_IDS[status]) && !errorAnswers.has(status))
          errorAnswers.set(status, deref(answer));
      }
      routes.push(route);
    }
  }

  const usesScopes = security.scopes.length > 0;
  const needed = [
    400,
    401,
    ...(usesScopes ? [403] : []),
    ...(anyParams ? [404] : []),
    ...(errorAnswers.has(429) ? [429] : []),
  ];
  const errors: Obj = {};
  for (const status of needed) {
    const errorId = ERROR_IDS[status]!;
    const answer = errorAnswers.get(status) ?? errorAnswers.get(0);
    const content = answer && jsonContent(answer, version);
    if (content?.schema) {
      const name = bodies.add(content.schema, `${errorId}Error`);
      errors[errorId] = { status, schema: ref(name), body: content.example ?? bodies.sample(name) };
      if (content.example === undefined)
        todos.push({
          path: ['errors', errorId, 'body'],
          question: `the document gives no example of its ${status} body; this one is drawn from the schema: write it as your API answers`,
        });
    } else {
      bodies.defs.error ??= {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' } },
      };
      errors[errorId] = { status, schema: ref('error'), body: { error: errorId } };
      todos.push({
        path: ['errors', errorId],
        question: `the document gives no ${status} body: what does your API answer? (schema and body are placeholders)`,
      });
    }
    if (status === 429 && answer && headerNames(answer).includes('retry-after'))
      (errors[errorId] as Obj).headers = {
        'Retry-After': 'seconds until a request is accepted again',
      };
  }

  // Each error states its status, so every denial takes its default (src/spec/default-denials.ts):
  // credentials and tokens 401 unauthorized, scopes 403 forbidden, a record 404 notFound, a
  // malformed request 400 badRequest. Only what differs is mapped (a token endpoint's client).
  const denials: Obj = {};
  todos.push({
    path: ['denials'],
    question:
      'can a key be revoked, or does one expire? Map revoked_credential / expired_credential to the error your API answers, so those scenarios run',
  });
  // OpenAPI cannot state a rate limit: ask whether the document names a 429 or not.
  todos.push(
    errorAnswers.has(429)
      ? {
          path: ['errors', 'tooManyRequests'],
          question:
            'your API answers 429: add rateLimits (per key: limit, windowSeconds) and give routes their rateClass (rate_limited is then answered with this error, of status 429)',
        }
      : {
          path: ['denials'],
          question:
            'does your API limit requests (so many per key per window, answering 429 with Retry-After)? The document names no 429: if it does, add rateLimits (per key: limit, windowSeconds), an error with status 429 (it answers rate_limited by default) and routes their rateClass',
        },
  );
  todos.push({
    path: ['credentials'],
    question:
      'is a key bound to a tenant, merchant, store or organization, and does a request name it (a header such as X-Tenant-Id, a path parameter)? Add bindings; does the API sign requests? Add signing',
  });

  nothingToTest(api, security, routes, todos);
  addTokenEndpoints(security, routes, errors, denials, todos, bodies, ref);
  const lean = leanErrors(errors as Record<string, FullError>, denials);
  const profile: Obj = {
    id,
    name: title,
    version: String(info.version ?? '0.0.0'),
    source: {
      title,
      version: String(info.version ?? '0.0.0'),
      ...(/^https?:/.test(api.file) ? { url: api.file } : {}),
    },
    description: `Generated by authconform init from ${api.file} (${version === '2.0' ? 'Swagger' : 'OpenAPI'} ${version}).`,
    credentials: security.credentials,
    ...(Object.keys(security.keyFormats).length > 0 ? { keyFormats: security.keyFormats } : {}),
    ...(usesScopes ? { scopes: { vocabulary: security.scopes } } : {}),
    ...(Object.keys(security.tokens).length > 0 ? { tokens: security.tokens } : {}),
    routes,
    ...(lean.errorShape ? { errorShape: lean.errorShape } : {}),
    errors: lean.errors,
    denials,
  };
  for (const [name, why] of security.untestable)
    todos.push({ path: ['credentials'], question: `${name}: ${why}` });
  const schemas = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://authconform.dev/schemas/openapi/${schemaFile}`,
    title: `${title}: bodies from its ${version === '2.0' ? 'Swagger' : 'OpenAPI'} document`,
    $defs: bodies.defs,
  };
  return { profile, todos, schemaFile, schemas };
}

/**
 * The path every operation's path is below: Swagger 2.0's `basePath`, OpenAPI 3's first server URL
 * (its variables at their defaults), so that the routes and a token endpoint given as a full URL
 * are paths on one origin, the `--target`.
 */
function basePathOf(doc: Obj, version: OpenApiDocument['version']): string {
  let url: string | undefined;
  if (version === '2.0') url = typeof doc.basePath === 'string' ? doc.basePath : undefined;
  else {
    const server = ((doc.servers ?? []) as Obj[])[0];
    const vars = (server?.variables ?? {}) as Record<string, Obj>;
    url =
      typeof server?.url === 'string'
        ? server.url.replace(/\{([^}]+)\}/g, (all, name: string) =>
            String(vars[name]?.default ?? all),
          )
        : undefined;
  }
  if (url === undefined) return '';
  let path: string;
  try {
    path = new URL(url, 'http://host.invalid').pathname;
  } catch {
    return '';
  }
  return path.replace(/\/+$/, '');
}

/** A document with no scheme or no operation the harness can test is refused, saying which. */
function nothingToTest(
  api: OpenApiDocument,
  security: ReturnType<typeof planSecurity>,
  routes: Obj[],
  todos: Todo[],
): void {
  const { doc, version, source } = api;
  const untestable = [...security.untestable].map(([n, why]) => `${n}: ${why}`);
  const why = untestable.length > 0 ? ` (${untestable.join('; ')})` : '';
  const schemesAt = version === '2.0' ? ['securityDefinitions'] : ['components', 'securitySchemes'];
  if (Object.keys(security.credentials).length === 0)
    throw new SpecError([
      source.problem(
        (version === '2.0'
          ? doc.securityDefinitions
          : (doc.components as Obj | undefined)?.securitySchemes) === undefined
          ? []
          : schemesAt,
        `no security scheme the harness can test${why}: a profile tests how an API refuses credentials, so declare the API's schemes (${schemesAt.join('.')}) and the operations' security`,
      ),
    ]);
  if (routes.length === 0) {
    const left = todos.filter((t) => / is left out: /.test(t.question)).map((t) => t.question);
    throw new SpecError([
      source.problem(
        doc.paths === undefined ? [] : ['paths'],
        `no operation the harness can call${left.length > 0 ? ` (${left.join('; ')})` : ' (paths is empty)'}`,
      ),
    ]);
  }
}

/** A client-credentials flow: the token endpoint becomes a public route the harness obtains tokens from. */
function addTokenEndpoints(
  security: ReturnType<typeof planSecurity>,
  routes: Obj[],
  errors: Obj,
  denials: Obj,
  todos: Todo[],
  bodies: BodySchemas,
  ref: (n: string) => string,
): void {
  for (const [tokenId, url] of security.tokenEndpoints) {
    const routeId = `${tokenId}TokenEndpoint`;
    bodies.defs.tokenAnswer ??= {
      type: 'object',
      required: ['access_token', 'token_type'],
      properties: {
        access_token: { type: 'string', minLength: 1 },
        token_type: { type: 'string' },
        expires_in: { type: 'integer' },
      },
    };
    todos.push({
      path: ['routes', routes.length],
      question: `tokens come from ${url} (client credentials); the harness asks the target at this path: is that where your server issues them?`,
    });
    routes.push({
      id: routeId,
      method: 'POST',
      path: new URL(url, 'http://host.invalid').pathname,
      auth: 'public',
      success: {
        status: 200,
        schema: ref('tokenAnswer'),
        example: { access_token: '${token}', token_type: 'Bearer', expires_in: 3600 },
      },
    });
    (security.tokens[tokenId] as Obj).issue = { grant: 'client_credentials', route: routeId };
    bodies.defs.oauthError ??= {
      type: 'object',
      required: ['error'],
      properties: { error: { type: 'string' }, error_description: { type: 'string' } },
    };
    errors.invalidClient = {
      status: 401,
      schema: ref('oauthError'),
      body: { error: 'invalid_client' },
    };
    denials.invalid_login = 'invalidClient';
  }
}

/** `security` alternatives as a route's `auth`: `{}` is public; several schemes in one are all needed. */
function authOf(
  requirements: Record<string, string[]>[],
  credentialOf: Map<string, string>,
): unknown {
  if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0))
    return 'public';
  const alternatives = requirements
    .map((r) => Object.keys(r).map((name) => credentialOf.get(name)))
    .filter((ids): ids is string[] => ids.every((x) => x !== undefined))
    .map((ids) => (ids.length === 1 ? ids[0] : ids));
  return alternatives.length === 0 ? undefined : alternatives;
}

function requestBodyOf(
  op: Obj,
  item: Obj,
  version: string,
  deref: (o: unknown) => Obj,
  bodies: BodySchemas,
  routeId: string,
): unknown {
  if (version === '2.0') {
    const params = [
      ...((item.parameters ?? []) as unknown[]),
      ...((op.parameters ?? []) as unknown[]),
    ].map(deref);
    const body = params.find((p) => p.in === 'body');
    if (params.some((p) => p.in === 'formData')) return 'form';
    return body?.schema ? bodies.sample(bodies.add(body.schema, `${routeId}Request`)) : undefined;
  }
  if (!op.requestBody) return undefined;
  const content = jsonContent(deref(op.requestBody), version);
  if (!content) return 'form';
  return (
    content.example ??
    (content.schema ? bodies.sample(bodies.add(content.schema, `${routeId}Request`)) : undefined)
  );
}

function successOf(
  responses: Obj,
  version: string,
  deref: (o: unknown) => Obj,
  bodies: BodySchemas,
  routeId: string,
  ref: (n: string) => string,
): Obj {
  const code = Object.keys(responses).find((c) => /^2\d\d$/.test(c)) ?? '200';
  const status = Number(code);
  const content = responses[code] ? jsonContent(deref(responses[code]), version) : undefined;
  if (status === 204) return { status };
  if (!content?.schema) {
    bodies.defs.anyBody ??= {};
    return { status, schema: ref('anyBody') };
  }
  const name = bodies.add(content.schema, `${routeId}Response`);
  const example = content.example ?? bodies.sample(name);
  // The mock answers `{}` where a route gives no example: that one need not be written.
  return isDeepStrictEqual(example, {})
    ? { status, schema: ref(name) }
    : { status, schema: ref(name), example };
}

/** The JSON body of a response or request body: its schema and its first example. */
function jsonContent(
  answer: Obj,
  version: string,
): { schema?: unknown; example?: unknown } | undefined {
  if (version === '2.0') {
    const examples = answer.examples as Obj | undefined;
    return answer.schema
      ? { schema: answer.schema, example: examples?.['application/json'] }
      : undefined;
  }
  const content = (answer.content ?? {}) as Record<string, Obj>;
  const type = Object.keys(content).find((t) => /^application\/([\w.-]+\+)?json/.test(t));
  if (type === undefined) return undefined;
  const media = content[type]!;
  const first = Object.values((media.examples ?? {}) as Record<string, Obj>)[0];
  return { schema: media.schema, example: media.example ?? first?.value };
}

function headerNames(answer: Obj): string[] {
  return Object.keys((answer.headers ?? {}) as Obj).map((h) => h.toLowerCase());
}

function uniqueId(raw: string, taken: Set<string>): string {
  const words = raw.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let base =
    words
      .map((w, i) =>
        i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1),
      )
      .join('') || 'route';
  if (!/^[A-Za-z]/.test(base)) base = `r${base}`;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}${i}`;
  taken.add(id);
  return id;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 40);
}
