/**
 * Turns a scenario's fault steps into the faulty request. Rebuild steps (another key, a skewed
 * timestamp, a chosen nonce, a faulty JWT, another record) build a freshly signed request; edit
 * steps (remove/rename/set a header, tamper, a wrong signature version) change it after signing.
 * `replay` is the accepted request itself, byte for byte; `repeat` is the accepted request built
 * again (a fresh nonce and signature) on the record the accepted one used up: no step changes it.
 */
import { decodeJwt } from 'jose';
import type { Credentials } from '../model/credentials.ts';
import type { BindingKind, Profile, Route } from '../model/profile.ts';
import {
  buildRequest,
  defaultKeyRole,
  keyForRole,
  type BuildOptions,
} from '../request/build-request.ts';
import {
  hs256WithSecret,
  mintJwt,
  resignedAs,
  tamperedSignature,
  unsignedJwt,
} from '../request/mint-jwt.ts';
import type { OutgoingRequest } from '../request/outgoing-request.ts';
import type { FaultStep } from '../scenario/scenario-model.ts';
import { MissingRoleError } from '../request/build-request.ts';
import type { ClockWindow } from '../targets/target.ts';
import {
  edgeTimestamp,
  jwtExpiryEdge,
  jwtNotBeforeEdge,
  type TimestampEdge,
} from './target-clock.ts';
import { claimsOfOtherParty, otherAlgorithmSize, requireTokenBoundTo } from './jwt-party.ts';
import { scopeClaimFor } from './jwt-scope-claims.ts';
import { bodyWithCapRequest } from './cap-request-body.ts';
import { movedCredential } from './move-credential.ts';
import { withBasicFault, withSchemeWord } from './authorization-faults.ts';
import type { CapRequest } from '../generate/arb-cap-request.ts';

export interface FaultContext {
  profile: Profile;
  creds: Credentials;
  route: Route;
  positive: OutgoingRequest;
  buildOptions: BuildOptions;
  /** Drawn values by name. */
  drawn: Record<string, unknown>;
  /** Where the target's clock is when the faulty request is checked (time-window edges). */
  clock?: ClockWindow;
}

export async function applyFault(
  ctx: FaultContext,
  steps: readonly FaultStep[],
): Promise<OutgoingRequest> {
  const value = (v: unknown) =>
    typeof v === 'string' && v.startsWith('$') ? ctx.drawn[v.slice(1)] : v;
  if (steps.some((s) => 'replay' in s)) return structuredClone(ctx.positive);
  const opts: BuildOptions = {
    ...ctx.buildOptions,
    tokens: { ...(ctx.buildOptions.tokens ?? {}) },
  };
  for (const step of steps) {
    if ('useKey' in step) opts.keyRole = String(value(step.useKey));
    else if ('capRequest' in step)
      opts.body = bodyWithCapRequest(ctx.positive, value(step.capRequest) as CapRequest);
    else if ('timestampOffset' in step)
      opts.nowSeconds = ctx.buildOptions.nowSeconds + Number(value(step.timestampOffset));
    else if ('nonce' in step) opts.nonce = String(value(step.nonce));
    else if ('acceptedNonce' in step) opts.nonce = acceptedNonce(ctx);
    else if ('timestampEdge' in step)
      opts.timestamp = timestampAtEdge(ctx, String(value(step.timestampEdge)));
    else if ('otherRecord' in step) {
      requireTokenBoundTo(
        ctx.profile,
        ctx.route,
        opts.tokens ?? {},
        step.otherRecord,
        jwtIn(ctx.positive),
      );
      opts.resources = {
        ...(opts.resources ?? {}),
        ...otherRecordResources(ctx, step.otherRecord),
      };
    } else if ('jwt' in step) await replaceJwt(ctx, opts, step.jwt);
    else if ('jwtValue' in step)
      opts.tokens = { ...opts.tokens, [jwtCredential(ctx)]: String(value(step.jwtValue)) };
  }
  let req = await buildRequest(ctx.profile, ctx.creds, ctx.route, opts);
  for (const step of steps) {
    if ('removeHeader' in step) req = withoutHeader(req, headerName(ctx, step.removeHeader));
    else if ('setHeader' in step)
      req = withHeader(
        req,
        headerName(ctx, step.setHeader),
        String(resolveValue(ctx, value(step.value))),
      );
    else if ('renameHeader' in step)
      req = renamed(req, headerName(ctx, step.renameHeader), String(value(step.to)));
    else if ('tamper' in step) req = tampered(req, step.tamper);
    else if ('alterKey' in step) req = alteredKey(ctx, req, opts.keyRole, step.alterKey);
    else if ('moveCredential' in step)
      req = movedCredential(ctx.profile, ctx.route, req, step.moveCredential);
    else if ('alterSignature' in step) req = alteredSignature(ctx, req, step.alterSignature);
    else if ('setBody' in step) req = { ...req, body: String(value(step.setBody)) };
    else if ('schemeWord' in step)
      req = withSchemeWord(ctx.profile, ctx.route, req, String(value(step.schemeWord)));
    else if ('basic' in step)
      req = withBasicFault(ctx.profile, ctx.creds, ctx.route, req, opts.keyRole, step.basic);
    else if ('signatureVersion' in step)
      req = withHeader(req, headerName(ctx, 'signing:version'), step.signatureVersion);
  }
  return req;
}

/** credential | credential:jwt | binding:KIND | signing:PART | a literal header name. */
export function headerName(ctx: Pick<FaultContext, 'profile' | 'route'>, ref: string): string {
  const { profile, route } = ctx;
  if (ref === 'credential') {
    const ids =
      route.auth === 'public' ? [] : route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
    const cred =
      ids
        .map((id) => profile.credentials[id]!)
        .find((c) => c.kind === 'api_key' || c.kind === 'basic') ?? profile.credentials[ids[0]!]!;
    return cred.in === 'bearer' || cred.in === 'authorization' ? 'Authorization' : cred.name!;
  }
  if (ref === 'credential:jwt') {
    // The route's bearer JWT, even where an API key travels beside it.
    const cred = profile.credentials[jwtCredential(ctx)]!;
    return cred.in === 'bearer' || cred.in === 'authorization' ? 'Authorization' : cred.name!;
  }
  if (ref.startsWith('binding:')) return profile.bindings![ref.slice(8) as 'tenant']!.name!;
  if (ref.startsWith('signing:')) {
    const signing = profile.signing![route.signing!]!;
    return signing.headers[ref.slice(8) as 'nonce'];
  }
  return ref;
}

function resolveValue(ctx: FaultContext, v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith('resource:')) {
    const name = v.slice(9);
    const r = ctx.creds.resources?.[name];
    if (r === undefined) throw new MissingRoleError(`resources.${name}`);
    return r;
  }
  return v;
}

function otherRecordResources(ctx: FaultContext, which: string): Record<string, string> {
  for (const ref of Object.values(ctx.route.params ?? {})) {
    if (typeof ref !== 'object') continue;
    const other = (ref as unknown as Record<string, string | undefined>)[which];
    if (other === undefined) continue;
    const value = ctx.creds.resources?.[other];
    if (value === undefined) throw new MissingRoleError(`resources.${other}`);
    return { [ref.resource]: value };
  }
  throw new MissingRoleError(`a path id of route ${ctx.route.id} naming an ${which} record`);
}

/** The id of the route's JWT credential. */
function jwtCredential(ctx: Pick<FaultContext, 'profile' | 'route'>): string {
  const { profile, route } = ctx;
  const ids =
    route.auth === 'public' ? [] : route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
  const credId = ids.find((id) => profile.credentials[id]!.kind === 'jwt');
  if (!credId) throw new MissingRoleError(`a JWT credential on route ${route.id}`);
  return credId;
}

async function replaceJwt(ctx: FaultContext, opts: BuildOptions, fault: string): Promise<void> {
  const { profile, creds } = ctx;
  const credId = jwtCredential(ctx);
  const material = creds.jwt;
  if (!material) throw new MissingRoleError('jwt');
  // Start from a token the target accepts: the one obtained from it, or one minted like it.
  const current = ctx.buildOptions.tokens?.[credId] ?? jwtIn(ctx.positive);
  if (!current) throw new MissingRoleError(`a JWT for "${credId}"`);
  const claims = decodeJwt(current);
  const now = ctx.buildOptions.nowSeconds;
  const spec = profile.tokens?.[profile.credentials[credId]!.token!];
  const leeway = spec?.kind === 'jwt' ? spec.leewaySeconds : 0;
  const base = { ...claims };
  delete base.iat;
  delete base.exp;
  delete base.nbf;
  const remint = (
    extra: Record<string, unknown>,
    o: { iat?: number; lifetime?: number; nbf?: number } = {},
  ) =>
    mintJwt(material, {
      nowSeconds: o.iat ?? now,
      lifetimeSeconds: o.lifetime ?? 600,
      claims: { ...base, ...extra },
      ...(o.nbf !== undefined ? { notBeforeOffsetSeconds: o.nbf } : {}),
    });
  let token: string;
  switch (fault) {
    case 'expired':
      token = await remint({}, { iat: now - 7200, lifetime: 7200 - (leeway + 60) });
      break;
    case 'not-yet-valid':
      token = await remint({}, { nbf: leeway + 600 });
      break;
    case 'expired-past-leeway':
    case 'expired-within-leeway': {
      const edge = fault === 'expired-past-leeway' ? 'past' : 'within';
      const exp = jwtExpiryEdge(clockOf(ctx), leeway ?? 0, edge);
      token = await remint({}, { iat: exp - 600, lifetime: 600 });
      break;
    }
    case 'bad-signature':
      token = tamperedSignature(await remint({}));
      break;
    case 'alg-none':
      token = unsignedJwt(await remint({}));
      break;
    case 'hs256-with-public-key':
      if (!material.publicKeyPem) throw new MissingRoleError('jwt.publicKeyPem');
      token = hs256WithSecret(await remint({}), material.publicKeyPem, material.kid);
      break;
    case 'other-tenant':
    case 'other-merchant':
    case 'other-store':
    case 'other-organization':
      // Signed like the accepted twin's token, naming another party: the claim alone differs.
      token = await remint(
        claimsOfOtherParty(profile, credId, {}, fault.slice(6) as BindingKind, creds.resources),
      );
      break;
    case 'wrong-issuer':
      token = await mintJwt(
        { ...material, issuer: 'https://attacker.example' },
        { nowSeconds: now, lifetimeSeconds: 600, claims: base },
      );
      break;
    case 'other-algorithm-size': {
      const alg = material.alg ?? 'HS256';
      const other = otherAlgorithmSize(alg, spec?.kind === 'jwt' ? spec.algorithms : [alg]);
      if (other === undefined)
        throw new MissingRoleError(`jwt.alg of a family the allow-list lacks a size of (${alg})`);
      token = resignedAs(await remint({}), other, material);
      break;
    }
    case 'nbf-past-leeway':
    case 'nbf-within-leeway': {
      const edge = fault === 'nbf-past-leeway' ? 'past' : 'within';
      const nbf = jwtNotBeforeEdge(clockOf(ctx), leeway, edge);
      token = await remint({}, { nbf: nbf - now });
      break;
    }
    case 'without-route-scope':
    case 'with-route-scope':
      token = await remint(
        scopeClaimFor(
          profile,
          ctx.route,
          spec?.kind === 'jwt' ? spec : undefined,
          fault as 'with-route-scope',
        ),
      );
      break;
    case 'unknown-kid':
      // The genuine key under a kid the published key set does not hold: only the kid is wrong.
      if (material.kid === undefined) throw new MissingRoleError('jwt.kid');
      token = await mintJwt(
        { ...material, kid: `${material.kid}-unknown` },
        { nowSeconds: now, lifetimeSeconds: 600, claims: base },
      );
      break;
    default:
      token = await mintJwt(
        { ...material, audience: 'someone-else' },
        { nowSeconds: now, lifetimeSeconds: 600, claims: base },
      );
  }
  opts.tokens = { ...(opts.tokens ?? {}), [credId]: token };
}

/**
 * For each JWT credential of the route: a valid token with the claims of the one held, signed
 * with the credentials' material (as the faulty tokens are).
 */
export async function harnessSignedTokens(
  profile: Profile,
  creds: Credentials,
  route: Route,
  held: Record<string, string>,
  nowSeconds: number,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!creds.jwt || route.auth === 'public') return out;
  for (const id of route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]))) {
    const token = held[id];
    if (profile.credentials[id]!.kind !== 'jwt' || token === undefined) continue;
    const { iat: _iat, exp: _exp, nbf: _nbf, ...claims } = decodeJwt(token);
    out[id] = await mintJwt(creds.jwt, { nowSeconds, lifetimeSeconds: 600, claims });
  }
  return out;
}

/** The request with its key changed: one last character of the same class, or its prefix. */
function alteredKey(
  ctx: FaultContext,
  req: OutgoingRequest,
  keyRole: string | undefined,
  how: 'lastChar' | 'prefix',
): OutgoingRequest {
  const key = credentialValue(ctx, keyRole);
  const last = key.at(-1)!;
  const pools = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const pool = pools.find((p) => p.includes(last)) ?? pools[0]!;
  const altered =
    how === 'lastChar'
      ? key.slice(0, -1) + pool[(pool.indexOf(last) + 1) % pool.length]
      : 'zz9_' + key.replace(/^[A-Za-z]+[_-](?:[A-Za-z]+[_-])*/, '');
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, v.split(key).join(altered)]),
  );
  return {
    ...req,
    headers,
    ...(req.body !== undefined ? { body: req.body.split(key).join(altered) } : {}),
  };
}

/**
 * The request with its valid HMAC signature changed where a prefix comparison would not look:
 * the last hex digit replaced by another, or only the first half of the digest sent. The rest of
 * the header (a `v1=` label) is kept.
 */
function alteredSignature(
  ctx: FaultContext,
  req: OutgoingRequest,
  how: 'lastChar' | 'half',
): OutgoingRequest {
  const name = headerName(ctx, 'signing:signature');
  const sent = req.headers[findHeader(req, name) ?? name];
  const hex = sent?.match(/[0-9a-fA-F]+$/)?.[0];
  if (sent === undefined || hex === undefined || hex.length < 2)
    throw new MissingRoleError(`a hex signature in ${name} to alter`);
  const label = sent.slice(0, -hex.length);
  let altered: string;
  if (how === 'half') altered = hex.slice(0, Math.floor(hex.length / 2));
  else {
    // Upper-case hex stays upper-case: only the digit's value changes, never its spelling.
    const pool = /[A-F]/.test(hex) ? '0123456789ABCDEF' : '0123456789abcdef';
    altered = hex.slice(0, -1) + pool[(pool.indexOf(hex.at(-1)!) + 1) % 16];
  }
  return withHeader(req, name, label + altered);
}

/** The value the request carries as its credential: the API key, else the route's token. */
function credentialValue(ctx: FaultContext, keyRole: string | undefined): string {
  const { profile, route } = ctx;
  const ids =
    route.auth === 'public' ? [] : route.auth.flatMap((a) => (Array.isArray(a) ? a : [a]));
  if (ids.some((id) => profile.credentials[id]!.kind === 'api_key'))
    return keyForRole(ctx.creds, keyRole ?? defaultKeyRole(profile, ctx.creds, route)).value;
  const token = ids.map((id) => ctx.buildOptions.tokens?.[id]).find((t) => t !== undefined);
  if (token === undefined) throw new MissingRoleError(`a credential on route ${route.id} to alter`);
  return token;
}

/** The nonce the accepted request was signed with. */
function acceptedNonce(ctx: FaultContext): string {
  const name = headerName(ctx, 'signing:nonce');
  const sent = findHeader(ctx.positive, name);
  if (sent === undefined) throw new MissingRoleError(`a nonce in ${name} of the accepted request`);
  return ctx.positive.headers[sent]!;
}

/** The signing timestamp at a window edge, against the target's clock. */
function timestampAtEdge(ctx: FaultContext, edge: string): number {
  const signing =
    ctx.route.signing !== undefined ? ctx.profile.signing?.[ctx.route.signing] : undefined;
  if (!signing) throw new MissingRoleError(`a signed route (${ctx.route.id} is not signed)`);
  if (!/^(past|future)-(inside|outside)$/.test(edge))
    throw new Error(
      `timestampEdge is past-inside, past-outside, future-inside or future-outside, not ${JSON.stringify(edge)}`,
    );
  return edgeTimestamp(signing, clockOf(ctx), edge as TimestampEdge);
}

/** The target's clock window; without one, the whole second the build options name. */
function clockOf(ctx: FaultContext): ClockWindow {
  const ms = ctx.buildOptions.nowSeconds * 1000;
  return ctx.clock ?? { loMs: ms, hiMs: ms + 999 };
}

function jwtIn(req: OutgoingRequest): string | undefined {
  const auth = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  return auth?.match(/^Bearer (\S+)$/)?.[1];
}

function findHeader(req: OutgoingRequest, name: string): string | undefined {
  return Object.keys(req.headers).find((k) => k.toLowerCase() === name.toLowerCase());
}

export function withoutHeader(req: OutgoingRequest, name: string): OutgoingRequest {
  const headers = { ...req.headers };
  const k = findHeader(req, name);
  if (k !== undefined) delete headers[k];
  return { ...req, headers };
}

export function withHeader(req: OutgoingRequest, name: string, value: string): OutgoingRequest {
  const out = withoutHeader(req, name);
  return { ...out, headers: { ...out.headers, [name]: value } };
}

function renamed(req: OutgoingRequest, name: string, to: string): OutgoingRequest {
  const k = findHeader(req, name);
  if (k === undefined) return req;
  const value = req.headers[k]!;
  const out = withoutHeader(req, name);
  return { ...out, headers: { ...out.headers, [to]: value } };
}

function tampered(req: OutgoingRequest, what: 'body' | 'query'): OutgoingRequest {
  if (what === 'body') return { ...req, body: (req.body ?? '{}') + ' ' };
  return {
    ...req,
    pathWithQuery: req.pathWithQuery + (req.pathWithQuery.includes('?') ? '&' : '?') + 'tampered=1',
  };
}
