/**
 * The positive request for a route, built from the profile and the credentials file alone:
 * path parameters from resources, the credential in the place the profile says, binding
 * headers, a JSON body, a fresh HMAC signature and bearer JWTs minted from the signing material.
 * A role the credentials lack is a MissingRoleError: the scenario is skipped, never passed.
 */
import { randomBytes } from 'node:crypto';
import type { Credentials, CredentialKey } from '../model/credentials.ts';
import type { BindingKind, Profile, Route } from '../model/profile.ts';
import { BINDING_KINDS } from '../model/profile.ts';
import { signingOf } from '../sign/signers.ts';
import type {
  ResolvedCredential,
  ResolvedRoute,
  ResolvedToken,
} from '../model/resolved-profile.ts';
import type { SignControls, SigningKey } from '../sign/signer.ts';
import { fillPlaceholders } from '../model/resource-placeholders.ts';
import { mintJwt, scopeClaimValue } from './mint-jwt.ts';
import { everyScope } from '../model/scope-vocabulary.ts';
import { basicValue, schemeWord } from './authorization-scheme.ts';
import type { OutgoingRequest } from './outgoing-request.ts';
import { clientCredentialsRequest, clientCredentialsTokenOf } from './client-credentials.ts';
import { MissingRoleError } from './missing-role-error.ts';
import { withCookie, withQueryParam } from './query-cookie-credential.ts';

export interface BuildOptions {
  /** The target's clock, seconds since the epoch (HMAC timestamps, JWT iat/exp). */
  nowSeconds: number;
  /** Which key role to send (default: valid, or the role of the type the route needs). */
  keyRole?: string;
  /** Tokens obtained from the target beforehand (login JWT, session token), by credential id. */
  tokens?: Record<string, string>;
  /** Nonce for signed routes (default: 32 random hex characters). */
  nonce?: string;
  /** The signing time, ms since the epoch, where not nowSeconds (a window's edge). */
  signTimeMs?: number;
  /** What a signing fault controls besides time and nonce (signAs, keyIdAs, versionAs). */
  signControls?: Omit<SignControls, 'timeMs' | 'nonce'>;
  /** The Host the request goes to (`host[:port]`), for schemes that sign it. */
  host?: string;
  /** Resource overrides for path parameters (another store's id...). */
  resources?: Record<string, string>;
  /** Body to send instead of the route's example. */
  body?: unknown;
  /**
   * The credential under test (an id): of a route's alternatives (`auth: [jwt, apiKey]`), one
   * that carries it is sent, so a fault to the key reaches a request that has the key.
   */
  credential?: string;
}

/** The Host a request is signed for where the target's is not known (the in-process mock). */
export const DEFAULT_HOST = 'mock.authconform.test';

/** The signing credential: the credentials' `hmac` role (its key id is the merchant, by default). */
export function signingKeyOf(creds: Credentials): SigningKey {
  const h = creds.hmac;
  if (!h) throw new MissingRoleError('hmac');
  const keyId = h.keyId ?? h.merchant;
  if (keyId === undefined) throw new MissingRoleError('hmac.keyId (or hmac.merchant)');
  return {
    keyId,
    ...(h.secret !== undefined ? { secret: h.secret } : {}),
    ...(h.privateKeyPem !== undefined ? { privateKeyPem: h.privateKeyPem } : {}),
    ...(h.publicKeyPem !== undefined ? { publicKeyPem: h.publicKeyPem } : {}),
  };
}

export function keyForRole(creds: Credentials, role: string): CredentialKey {
  const keys = creds.keys ?? {};
  const key = role.startsWith('byType.')
    ? keys.byType?.[role.slice(7)]
    : (keys as Record<string, CredentialKey | undefined>)[role];
  if (!key) throw new MissingRoleError(`keys.${role}`);
  return key;
}

/** The key role a positive request on this route uses. */
export function defaultKeyRole(profile: Profile, creds: Credentials, route: Route): string {
  const valid = creds.keys?.valid;
  const types = route.keyTypes;
  if (!types || !valid || (valid.type !== undefined && types.includes(valid.type))) return 'valid';
  for (const t of types) {
    if (creds.keys?.byType?.[t]) return `byType.${t}`;
    if (t === 'system' && creds.keys?.system) return 'system';
    if (t === 'publishable' && creds.keys?.publishable) return 'publishable';
  }
  throw new MissingRoleError(`key of type ${types.join(' or ')} (keys.byType.${types[0]})`);
}

export async function buildRequest(
  profile: Profile,
  creds: Credentials,
  route: ResolvedRoute,
  opts: BuildOptions,
): Promise<OutgoingRequest> {
  // A client-credentials token endpoint takes a form, not the route's JSON body.
  const grant = opts.body === undefined ? clientCredentialsTokenOf(profile, route) : undefined;
  if (grant) return clientCredentialsRequest(grant.issue, creds, route);
  const resources = { ...(creds.resources ?? {}), ...(opts.resources ?? {}) };
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const ref = route.params?.[name];
    const resource = ref === undefined ? name : typeof ref === 'string' ? ref : ref.resource;
    const value = resources[resource];
    if (value === undefined) throw new MissingRoleError(`resources.${resource}`);
    return encodeURIComponent(value);
  });
  const headers: Record<string, string> = {};
  // Ids in the body are the target's own (the credentials' resources), never the fixtures'.
  let body = fillPlaceholders(opts.body !== undefined ? opts.body : route.requestBody, (name) =>
    resourceValue(
      name,
      resources,
      creds,
      opts.keyRole ?? safeDefaultKeyRole(profile, creds, route),
    ),
  );
  const loginFor = Object.values(profile.tokens ?? {}).find(
    (t) => t.kind === 'jwt' && t.issue?.route === route.id,
  );
  if (loginFor && opts.body === undefined) {
    if (!creds.login) throw new MissingRoleError('login');
    body = { ...(body as object), email: creds.login.email, password: creds.login.password };
  }

  let key: CredentialKey | undefined;
  // Query parameters a credential travels in (name, value), appended to the path in order.
  const query: [string, string][] = [];
  if (route.alternatives.length > 0) {
    const alternatives = carrying(route.alternatives, opts.credential);
    let lastMissing: MissingRoleError | undefined;
    for (const alt of alternatives) {
      try {
        const placed: [ResolvedCredential, string][] = [];
        for (const cred of alt) {
          const { id } = cred;
          const held = opts.tokens?.[id];
          let value: string;
          if (cred.kind === 'api_key') {
            key = keyForRole(creds, opts.keyRole ?? defaultKeyRole(profile, creds, route));
            value = key.value;
          } else if (cred.kind === 'basic') {
            const role = opts.keyRole ?? defaultKeyRole(profile, creds, route);
            key = keyForRole(creds, role);
            if (key.id === undefined) throw new MissingRoleError(`keys.${role}.id (its Basic id)`);
            value = basicValue(key.id, key.value);
          } else if (held !== undefined) {
            value = held;
          } else if (cred.kind === 'jwt' && creds.jwt && cred.tokenSpec && !isIssuedByApi(cred)) {
            value = await mintFor(profile, creds, cred.tokenSpec, key, opts.nowSeconds);
          } else {
            throw new MissingRoleError(
              cred.kind === 'jwt' ? `jwt (a token for "${id}")` : `session token for "${id}"`,
            );
          }
          placed.push([cred, value]);
        }
        for (const [cred, value] of placed) body = place(cred, value, headers, body, query);
        lastMissing = undefined;
        break;
      } catch (e) {
        if (!(e instanceof MissingRoleError)) throw e;
        lastMissing = e;
        key = undefined;
      }
    }
    if (lastMissing) throw lastMissing;
  }

  for (const kind of BINDING_KINDS) {
    const b = profile.bindings?.[kind];
    if (!b || b.from !== 'header') continue;
    if (!(b.required === 'always' || (b.required === 'routes' && route.bindings?.includes(kind))))
      continue;
    headers[b.name!] = bindingValue(kind, key, creds, resources);
  }

  const bodyText = body === undefined ? undefined : JSON.stringify(body);
  if (bodyText !== undefined) headers['Content-Type'] = 'application/json';
  // A signer signs this whole: a key in the query is covered like any other parameter.
  const pathWithQuery = query.reduce((p, [name, value]) => withQueryParam(p, name, value), path);
  const signing = signingOf(route);
  if (signing) {
    const signed = await signing.signer.sign(
      signing.config,
      {
        method: route.method,
        host: opts.host ?? DEFAULT_HOST,
        pathWithQuery,
        headers,
        body: bodyText,
      },
      signingKeyOf(creds),
      {
        timeMs: opts.signTimeMs ?? opts.nowSeconds * 1000,
        ...(signing.parts.nonce ? { nonce: opts.nonce ?? randomBytes(16).toString('hex') } : {}),
        ...(opts.signControls ?? {}),
      },
    );
    return {
      method: route.method,
      pathWithQuery,
      headers: signed.headers,
      ...(bodyText !== undefined ? { body: bodyText } : {}),
    };
  }
  return {
    method: route.method,
    pathWithQuery,
    headers,
    ...(bodyText !== undefined ? { body: bodyText } : {}),
  };
}

/** The route's request body with its `${resource}` placeholders filled from the credentials. */
export function filledRequestBody(
  profile: Profile,
  creds: Credentials,
  route: Route,
  keyRole?: string,
): unknown {
  return fillPlaceholders(route.requestBody, (name) =>
    resourceValue(
      name,
      creds.resources ?? {},
      creds,
      keyRole ?? safeDefaultKeyRole(profile, creds, route),
    ),
  );
}

/** A body placeholder's value: a resource, else the sent key's binding of that name. */
function resourceValue(
  name: string,
  resources: Record<string, string>,
  creds: Credentials,
  keyRole: string | undefined,
): string {
  const v = resources[name];
  if (v !== undefined) return v;
  if ((BINDING_KINDS as readonly string[]).includes(name)) {
    const bound =
      (keyRole !== undefined ? keyOfRoleIfAny(creds, keyRole) : undefined)?.[name as BindingKind] ??
      creds.login?.[name as 'tenant'];
    if (bound !== undefined) return bound;
  }
  throw new MissingRoleError(`resources.${name}`);
}

/** The key of a role, or undefined where the credentials have none (no MissingRoleError). */
export function keyOfRoleIfAny(creds: Credentials, role: string): CredentialKey | undefined {
  try {
    return keyForRole(creds, role);
  } catch (e) {
    if (e instanceof MissingRoleError) return undefined;
    throw e;
  }
}

function safeDefaultKeyRole(
  profile: Profile,
  creds: Credentials,
  route: Route,
): string | undefined {
  try {
    return defaultKeyRole(profile, creds, route);
  } catch {
    return undefined;
  }
}

/** The alternatives with those carrying the credential first (otherwise in order). */
function carrying(
  alternatives: ResolvedCredential[][],
  credential: string | undefined,
): ResolvedCredential[][] {
  if (credential === undefined) return alternatives;
  const has = (alt: ResolvedCredential[]) => alt.some((c) => c.id === credential);
  return [...alternatives.filter(has), ...alternatives.filter((alt) => !has(alt))];
}

/** A JWT the target issues (through a login or a client-credentials grant), not minted here. */
function isIssuedByApi(cred: ResolvedCredential): boolean {
  return cred.tokenSpec?.kind === 'jwt' && cred.tokenSpec.issue !== undefined;
}

function place(
  cred: ResolvedCredential,
  value: string,
  headers: Record<string, string>,
  body: unknown,
  query: [string, string][],
): unknown {
  if (cred.in === 'bearer' || cred.in === 'authorization')
    headers['Authorization'] = `${schemeWord(cred)!} ${value}`;
  else if (cred.in === 'header') headers[cred.name!] = value;
  else if (cred.in === 'query') query.push([cred.name!, value]);
  else if (cred.in === 'cookie')
    headers['Cookie'] = withCookie(headers['Cookie'], cred.name!, value);
  else return { ...(body as object), [cred.name!]: value };
  return body;
}

function bindingValue(
  kind: BindingKind,
  key: CredentialKey | undefined,
  creds: Credentials,
  resources: Record<string, string>,
): string {
  const v = key?.[kind] ?? resources[kind] ?? creds.login?.[kind as 'tenant'];
  if (v === undefined) throw new MissingRoleError(`resources.${kind}`);
  return v;
}

async function mintFor(
  profile: Profile,
  creds: Credentials,
  spec: ResolvedToken,
  key: CredentialKey | undefined,
  nowSeconds: number,
): Promise<string> {
  const claims: Record<string, unknown> = {};
  if (spec.kind === 'jwt') {
    for (const [claim, meaning] of Object.entries(spec.claims ?? {})) {
      if (
        meaning === 'tenant' ||
        meaning === 'merchant' ||
        meaning === 'store' ||
        meaning === 'organization'
      ) {
        const v = key?.[meaning] ?? creds.resources?.[meaning];
        if (v !== undefined) claims[claim] = v;
      } else if (meaning === 'user') {
        const v = creds.resources?.user ?? (creds.jwt?.claims?.[claim] as string | undefined);
        if (v !== undefined) claims[claim] = v;
      } else if (meaning === 'scopes' && creds.jwt?.claims?.[claim] === undefined) {
        // A valid token holds every scope, in the profile's form; faults take away the route's.
        claims[claim] = scopeClaimValue(everyScope(profile), spec.scopeFormat);
      }
    }
  }
  const lifetime = spec.kind === 'jwt' ? Math.min(spec.lifetimeSeconds, 3600) : 300;
  return mintJwt(creds.jwt!, { nowSeconds, lifetimeSeconds: lifetime, claims });
}
