/**
 * OpenAPI security schemes (3.x `components.securitySchemes`, 2.0 `securityDefinitions`) as
 * profile credentials, key formats, tokens and the scope vocabulary. What a scheme cannot tell
 * (a key's prefix, a token's algorithms and lifetime) is a placeholder with a TODO question.
 */
import { defName } from './body-schemas.ts';
import type { PathSegment } from '../spec/yaml-source.ts';

export interface Todo {
  path: PathSegment[];
  question: string;
}

type Obj = Record<string, unknown>;

export interface SecurityPlan {
  credentials: Record<string, Obj>;
  keyFormats: Record<string, Obj>;
  tokens: Record<string, Obj>;
  scopes: string[];
  /** Scheme name -> credential id, for the schemes a profile can say. */
  credentialOf: Map<string, string>;
  /** Scheme name -> why it cannot be tested yet. */
  untestable: Map<string, string>;
  /** OAuth 2.0 client-credentials token endpoints: token id -> the token URL's path. */
  tokenEndpoints: Map<string, string>;
  todos: Todo[];
}

export function planSecurity(
  schemes: Record<string, Obj>,
  deref: (o: unknown) => Obj,
): SecurityPlan {
  const plan: SecurityPlan = {
    credentials: {},
    keyFormats: {},
    tokens: {},
    scopes: [],
    credentialOf: new Map(),
    untestable: new Map(),
    tokenEndpoints: new Map(),
    todos: [],
  };
  for (const [name, raw] of Object.entries(schemes)) {
    const s = deref(raw);
    const id = /^[A-Za-z]/.test(defName(name)) ? defName(name) : `c${defName(name)}`;
    const type = String(s.type);
    const scheme = String(s.scheme ?? '').toLowerCase();
    if (type === 'apiKey' && (s.in === 'header' || s.in === 'query' || s.in === 'cookie')) {
      plan.credentials[id] = { kind: 'api_key', in: s.in, name: s.name, formats: [KEY_FORMAT] };
      const place = s.in === 'header' ? 'header' : s.in === 'query' ? 'query parameter' : 'cookie';
      addKeyFormat(plan, id, `the ${String(s.name)} ${place}`);
    } else if (type === 'apiKey') {
      plan.untestable.set(
        name,
        `an API key in the ${String(s.in)} (${String(s.name)}) cannot be tested: OpenAPI places an apiKey in a header, a query parameter or a cookie`,
      );
      continue;
    } else if (type === 'basic' || (type === 'http' && scheme === 'basic')) {
      plan.credentials[id] = { kind: 'basic', in: 'authorization', formats: [KEY_FORMAT] };
      addKeyFormat(plan, id, 'the HTTP Basic password (the user id is the key id)');
    } else if (
      type === 'http' &&
      scheme === 'bearer' &&
      /^jwt$/i.test(String(s.bearerFormat ?? ''))
    ) {
      plan.credentials[id] = { kind: 'jwt', in: 'bearer', token: TOKEN };
      addToken(plan, false);
    } else if (type === 'http' && scheme === 'bearer') {
      plan.credentials[id] = { kind: 'api_key', in: 'bearer', formats: [KEY_FORMAT] };
      addKeyFormat(plan, id, 'the bearer token');
      plan.todos.push({
        path: ['credentials', id],
        question: `${name} is a bearer token${s.bearerFormat ? ` (bearerFormat: ${String(s.bearerFormat)})` : ''}: an opaque key as written here, or a JWT (then kind: jwt with a token under tokens)?`,
      });
    } else if (type === 'oauth2' || type === 'openIdConnect') {
      plan.credentials[id] = { kind: 'jwt', in: 'bearer', token: TOKEN };
      const scopes = type === 'oauth2' ? oauthScopes(s) : [];
      plan.scopes.push(...scopes.filter((x) => !plan.scopes.includes(x)));
      addToken(plan, true);
      const tokenUrl = clientCredentialsTokenUrl(s);
      if (tokenUrl !== undefined && plan.tokenEndpoints.size === 0)
        plan.tokenEndpoints.set(TOKEN, tokenUrl);
      if (type === 'openIdConnect')
        plan.todos.push({
          path: ['tokens', TOKEN],
          question: `${name} is OpenID Connect (${String(s.openIdConnectUrl)}): set issuer to its issuer and jwks to its jwks_uri, and the claims your server checks`,
        });
      else
        plan.todos.push({
          path: ['tokens', TOKEN],
          question: `${name} is OAuth 2.0: is its access token a JWT your API verifies (as written), with the scopes in a space-separated scope claim?`,
        });
    } else if (type === 'mutualTLS') {
      plan.untestable.set(name, 'mutual TLS (a client certificate) cannot be tested yet');
      continue;
    } else {
      plan.untestable.set(
        name,
        `a ${type} scheme${scheme ? ` (${scheme})` : ''} cannot be tested yet`,
      );
      continue;
    }
    plan.credentialOf.set(name, id);
  }
  return plan;
}

/**
 * One key format for every key-carrying scheme: an API issues one kind of key far more often than
 * several (Stripe's secret key goes over Basic and Bearer alike), and the harness's valid key must
 * fit each credential a route accepts. The TODO asks whether there are more.
 */
const KEY_FORMAT = 'key';

function addKeyFormat(plan: SecurityPlan, id: string, where: string): void {
  const todo = plan.todos.find((t) => t.path[1] === KEY_FORMAT && t.path[0] === 'keyFormats');
  if (todo) {
    todo.question = todo.question.replace(' look like?', ` and ${where} look like?`);
    return;
  }
  const prefix = `${id.toLowerCase().replace(/[^a-z0-9]/g, '')}_`;
  plan.keyFormats[KEY_FORMAT] = { prefix, pattern: `${prefix}[A-Za-z0-9]{32}`, type: 'secret' };
  plan.todos.push({
    path: ['keyFormats', KEY_FORMAT],
    question: `what does a key in ${where} look like? Give its literal prefix and a pattern every key matches (the harness draws malformed keys from them); these are placeholders. Keys of other shapes or types: a format each`,
  });
}

/**
 * One token for every bearer-JWT scheme (http bearer JWT, OAuth 2.0, OpenID Connect): on the wire
 * they are one `Authorization: Bearer` header, and a server verifies the tokens of one issuer
 * far more often than several. Scoped as soon as one scheme has scopes.
 */
const TOKEN = 'access';

function addToken(plan: SecurityPlan, scoped: boolean): void {
  const known = plan.tokens[TOKEN];
  if (known === undefined)
    plan.todos.push({
      path: ['tokens', TOKEN, 'algorithms'],
      question:
        'which signing algorithms, lifetime and leeway does your API accept? HS256, 3600 s and 30 s are placeholders; add issuer and audience if it checks them. Tokens of another issuer: a token each',
    });
  // Scopes in a space-separated `scope` claim: scopeFormat's default (string) need not be said.
  const claims = known?.claims as Obj | undefined;
  plan.tokens[TOKEN] = {
    kind: 'jwt',
    algorithms: ['HS256'],
    lifetimeSeconds: 3600,
    leewaySeconds: 30,
    claims: scoped || claims?.scope ? { sub: 'user', scope: 'scopes' } : { sub: 'user' },
  };
}

function oauthScopes(s: Obj): string[] {
  const flows = (s.flows ?? { [String(s.flow)]: s }) as Record<string, Obj>;
  return [...new Set(Object.values(flows).flatMap((f) => Object.keys((f?.scopes ?? {}) as Obj)))];
}

/** The token URL of a client-credentials flow (3.x `flows.clientCredentials`, 2.0 `flow: application`). */
function clientCredentialsTokenUrl(s: Obj): string | undefined {
  const flows = s.flows as Record<string, Obj> | undefined;
  const url =
    flows?.clientCredentials?.tokenUrl ?? (s.flow === 'application' ? s.tokenUrl : undefined);
  return typeof url === 'string' ? url : undefined;
}
