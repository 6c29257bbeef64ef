/**
 * What the profile schema cannot check by itself: that every name a part of the profile uses
 * is defined elsewhere in it, that body-schema references resolve, and that the bodies and
 * patterns it gives are consistent. Each problem points at the YAML node that holds the name.
 */
import { anchored, patternProblem, type AnchoredPattern } from '../model/anchored-pattern.ts';
import { consumedResources } from '../model/record-routes.ts';
import { allowedNonceChars } from '../generate/arb-nonce.ts';
import { routeConsumes } from '../model/profile.ts';
import { DENIAL_REASONS, type HmacSigning, type Profile, type Route } from '../model/profile.ts';
import { scopeVocabulary } from '../model/scope-vocabulary.ts';
import type { SpecProblem } from './spec-error.ts';
import type { PathSegment, YamlSource } from './yaml-source.ts';
import { bodySchemaText, type BodySchema, type SchemaRegistry } from './schema-registry.ts';
import { deriveErrors } from '../model/derive-errors.ts';
import { ajvProblemText } from './body-problems.ts';
import { checkUnsupportedFields } from './check-unsupported-fields.ts';
import { signingPartsOf, type UnansweredDenial } from './default-denials.ts';

export function checkProfileReferences(
  profile: Profile,
  source: YamlSource,
  registry: SchemaRegistry,
  /** The reasons the profile must answer that neither its denials nor a default answer. */
  unanswered: readonly UnansweredDenial[],
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const at = (path: PathSegment[], message: string) => problems.push(source.problem(path, message));
  const list = (xs: Iterable<string>) => [...xs].join(', ') || '(none)';

  const credentialIds = new Set(Object.keys(profile.credentials));
  const tokenIds = new Set(Object.keys(profile.tokens ?? {}));
  const formatIds = new Set(Object.keys(profile.keyFormats ?? {}));
  const keyTypes = new Set(Object.values(profile.keyFormats ?? {}).map((f) => f.type));
  const signingIds = new Set(Object.keys(profile.signing ?? {}));
  const rateIds = new Set(Object.keys(profile.rateLimits ?? {}));
  const errorIds = new Set(Object.keys(profile.errors));
  const bindingKinds = new Set(Object.keys(profile.bindings ?? {}));
  const vocabulary = scopeVocabulary(profile.scopes);
  const sessionScopes = new Set(
    Object.values(profile.tokens ?? {}).flatMap((t) =>
      t.kind === 'session_token' ? t.scopes : [],
    ),
  );
  const routeIds = new Set<string>();

  const compiles = (pattern: string, path: PathSegment[]): AnchoredPattern | undefined => {
    const problem = patternProblem(pattern);
    if (problem === undefined) return anchored(pattern);
    at(path, problem);
    return undefined;
  };

  for (const [id, cred] of Object.entries(profile.credentials)) {
    if (cred.token !== undefined && !tokenIds.has(cred.token)) {
      at(
        ['credentials', id, 'token'],
        `unknown token "${cred.token}"; tokens defined: ${list(tokenIds)}`,
      );
    }
    if (cred.token !== undefined && tokenIds.has(cred.token)) {
      const tokenKind = profile.tokens?.[cred.token]?.kind;
      if (tokenKind !== cred.kind) {
        at(
          ['credentials', id, 'token'],
          `credential of kind ${cred.kind} names token "${cred.token}" of kind ${tokenKind}`,
        );
      }
    }
    cred.formats?.forEach((f, i) => {
      if (!formatIds.has(f))
        at(
          ['credentials', id, 'formats', i],
          `unknown key format "${f}"; keyFormats defined: ${list(formatIds)}`,
        );
    });
    if (cred.kind === 'api_key' && formatIds.size === 0) {
      at(
        ['credentials', id, 'kind'],
        'an api_key credential needs keyFormats to say what its keys look like',
      );
    }
    // Basic's password is a key's value: the format says what the mock's and the harness's are.
    if (cred.kind === 'basic' && formatIds.size === 0) {
      at(
        ['credentials', id, 'kind'],
        'a basic credential needs keyFormats to say what its secrets (the keys sent as the Basic password) look like',
      );
    }
  }

  for (const [id, fmt] of Object.entries(profile.keyFormats ?? {})) {
    const re = compiles(fmt.pattern, ['keyFormats', id, 'pattern']);
    if (re && fmt.example !== undefined && !re.test(fmt.example)) {
      at(
        ['keyFormats', id, 'example'],
        `example does not match the format's pattern /${fmt.pattern}/`,
      );
    }
    if (
      !fmt.pattern.startsWith('^' + escapeRegExp(fmt.prefix)) &&
      !fmt.pattern.startsWith(escapeRegExp(fmt.prefix))
    ) {
      at(
        ['keyFormats', id, 'pattern'],
        `pattern must start with the format's prefix "${fmt.prefix}"`,
      );
    }
  }

  for (const [kind, binding] of Object.entries(profile.bindings ?? {})) {
    if (binding.pattern !== undefined) compiles(binding.pattern, ['bindings', kind, 'pattern']);
  }

  for (const [alias, target] of Object.entries(profile.scopes?.aliases ?? {})) {
    if (!vocabulary.has(target) || profile.scopes?.aliases?.[target] !== undefined) {
      at(
        ['scopes', 'aliases', alias],
        `alias "${alias}" stands for "${target}", which is not a scope of the vocabulary`,
      );
    }
  }

  profile.routes.forEach((route, i) => {
    const here = (...rest: PathSegment[]) => ['routes', i, ...rest];
    if (routeIds.has(route.id)) at(here('id'), `duplicate route id "${route.id}"`);
    routeIds.add(route.id);
    checkRouteAuth(route, here, credentialIds, at, list);
    checkOneAuthorization(profile, route, here, at);
    const lifecycleRoute = Object.values(profile.lifecycle ?? {}).some(
      (op) => typeof op === 'object' && op !== null && 'route' in op && op.route === route.id,
    );
    if (routeConsumes(route) && !lifecycleRoute && consumedResources(profile, route).length === 0) {
      at(
        here(route.consumes !== undefined ? 'consumes' : 'method'),
        `route "${route.id}" uses up the record it names, so each request needs a fresh one: add \`creates: { resource, idAt }\` to the route that creates that record (or \`consumes: false\` if a repeated call succeeds)`,
      );
    }
    route.keyTypes?.forEach((t, j) => {
      if (!keyTypes.has(t))
        at(
          here('keyTypes', j),
          `unknown key type "${t}"; keyFormats give types: ${list(keyTypes)}`,
        );
    });
    if (
      route.scope !== undefined &&
      !vocabulary.has(route.scope) &&
      !sessionScopes.has(route.scope)
    ) {
      at(here('scope'), `unknown scope "${route.scope}"; the vocabulary has: ${list(vocabulary)}`);
    }
    route.bindings?.forEach((b, j) => {
      if (!bindingKinds.has(b))
        at(here('bindings', j), `binding "${b}" is not defined in the profile's bindings`);
    });
    if (route.signing !== undefined && !signingIds.has(route.signing)) {
      at(
        here('signing'),
        `unknown signing "${route.signing}"; signing defined: ${list(signingIds)}`,
      );
    }
    if (route.rateClass !== undefined && !rateIds.has(route.rateClass)) {
      at(
        here('rateClass'),
        `unknown rate class "${route.rateClass}"; rateLimits defined: ${list(rateIds)}`,
      );
    }
    const placeholders = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const p of placeholders) {
      if (!route.params || !(p in route.params))
        at(here('path'), `path parameter {${p}} has no entry in params`);
    }
    for (const p of Object.keys(route.params ?? {})) {
      if (!placeholders.includes(p))
        at(
          here('params', p),
          `params names "${p}", which is not a {parameter} of path ${route.path}`,
        );
    }
    if (route.success.schema !== undefined) {
      if (!registry.has(route.success.schema)) {
        at(
          here('success', 'schema'),
          `schema reference "${route.success.schema}" does not resolve under specs/schemas/`,
        );
      } else if (route.success.example !== undefined) {
        // The mock answers the example: one that breaks the schema fails every accepted twin.
        const problem = exampleProblem(registry, route.success.schema, route.success.example);
        if (problem)
          at(
            here('success', 'example', ...problem.at),
            `example does not match its schema ${route.success.schema}: ${problem.text}`,
          );
      }
    }
  });

  const shape = profile.errorShape;
  if (shape && !registry.has(shape.schema))
    at(
      ['errorShape', 'schema'],
      `schema reference "${shape.schema}" does not resolve under specs/schemas/`,
    );
  const derived = deriveErrors(profile);
  for (const p of derived.problems) at(p.at, p.message);
  for (const [id, err] of Object.entries(derived.errors)) {
    const own = profile.errors[id]!;
    const schemaAt = own.schema !== undefined ? ['errors', id, 'schema'] : ['errorShape', 'schema'];
    if (!registry.has(err.schema)) {
      if (own.schema !== undefined)
        at(schemaAt, `schema reference "${err.schema}" does not resolve under specs/schemas/`);
      continue;
    }
    const problem = exampleProblem(registry, err, err.body);
    if (problem)
      at(
        own.body !== undefined ? ['errors', id, 'body', ...problem.at] : ['errors', id],
        `body ${own.body !== undefined ? '' : `${JSON.stringify(err.body)} (errorShape.body filled in) `}does not match its schema ${bodySchemaText(err)}: ${problem.text}`,
      );
  }

  for (const reason of Object.keys(profile.denials)) {
    const denial = profile.denials[reason as (typeof DENIAL_REASONS)[number]];
    const entries: [PathSegment[], string][] =
      typeof denial === 'string'
        ? [[['denials', reason], denial]]
        : Object.entries(denial ?? {}).map(
            ([k, v]) => [['denials', reason, k], v] as [PathSegment[], string],
          );
    for (const [path, errorId] of entries) {
      if (!errorIds.has(errorId))
        at(path, `unknown error "${errorId}"; errors defined: ${list(errorIds)}`);
      const override = path[2];
      if (
        typeof override === 'string' &&
        override !== 'default' &&
        !credentialIds.has(override) &&
        !bindingKinds.has(override)
      ) {
        at(
          path,
          `"${override}" is neither a credential nor a binding of this profile; credentials: ${list(credentialIds)}; bindings: ${list(bindingKinds)}`,
        );
      }
    }
  }

  for (const [id, token] of Object.entries(profile.tokens ?? {})) {
    const routeRef = (route: string | undefined, path: PathSegment[]) => {
      if (route !== undefined && !routeIds.has(route)) at(path, `unknown route "${route}"`);
    };
    routeRef(token.issue?.route, ['tokens', id, 'issue', 'route']);
    if (token.kind === 'jwt') routeRef(token.refresh?.route, ['tokens', id, 'refresh', 'route']);
    if (token.kind !== 'jwt') continue;
    const grantRoute = profile.routes.find((r) => r.id === token.issue?.route);
    if (token.issue?.grant === 'client_credentials' && grantRoute) {
      // RFC 6749 §3.2: the token endpoint takes POST; the client's secret is its credential.
      if (grantRoute.method !== 'POST' || grantRoute.auth !== 'public')
        at(
          ['tokens', id, 'issue', 'route'],
          `a client-credentials token endpoint is called with POST and the client's id and secret alone (RFC 6749 §3.2, §2.3.1): route "${grantRoute.id}" must have method: POST and auth: public`,
        );
    }
    const secretAlgs = token.algorithms.filter((a) => a.startsWith('HS'));
    if (token.jwks !== undefined && secretAlgs.length > 0)
      at(
        ['tokens', id, 'jwks'],
        `a JWK Set publishes public keys, and ${secretAlgs.join(', ')} has none to publish (its key is a shared secret); use jwks with RS, PS, ES or EdDSA algorithms only`,
      );
    if (token.scopeFormat !== undefined && !Object.values(token.claims ?? {}).includes('scopes'))
      at(
        ['tokens', id, 'scopeFormat'],
        `scopeFormat says how the claim of meaning scopes holds them, but no claim of tokens.${id}.claims means scopes (e.g. claims: { scope: scopes })`,
      );
  }

  for (const [signingId, entry] of Object.entries(profile.signing ?? {})) {
    // A scheme's own fields are its schema's; the header HMAC scheme's nonce is checked here.
    const s = entry as HmacSigning;
    if ((entry.scheme ?? 'hmac') !== 'hmac' || s.nonce === undefined) continue;
    const nonce = s.nonce;
    if (s.nonce.minLength > s.nonce.maxLength) {
      at(
        ['signing', signingId, 'nonce', 'maxLength'],
        `maxLength ${s.nonce.maxLength} is below minLength ${s.nonce.minLength}`,
      );
    }
    if (
      s.nonce.pattern !== undefined &&
      compiles(s.nonce.pattern, ['signing', signingId, 'nonce', 'pattern']) &&
      allowedNonceChars(nonce).length === 0
    )
      at(
        ['signing', signingId, 'nonce', 'pattern'],
        `no letter or digit repeated ${Math.max(1, s.nonce.minLength)} times matches this pattern: nonces are drawn as strings over a character class (e.g. [A-Za-z0-9_-]+), and a structured nonce (a UUID, a prefix) is not supported yet`,
      );
  }

  for (const op of ['create', 'list', 'get', 'revoke', 'rotate', 'delete'] as const) {
    const route = profile.lifecycle?.[op]?.route;
    if (route !== undefined && !routeIds.has(route)) {
      at(['lifecycle', op, 'route'], `unknown route "${route}"`);
    }
    const format = profile.lifecycle?.[op]?.format;
    if (format !== undefined && !formatIds.has(format)) {
      at(
        ['lifecycle', op, 'format'],
        `unknown key format "${format}"; keyFormats defined: ${list(formatIds)}`,
      );
    } else if (format !== undefined && profile.keyFormats?.[format]?.example === undefined) {
      at(
        ['lifecycle', op, 'format'],
        `key format "${format}" needs an example: created keys are drawn in its shape`,
      );
    }
  }
  if (profile.lifecycle?.create && profile.lifecycle.create.format === undefined) {
    at(['lifecycle', 'create'], 'missing "format": the key format of the keys this call creates');
  }
  profile.routes.forEach((route, i) =>
    route.bindings?.forEach((b, j) => {
      const binding = profile.bindings?.[b];
      if (binding?.from === 'path' && !route.path.includes(`{${binding.name}}`)) {
        at(
          ['routes', i, 'bindings', j],
          `binding "${b}" comes from path parameter {${binding.name}}, which path ${route.path} lacks`,
        );
      }
    }),
  );
  for (const u of unanswered)
    at(u.at, `${u.because}, so denials must map "${u.reason}" (${u.why})`);
  checkUnsupportedFields(profile, at);
  return problems;
}

/**
 * Why a success example breaks its schema, and where in the example; undefined when it fits. A
 * value that holds a placeholder (${now}, ${params.id}...) is filled in by the mock per request,
 * so what it breaks here says nothing: such values, and the choices (oneOf, anyOf...) around
 * them, are left to the run.
 */
function exampleProblem(
  registry: SchemaRegistry,
  schema: BodySchema,
  example: unknown,
): { at: PathSegment[]; text: string } | undefined {
  const validate = registry.validator(schema);
  if (validate(example)) return undefined;
  const COMPOSITE = ['oneOf', 'anyOf', 'allOf', 'if', 'not'];
  const errors = (validate.errors ?? []).filter((e) => {
    const value = valueAt(example, pointerSegments(e.instancePath));
    if (typeof value === 'string' && value.includes('${')) return false;
    return !(COMPOSITE.includes(e.keyword) && JSON.stringify(value ?? null).includes('${'));
  });
  if (errors.length === 0) return undefined;
  const first = errors.find((e) => !COMPOSITE.includes(e.keyword)) ?? errors[0]!;
  return { at: pointerSegments(first.instancePath), text: ajvProblemText(errors) };
}

function pointerSegments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(data: unknown, path: PathSegment[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function checkRouteAuth(
  route: Route,
  here: (...rest: PathSegment[]) => PathSegment[],
  credentialIds: Set<string>,
  at: (path: PathSegment[], message: string) => void,
  list: (xs: Iterable<string>) => string,
): void {
  if (route.auth === 'public') return;
  route.auth.forEach((alt, j) => {
    const names = Array.isArray(alt) ? alt : [alt];
    names.forEach((name, k) => {
      if (!credentialIds.has(name)) {
        const path = Array.isArray(alt) ? here('auth', j, k) : here('auth', j);
        at(path, `unknown credential "${name}"; credentials defined: ${list(credentialIds)}`);
      }
    });
  });
}

/**
 * A request has one Authorization header: credentials sent together (`auth: [[jwt, apiKey]]`)
 * cannot both travel there (bearer, authorization), one would overwrite the other.
 */
function checkOneAuthorization(
  profile: Profile,
  route: Route,
  here: (...rest: PathSegment[]) => PathSegment[],
  at: (path: PathSegment[], message: string) => void,
): void {
  if (route.auth === 'public') return;
  route.auth.forEach((alt, j) => {
    if (!Array.isArray(alt)) return;
    const inAuthorization = alt.filter((id) => {
      const where = profile.credentials[id]?.in;
      return where === 'bearer' || where === 'authorization';
    });
    if (inAuthorization.length > 1)
      at(
        here('auth', j),
        `credentials ${inAuthorization.join(' and ')} are sent together but both travel in the one Authorization header; send one of them in a header of its own (in: header, name: ...)`,
      );
  });
  // A signing scheme that writes Authorization itself (SigV4, Hawk) leaves no room for another.
  const signing = route.signing === undefined ? undefined : signingPartsOf(profile, route.signing);
  if (!signing?.writesAuthorization) return;
  const clashing = [...new Set(route.auth.flat())].filter((id) => {
    const where = profile.credentials[id]?.in;
    return where === 'bearer' || where === 'authorization';
  });
  if (clashing.length > 0)
    at(
      here('signing'),
      `signing "${route.signing}" writes the Authorization header, where credential${clashing.length > 1 ? 's' : ''} ${clashing.join(', ')} of this route also travel${clashing.length > 1 ? '' : 's'}; send ${clashing.length > 1 ? 'them' : 'it'} in a header of its own (in: header, name: ...), or make the signature the route's credential (auth: public)`,
    );
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
