/**
 * The profile resolved once (hapi's resolved route model): every id one part of a profile uses
 * to name another is replaced by what it names, so that callers read a route's credentials,
 * signing, rate limit and token instead of looking each id up again (and asserting it is there).
 *
 * `loadProfile` resolves what it has validated; a profile built in code (the programmatic API
 * takes one) is resolved by the same function. Resolving reads only the profile's own fields, so
 * a resolved profile changed in place (a test's copy with a route made public) is resolved again
 * the same way. The input is not changed: resolved objects are copies beside the source's, but
 * signing entries stay the same objects (a signer module is attached to its entry). Nothing in it
 * is a function, so a resolved profile can be copied with structuredClone.
 */
import { deriveErrors, type ResolvedError } from './derive-errors.ts';
import type {
  Binding,
  BindingKind,
  Credential,
  JwtToken,
  KeyFormat,
  Profile,
  RateLimit,
  Route,
  SessionToken,
  Signing,
} from './profile.ts';

/** A key format with its id. */
export type ResolvedKeyFormat = KeyFormat & { id: string };

/** A rate class with its id; routes of one class share the one object. */
export type ResolvedRateLimit = RateLimit & { id: string };

/** A token spec with its id and the routes that issue and refresh it. */
export type ResolvedToken = (JwtToken | SessionToken) & {
  id: string;
  issueRoute?: ResolvedRoute;
  refreshRoute?: ResolvedRoute;
};

/** A credential with its id, the token it carries (`token:`) and its key formats (`formats:`). */
export interface ResolvedCredential extends Credential {
  id: string;
  tokenSpec?: ResolvedToken;
  keyFormats: ResolvedKeyFormat[];
}

/** A route with what its ids name: its credentials, signing, rate limit and token. */
export interface ResolvedRoute extends Route {
  /** Each alternative of `auth`: the credentials sent together; none for a public route. */
  alternatives: ResolvedCredential[][];
  /** Every credential the route takes, once each, in the order `auth` names them. */
  credentials: ResolvedCredential[];
  /**
   * The route's `signing` entry, with its id. Its signer and what the scheme has are had through
   * `signingOf` (src/sign/signers.ts): a profile stays plain data that a test may copy and change.
   */
  signedWith?: { id: string; config: Signing };
  /** The route's `rateClass`. */
  rateLimit?: ResolvedRateLimit;
  /** The first of its credentials that carries a token (a JWT or a session token). */
  token?: { credential: ResolvedCredential; spec: ResolvedToken };
}

export type { ResolvedError };

/**
 * A profile whose routes and credentials carry what their ids name, and whose errors carry
 * their status, body and schema derived from errorShape (resolveReferences).
 */
export interface ResolvedProfile extends Profile {
  errors: Record<string, ResolvedError>;
  credentials: Record<string, ResolvedCredential>;
  keyFormats?: Record<string, ResolvedKeyFormat>;
  rateLimits?: Record<string, ResolvedRateLimit>;
  routes: ResolvedRoute[];
}

/** A profile names something it does not define (only a profile built in code gets here). */
export class ProfileReferenceError extends Error {
  constructor(
    readonly profileId: string,
    readonly problems: string[],
  ) {
    super(`profile "${profileId}": ${problems.join('; ')}`);
    this.name = 'ProfileReferenceError';
  }
}

/**
 * Resolves a validated profile. A name that does not resolve throws ProfileReferenceError, each
 * problem at its path in the profile; a loaded profile never gets that far (its references are
 * checked with file, line and column by check-profile-references.ts). `loadProfile` returns its
 * profile resolved; a profile built or changed in code is resolved again by this function (the
 * engine and the mock do so with what they are given).
 *
 * @example
 * ```ts
 * import { loadProfile, resolveReferences } from 'authconform';
 * const { profile } = loadProfile('specs/profiles/luxcore.yaml');
 * const unsigned = resolveReferences({
 *   ...profile,
 *   routes: profile.routes.map(({ signing: _signing, ...route }) => route),
 * });
 * console.log(unsigned.routes.map((r) => `${r.id}: ${r.credentials.map((c) => c.id).join(', ')}`));
 * ```
 */
export function resolveReferences(given: Profile): ResolvedProfile {
  // A profile built in code, like a file, may leave `denials` out (a loaded one always has it).
  const profile: Profile =
    (given as Partial<Profile>).denials === undefined ? { ...given, denials: {} } : given;
  const problems: string[] = [];
  const lookup = <T>(
    table: Record<string, T> | undefined,
    what: string,
    id: string,
    at: string,
  ): T | undefined => {
    const found = Object.hasOwn(table ?? {}, id) ? table![id] : undefined;
    if (found === undefined)
      problems.push(`${at}: unknown ${what} "${id}"; defined: ${listOf(table)}`);
    return found;
  };

  const keyFormats = mapEntries(profile.keyFormats, (f, id) => ({ ...f, id }));
  const rateLimits = mapEntries(profile.rateLimits, (l, id) => ({ ...l, id }));
  const routes: ResolvedRoute[] = profile.routes.map((r) => ({
    ...withoutResolved(r, ROUTE_RESOLVED),
    alternatives: [],
    credentials: [],
  }));
  const routeTable = Object.fromEntries(routes.map((r) => [r.id, r]));
  const routeOf = (id: string | undefined, at: string) =>
    id === undefined ? undefined : lookup(routeTable, 'route', id, at);

  const tokens = mapEntries(profile.tokens, (t, id): ResolvedToken => {
    const issueRoute = routeOf(t.issue?.route, `tokens.${id}.issue.route`);
    const refresh = t.kind === 'jwt' ? t.refresh : undefined;
    const refreshRoute = routeOf(refresh?.route, `tokens.${id}.refresh.route`);
    return {
      ...withoutResolved(t, TOKEN_RESOLVED),
      id,
      ...(issueRoute ? { issueRoute } : {}),
      ...(refreshRoute ? { refreshRoute } : {}),
    };
  });
  const credentials = mapEntries(profile.credentials, (c, id): ResolvedCredential => {
    const tokenSpec =
      c.token === undefined
        ? undefined
        : lookup(tokens, 'token', c.token, `credentials.${id}.token`);
    const formats = (c.formats ?? []).flatMap(
      (f, i) => lookup(keyFormats, 'key format', f, `credentials.${id}.formats[${i}]`) ?? [],
    );
    return {
      ...withoutResolved(c, CREDENTIAL_RESOLVED),
      id,
      ...(tokenSpec ? { tokenSpec } : {}),
      keyFormats: formats,
    };
  });

  // Each route is a copy of its source, whose own fields (auth, signing, rateClass) it reads.
  routes.forEach((route, i) => {
    const source = route;
    const at = `routes[${i}] (${source.id})`;
    if (source.auth !== 'public') {
      route.alternatives = source.auth.map((alt, j) =>
        (Array.isArray(alt) ? alt : [alt]).flatMap(
          (id) => lookup(credentials, 'credential', id, `${at}.auth[${j}]`) ?? [],
        ),
      );
      route.credentials = [...new Set(route.alternatives.flat())];
    }
    for (const credential of route.credentials) {
      if (route.token !== undefined || credential.tokenSpec === undefined) continue;
      route.token = { credential, spec: credential.tokenSpec };
    }
    if (source.signing !== undefined) {
      const config = lookup(profile.signing, 'signing', source.signing, `${at}.signing`);
      if (config) route.signedWith = { id: source.signing, config };
    }
    if (source.rateClass !== undefined) {
      const limit = lookup(rateLimits, 'rate class', source.rateClass, `${at}.rateClass`);
      if (limit) route.rateLimit = limit;
    }
  });
  const { errors, problems: errorProblems } = deriveErrors(profile);
  for (const p of errorProblems) problems.push(`${p.at.join('.')}: ${p.message}`);
  if (problems.length > 0) throw new ProfileReferenceError(profile.id, problems);

  const resolved: ResolvedProfile = { ...profile, credentials, routes, errors } as ResolvedProfile;
  if (keyFormats) resolved.keyFormats = keyFormats;
  if (rateLimits) resolved.rateLimits = rateLimits;
  if (tokens) resolved.tokens = tokens;
  return resolved;
}

/** The route of this id; a clear error where the profile has none. */
export function routeById(
  profile: Profile & { routes: ResolvedRoute[] },
  id: string,
): ResolvedRoute;
export function routeById(profile: Profile, id: string): Route;
export function routeById(profile: Profile, id: string): Route {
  const route = profile.routes.find((r) => r.id === id);
  if (route === undefined)
    throw missing(
      profile,
      'route',
      id,
      profile.routes.map((r) => r.id),
    );
  return route;
}

/** The credential of this id; a clear error where the profile has none. */
export function credentialById(profile: ResolvedProfile, id: string): ResolvedCredential {
  return byId(profile, profile.credentials, 'credential', id);
}

/** The error of this id (a denial's answer); a clear error where the profile has none. */
export function errorById(profile: ResolvedProfile, id: string): ResolvedError {
  return byId(profile, profile.errors, 'error', id);
}

/** The key format of this id (with its id, if the profile is resolved); a clear error where none. */
export function keyFormatById<P extends Profile>(
  profile: P,
  id: string,
): NonNullable<P['keyFormats']>[string] {
  return byId(profile, profile.keyFormats, 'key format', id) as NonNullable<
    P['keyFormats']
  >[string];
}

/** The binding of this kind; a clear error where the profile defines none. */
export function bindingOf(profile: Profile, kind: BindingKind): Binding {
  return byId(profile, profile.bindings, 'binding', kind);
}

function byId<T>(
  profile: Profile,
  table: Record<string, T> | undefined,
  what: string,
  id: string,
): T {
  const found = Object.hasOwn(table ?? {}, id) ? table![id] : undefined;
  if (found === undefined) throw missing(profile, what, id, Object.keys(table ?? {}));
  return found;
}

function missing(profile: Profile, what: string, id: string, defined: string[]): Error {
  return new ProfileReferenceError(profile.id, [
    `no ${what} "${id}"; defined: ${defined.join(', ') || '(none)'}`,
  ]);
}

/**
 * What resolving adds, left out of what is copied: resolving a resolved profile whose source
 * fields were changed (a route's rateClass deleted) must not keep what the old ones resolved to.
 */
const ROUTE_RESOLVED = ['alternatives', 'credentials', 'signedWith', 'rateLimit', 'token'];
const TOKEN_RESOLVED = ['issueRoute', 'refreshRoute'];
const CREDENTIAL_RESOLVED = ['tokenSpec', 'keyFormats'];

function withoutResolved<T extends object>(value: T, keys: string[]): T {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k))) as T;
}

function listOf(table: Record<string, unknown> | undefined): string {
  return Object.keys(table ?? {}).join(', ') || '(none)';
}

function mapEntries<T, U>(
  table: Record<string, T>,
  f: (value: T, id: string) => U,
): Record<string, U>;
function mapEntries<T, U>(
  table: Record<string, T> | undefined,
  f: (value: T, id: string) => U,
): Record<string, U> | undefined;
function mapEntries<T, U>(
  table: Record<string, T> | undefined,
  f: (value: T, id: string) => U,
): Record<string, U> | undefined {
  if (table === undefined) return undefined;
  return Object.fromEntries(Object.entries(table).map(([id, v]) => [id, f(v, id)]));
}
