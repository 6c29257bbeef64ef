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
  DEFAULT_HOST,
  defaultKeyRole,
  keyForRole,
  signingKeyOf,
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
import { MissingRoleError } from '../request/missing-role-error.ts';
import type { ClockWindow } from '../targets/target.ts';
import { edgeTimeMs, jwtExpiryEdge, jwtNotBeforeEdge, type TimestampEdge } from './target-clock.ts';
import { routeSigning, schemeOf, type RouteSigning } from '../sign/signers.ts';
import type { SignableRequest, SignControls } from '../sign/signer.ts';
import { claimsOfOtherParty, requireTokenBoundTo } from './jwt-party.ts';
import { otherAlgorithmSize } from '../model/jwt-claims.ts';
import { scopeClaimFor } from './jwt-scope-claims.ts';
import { bodyWithCapRequest } from './cap-request-body.ts';
import { movedCredential } from './move-credential.ts';
import { withBasicFault, withSchemeWord } from './authorization-faults.ts';
import { wrongSecretTokenRequest } from '../request/client-credentials.ts';
import { headerName, routeJwtCredential } from '../request/header-reference.ts';
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
  /** The nonce the accepted twin was signed with, where the scheme has one. */
  acceptedNonce?: string;
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
      opts.signTimeMs = timeAtEdge(ctx, String(value(step.timestampEdge)));
    else if ('signatureExpired' in step) {
      const { createdMs, expiresMs } = expiredSignature(ctx);
      opts.signTimeMs = createdMs;
      opts.signControls = { ...opts.signControls, expiresAs: expiresMs };
    } else if ('tamper' in step && step.tamper !== 'body' && step.tamper !== 'query')
      opts.signControls = { ...opts.signControls, signAs: signedAs(ctx, step.tamper) };
    else if ('wrongKeyId' in step)
      opts.signControls = { ...opts.signControls, keyIdAs: wrongKeyId(ctx) };
    else if ('signatureVersion' in step) {
      const own = requireSigning(ctx, 'version', 'a signature version').parts.version;
      // Another version than the scheme's, whatever the scenario names (a profile on v0 too).
      const other = step.signatureVersion === own ? `${own}-other` : step.signatureVersion;
      opts.signControls = { ...opts.signControls, versionAs: other };
    } else if ('otherRecord' in step) {
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
      opts.tokens = {
        ...opts.tokens,
        [routeJwtCredential(ctx.profile, ctx.route)]: String(value(step.jwtValue)),
      };
  }
  let req = await buildRequest(ctx.profile, ctx.creds, ctx.route, opts);
  for (const step of steps) {
    if ('removeHeader' in step)
      req = withoutHeader(req, headerName(ctx.profile, ctx.route, step.removeHeader));
    else if ('setHeader' in step)
      req = withHeader(
        req,
        headerName(ctx.profile, ctx.route, step.setHeader),
        String(resolveValue(ctx, value(step.value))),
      );
    else if ('renameHeader' in step)
      req = renamed(
        req,
        headerName(ctx.profile, ctx.route, step.renameHeader),
        String(value(step.to)),
      );
    else if ('tamper' in step && (step.tamper === 'body' || step.tamper === 'query'))
      req = tampered(ctx, req, step.tamper);
    else if ('alterKey' in step) req = alteredKey(ctx, req, opts.keyRole, step.alterKey);
    else if ('moveCredential' in step)
      req = movedCredential(ctx.profile, ctx.route, req, step.moveCredential);
    else if ('alterSignature' in step) req = alteredSignature(ctx, req, step.alterSignature);
    else if ('setBody' in step) req = { ...req, body: String(value(step.setBody)) };
    else if ('schemeWord' in step)
      req = withSchemeWord(ctx.profile, ctx.route, req, String(value(step.schemeWord)));
    else if ('basic' in step)
      req = withBasicFault(ctx.profile, ctx.creds, ctx.route, req, opts.keyRole, step.basic);
    else if ('clientSecret' in step)
      req = wrongSecretTokenRequest(ctx.profile, ctx.creds, ctx.route);
  }
  return req;
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

async function replaceJwt(ctx: FaultContext, opts: BuildOptions, fault: string): Promise<void> {
  const { profile, creds } = ctx;
  const credId = routeJwtCredential(ctx.profile, ctx.route);
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
 * The request with its valid signature changed where a prefix comparison would not look (the
 * last character replaced by another of its encoding, or only the first half sent), emptied, or
 * removed, through the scheme's signature slot: the labels around it are kept.
 */
function alteredSignature(
  ctx: FaultContext,
  req: OutgoingRequest,
  how: 'lastChar' | 'half' | 'empty' | 'remove',
): OutgoingRequest {
  const signing = requireSigning(ctx);
  const slot = signing.signer.signatureSlot(signing.config, signable(ctx, req));
  if (slot === undefined || slot.value.length < 2)
    throw new MissingRoleError(`a signature in the request on ${ctx.route.id} to alter`);
  if (how === 'remove') return outgoing(slot.remove());
  if (how === 'empty') return outgoing(slot.replace(''));
  const v = slot.value;
  if (how === 'half') return outgoing(slot.replace(v.slice(0, Math.floor(v.length / 2))));
  // The last character that carries bits (not base64 padding) changes to another of its
  // alphabet, spelled as the encoding spells it: an upper-case hex digit stays upper-case.
  const pad = v.match(/=*$/)![0].length;
  const at = v.length - pad - 1;
  const pool =
    slot.encoding === 'hex'
      ? /[A-F]/.test(v)
        ? '0123456789ABCDEF'
        : '0123456789abcdef'
      : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' +
        (slot.encoding === 'base64' ? '+/' : '-_');
  // Base64's last character carries the leftover bits of the last byte and some that decoders
  // ignore: step by 2^ignored so the change lands in bits that are decoded (a correct verifier
  // would otherwise see the same signature: a false alarm).
  const dataChars = v.length - pad;
  const ignoredBits = slot.encoding === 'hex' ? 0 : (6 * dataChars) % 8;
  const next = pool[(pool.indexOf(v[at]!) + 2 ** ignoredBits) % pool.length]!;
  return outgoing(slot.replace(v.slice(0, at) + next + v.slice(at + 1)));
}

/** The route's signing, or a MissingRoleError naming the part a fault needs and why it is N/A. */
function requireSigning(
  ctx: Pick<FaultContext, 'profile' | 'route'>,
  part?: 'nonce' | 'version' | 'timestamp' | 'expires',
  what?: string,
): RouteSigning {
  const signing = routeSigning(ctx.profile, ctx.route);
  if (!signing) throw new MissingRoleError(`a signed route (${ctx.route.id} is not signed)`);
  if (part !== undefined && signing.parts[part] === undefined)
    throw new MissingRoleError(`${what ?? part} in the ${schemeOf(signing.config)} signing scheme`);
  return signing;
}

/** The Host the request is signed for (the target's, or the in-process default). */
function hostOf(ctx: FaultContext): string {
  return ctx.buildOptions.host ?? DEFAULT_HOST;
}

function signable(ctx: FaultContext, req: OutgoingRequest): SignableRequest {
  return { ...req, host: hostOf(ctx) };
}

function outgoing(req: SignableRequest): OutgoingRequest {
  const { host: _host, ...rest } = req;
  return rest;
}

/**
 * What the signature is made to cover instead of what is sent: another method, another path,
 * or another value of a covered header. The request goes out unchanged, so a server that checks
 * what the signature covers must refuse it.
 */
function signedAs(
  ctx: FaultContext,
  what: 'method' | 'path' | 'header',
): NonNullable<SignControls['signAs']> {
  const signing = requireSigning(ctx);
  const { covers } = signing.parts;
  const sent = ctx.positive;
  if (what === 'method') {
    if (!covers.method) throw new MissingRoleError('the method among what the signature covers');
    return { method: sent.method === 'GET' ? 'POST' : 'GET' };
  }
  if (what === 'path') {
    if (!covers.path) throw new MissingRoleError('the path among what the signature covers');
    const q = sent.pathWithQuery.indexOf('?');
    const path = q < 0 ? sent.pathWithQuery : sent.pathWithQuery.slice(0, q);
    const query = q < 0 ? '' : sent.pathWithQuery.slice(q);
    return { pathWithQuery: `${path.replace(/\/?$/, '')}x${query}` };
  }
  const name = covers.headers.find((h) => findHeader(sent, h) !== undefined);
  if (name === undefined)
    throw new MissingRoleError('a header the signature covers, sent with the request');
  const value = sent.headers[findHeader(sent, name)!]!;
  return { headers: { ...sent.headers, [findHeader(sent, name)!]: `${value}x` } };
}

/** A key id the target does not hold: the signing key's own id with its last character changed. */
function wrongKeyId(ctx: FaultContext): string {
  const signing = requireSigning(ctx);
  if (!signing.parts.keyId) throw new MissingRoleError('a key id in the signing scheme');
  const id = signingKeyOf(ctx.creds).keyId;
  const last = id.at(-1)!;
  const pool = /[0-9]/.test(last)
    ? '0123456789'
    : /[A-Z]/.test(last)
      ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
      : 'abcdefghijklmnopqrstuvwxyz';
  return id.slice(0, -1) + pool[(pool.indexOf(last) + 1) % pool.length];
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
  requireSigning(ctx, 'nonce', 'a nonce');
  const nonce = ctx.acceptedNonce;
  if (nonce === undefined) throw new MissingRoleError('the nonce of the accepted request');
  return nonce;
}

/** The signing time at a window edge, against the target's clock. */
function timeAtEdge(ctx: FaultContext, edge: string): number {
  const timestamp = requireSigning(ctx, 'timestamp', 'a timestamp').parts.timestamp!;
  if (!/^(past|future)-(inside|outside)$/.test(edge))
    throw new Error(
      `timestampEdge is past-inside, past-outside, future-inside or future-outside, not ${JSON.stringify(edge)}`,
    );
  return edgeTimeMs(timestamp, clockOf(ctx), edge as TimestampEdge);
}

/**
 * A signature created inside the window and expired before the target checks it: created half
 * the window before the target's clock, expiring one second later. Only the expiry is wrong, and
 * by far: a server that grants the expiry a leeway short of half the window refuses it too.
 */
function expiredSignature(ctx: FaultContext): { createdMs: number; expiresMs: number } {
  const signing = requireSigning(ctx, 'expires', 'an expiry');
  const timestamp = signing.parts.timestamp;
  if (timestamp === undefined)
    throw new MissingRoleError(`a timestamp in the ${schemeOf(signing.config)} signing scheme`);
  const w = clockOf(ctx);
  const lo = Math.floor(w.loMs / 1000);
  const created = lo - Math.floor(timestamp.skewSeconds / 2);
  const expires = created + 1;
  // Inside the window and past the expiry wherever in its window the target's clock is.
  if (Math.ceil(w.hiMs / 1000) - created >= timestamp.skewSeconds || expires >= lo)
    throw new Error(
      `a ${timestamp.skewSeconds} s window is too narrow to sign inside it with an expiry already past`,
    );
  return { createdMs: created * 1000, expiresMs: expires * 1000 };
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

function tampered(
  ctx: FaultContext,
  req: OutgoingRequest,
  what: 'body' | 'query',
): OutgoingRequest {
  const signing = routeSigning(ctx.profile, ctx.route);
  if (signing && !signing.parts.covers[what])
    throw new MissingRoleError(`the ${what} among what the signature covers`);
  if (what === 'body') return { ...req, body: (req.body ?? '{}') + ' ' };
  return {
    ...req,
    pathWithQuery: req.pathWithQuery + (req.pathWithQuery.includes('?') ? '&' : '?') + 'tampered=1',
  };
}
