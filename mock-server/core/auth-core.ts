/**
 * The mock's auth core: one pure-in-spirit decision pipeline over a normalized request, the
 * profile, a state store and a clock. Adapters (Hapi, msw) translate to and from it and hold no
 * auth rule of their own. Order: route -> request shape -> credentials -> required bindings ->
 * key type -> bindings -> records -> scope -> signature -> rate limit -> the route's behaviour.
 */
import { BINDING_KINDS, type Route } from '../../src/model/profile.ts';
import type { KeyRecord } from '../state/state-store.ts';
import type { MockRequest, MockResponse } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';
import { Denial, renderDenial } from './deny.ts';
import { RouteTable } from './match-route.ts';
import { authenticate, type Caller } from './authenticate.ts';
import {
  bindingsOfRoute,
  bindingValue,
  callerBindings,
  checkBindings,
  checkKeyType,
  checkRequiredBindings,
  checkScope,
} from './check-access.ts';
import { verifySignature } from './verify-signature.ts';
import { signingOf, type RouteSigning } from '../../src/sign/signers.ts';
import type { ResolvedRoute } from '../../src/model/resolved-profile.ts';
import {
  checkRecords,
  namesNoRecords,
  rememberCreatedRecord,
  useUpRecords,
} from './check-records.ts';
import { StoreFullError } from '../state/state-store.ts';
import { nonceBound } from './nonce-bound.ts';
import { checkRateLimit } from './rate-limit.ts';
import { JwtVerifier } from './verify-jwt.ts';
import { jwksAnswers } from './publish-jwks.ts';
import { lifecycleOpOf, runLifecycle, type LifecycleOpName } from './key-lifecycle.ts';
import { issueTokens, tokenRoleOf, type TokenRole } from './issue-tokens.ts';
import { formBody } from './issue-client-token.ts';
import { renderExample, scopeNamesOf, type TemplateScope } from './render-example.ts';
import { scopeVocabulary } from '../../src/model/scope-vocabulary.ts';
import { MAX_BODY_BYTES, MAX_HEADER_VALUE } from './request-limits.ts';
import { isoTime } from './http-date.ts';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * What the profile says of a route, beyond the route itself: read from the profile once per
 * route (the first time it is asked), not once per request. The profile is fixed for the core's
 * life, as its route table is.
 */
interface RoutePlan {
  signing: RouteSigning | undefined;
  lifecycleOp: LifecycleOpName | undefined;
  tokenRole: TokenRole | undefined;
  /** Most nonces one merchant signing with this route's scheme may hold (nonce-bound.ts). */
  nonceBound: ((merchant: string) => number) | undefined;
  /** The success example shows a binding (`${merchant}`...): the scope holds the caller's. */
  showsBindings: boolean;
  /** The success example shows `${now}`: the scope holds it as ISO text. */
  showsNow: boolean;
}

export class AuthCore {
  private readonly routes: RouteTable<ResolvedRoute>;
  private readonly verifier: JwtVerifier;
  private readonly plans = new Map<ResolvedRoute, RoutePlan>();
  /** The JWK Set answer of a GET at a path where the profile publishes one. */
  private readonly jwks: (req: MockRequest) => MockResponse | undefined;

  constructor(readonly world: MockWorld) {
    this.routes = new RouteTable(world.profile.routes);
    this.verifier = new JwtVerifier(world.fixtures.jwtKeys ?? [], world.clock);
    this.jwks = jwksAnswers(world);
  }

  private planOf(route: ResolvedRoute): RoutePlan {
    let plan = this.plans.get(route);
    if (plan === undefined) {
      const signing = signingOf(route);
      const shown = scopeNamesOf(route.success.example);
      plan = {
        signing,
        lifecycleOp: lifecycleOpOf(this.world.profile.lifecycle, route),
        tokenRole: tokenRoleOf(this.world, route),
        nonceBound: signing && ((merchant) => nonceBound(this.world, signing.id, merchant)),
        showsBindings: BINDING_KINDS.some((kind) => shown.has(kind)),
        showsNow: shown.has('now'),
      };
      this.plans.set(route, plan);
    }
    return plan;
  }

  async handle(req: MockRequest): Promise<MockResponse> {
    try {
      return await this.decide(req);
    } catch (e) {
      if (e instanceof Denial) return renderDenial(this.world.profile, e.reason, e.context);
      // A full store refuses new work rather than forgetting what it holds (ARCHITECTURE.md,
      // principle 7): a 429, as the profile renders it, never a 500.
      if (e instanceof StoreFullError) return storeFull(this.world.profile, e);
      throw e;
    }
  }

  private async decide(req: MockRequest): Promise<MockResponse> {
    if (!isDecodablePath(req.path)) throw new Denial('malformed_request');
    const jwks = this.jwks(req);
    if (jwks) return jwks;
    const match = this.routes.match(req.method, req.path);
    if (!match) throw new Denial('not_found');
    const { route, params } = match;
    const plan = this.planOf(route);
    for (const name in req.headers)
      if (req.headers[name]!.length > MAX_HEADER_VALUE) throw new Denial('malformed_request');
    // A client-credentials token endpoint takes a form (RFC 6749 §4.4.2); every other route JSON.
    const form = plan.tokenRole?.kind === 'client' ? formBody(req) : undefined;
    const body = form ?? parseJsonBody(req.body);
    if (body !== undefined && route.requestBody !== undefined && asObject(body) !== body)
      throw new Denial('malformed_request');

    const caller = await authenticate(this.world, this.verifier, route, req, body);
    checkRequiredBindings(this.world, route, req, params, caller);
    // The signature before anything that depends on the caller's rights: without the secret,
    // nothing is learned about the key's type, bindings or scopes.
    if (plan.signing) {
      await verifySignature(
        plan.signing,
        req,
        this.world.fixtures.hmacSecrets ?? [],
        caller.key?.id ?? '',
        this.world.store,
        this.world.clock,
        plan.nonceBound!,
      );
    }
    checkKeyType(route, caller);
    checkBindings(this.world, route, req, params, caller);
    const reached =
      plan.lifecycleOp || namesNoRecords(route)
        ? []
        : await checkRecords(this.world, route, params, asObject(body), caller);
    checkScope(this.world, route, caller);
    const admission = await checkRateLimit(this.world, route, req, caller);
    try {
      if (reached.length > 0) await useUpRecords(this.world, route, reached);
      return await this.succeed(
        route,
        plan,
        req,
        params,
        asObject(body),
        caller,
        reached[0]?.fields,
      );
    } catch (e) {
      await admission.refund(); // refused after all: only admitted requests spend the window
      throw e;
    }
  }

  private async succeed(
    route: Route,
    plan: RoutePlan,
    req: MockRequest,
    params: Record<string, string>,
    body: Record<string, unknown>,
    caller: Caller,
    record: object | undefined,
  ): Promise<MockResponse> {
    const now = this.world.clock.now();
    // Object.assign, not one literal of two spreads and six fields: V8 builds that literal on a
    // slow path, about 9 µs on every success answer (measured on Node 20). The bindings and the
    // ISO time only where the example shows them: most examples show neither.
    const scope: TemplateScope = Object.assign(
      plan.showsBindings ? this.namedBindings(route, req, params) : {},
      plan.showsBindings ? callerBindings(this.world, caller) : undefined,
      {
        user: caller.jwt?.user?.id ?? (caller.jwt?.claims.sub as string | undefined),
        params,
        body: applyCaps(route, body),
        record,
        now: plan.showsNow ? isoTime(now) : undefined,
        nowMs: now,
      },
    );
    const op = plan.lifecycleOp;
    let keysForList: KeyRecord[] | undefined;
    if (op) {
      const { key, keys } = await runLifecycle(this.world, op, route, params, body, caller);
      if (key) scope.key = this.keyView(key, op === 'create' || op === 'rotate');
      keysForList = keys;
    }
    const { tokenRole } = plan;
    if (tokenRole) {
      const issued = await issueTokens(this.world, tokenRole, req, body, caller);
      Object.assign(scope, {
        token: issued.token,
        refreshToken: issued.refreshToken,
        expiresAt: new Date(issued.expiresAt).toISOString(),
        expiresIn: Math.round((issued.expiresAt - now) / 1000),
      });
      if (issued.user)
        Object.assign(scope, {
          user: issued.user.id,
          tenant: issued.user.tenant,
          merchant: issued.user.merchant ?? null,
          loginUser: issued.user,
        });
    }
    if (route.success.status === 204) return { status: 204, headers: {} };
    let out = renderExample(route.success.example ?? {}, scope);
    if (route.creates) await rememberCreatedRecord(this.world, route, out, caller);
    if (keysForList && this.world.profile.lifecycle?.list?.listAt !== undefined) {
      out = this.renderList(route, scope, keysForList);
    }
    // RFC 6749 §5.1: a token answer is not to be cached.
    const noStore: Record<string, string> =
      tokenRole?.kind === 'client' ? { 'cache-control': 'no-store' } : {};
    return { status: route.success.status, headers: { ...JSON_HEADERS, ...noStore }, body: out };
  }

  /**
   * Bindings the request names and the checks accepted (a merchant of a tenant-wide key's
   * tenant): they fill the body where the caller itself is not bound that narrowly.
   */
  private namedBindings(
    route: Route,
    req: MockRequest,
    params: Record<string, string>,
  ): Record<string, string> {
    const out: Record<string, string> = {};
    for (const used of bindingsOfRoute(this.world, route)) {
      const value = bindingValue(used, req, params);
      if (value !== undefined && used.binding.onMismatch !== 'ignore') out[used.kind] = value;
    }
    return out;
  }

  /** A list example holds one item at listAt: rendered once per key. */
  private renderList(route: Route, scope: TemplateScope, keys: KeyRecord[]): unknown {
    const pointer = this.world.profile.lifecycle!.list!.listAt!;
    const out = renderExample(route.success.example ?? {}, scope) as Record<string, unknown>;
    const segments = pointer.split('/').slice(1);
    const templateItem = segments.reduce<unknown>(
      (cur, s) => (cur as Record<string, unknown>)?.[s],
      route.success.example,
    );
    const items = keys.map((k) =>
      renderExample(Array.isArray(templateItem) ? templateItem[0] : templateItem, {
        ...scope,
        key: this.keyView(k, false),
      }),
    );
    if (segments.length === 0) return items;
    let parent: Record<string, unknown> = out;
    for (const s of segments.slice(0, -1)) parent = parent[s] as Record<string, unknown>;
    parent[segments.at(-1)!] = items;
    return out;
  }

  private keyView(key: KeyRecord, showFull: boolean): Record<string, unknown> {
    const fmt = this.world.profile.keyFormats?.[key.format];
    const mask = this.world.profile.lifecycle?.mask;
    const prefix = mask?.showPrefix === false ? '' : (fmt?.prefix ?? '');
    const last = mask?.showLast ?? 4;
    return {
      id: key.id,
      value: showFull ? key.value : undefined,
      masked: `${prefix}…${last > 0 ? key.value.slice(-last) : ''}`,
      status: key.status,
      name: key.name ?? null,
      description: key.description ?? null,
      // A key holding every scope shows the whole vocabulary.
      scopes: key.scopes ?? [...scopeVocabulary(this.world.profile.scopes)],
      createdAt: new Date(key.createdAt).toISOString(),
      revokedAt: key.revokedAt !== undefined ? new Date(key.revokedAt).toISOString() : null,
      merchant: key.merchant ?? null,
      tenant: key.tenant ?? null,
      organization: key.organization ?? null,
    };
  }
}

/** The body as the API acts on it: capped fields at their cap, missing ones at their default. */
function applyCaps(route: Route, body: Record<string, unknown>): Record<string, unknown> {
  if (!route.caps) return body;
  const out = { ...body };
  for (const cap of route.caps) {
    const v = out[cap.field];
    if (typeof v === 'number') out[cap.field] = Math.min(v, cap.max);
    else if (v === undefined && cap.default !== undefined) out[cap.field] = cap.default;
  }
  return out;
}

function storeFull(profile: MockWorld['profile'], e: StoreFullError): MockResponse {
  // Until the oldest entry expires (a nonce, a token, a rate window); keys and records only free
  // on a reset, so for those a minute, as before.
  const ms = e.retryAfterMs;
  const retryAfterSeconds =
    ms !== undefined && Number.isFinite(ms) ? Math.max(1, Math.ceil(ms / 1000)) : 60;
  if (profile.denials.rate_limited !== undefined)
    return renderDenial(profile, 'rate_limited', { retryAfterSeconds });
  return {
    status: 429,
    headers: { ...JSON_HEADERS, 'retry-after': String(retryAfterSeconds) },
    body: { error: 'mock_store_full', message: e.message },
  };
}

function isDecodablePath(path: string): boolean {
  if (!path.includes('%')) return true; // decodeURI throws only on a malformed escape
  try {
    decodeURI(path);
    return true;
  } catch {
    return false;
  }
}

/** One decoder for every body: decode() without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  if (bytes.length > MAX_BODY_BYTES) throw new Denial('malformed_request');
  try {
    return JSON.parse(UTF8.decode(bytes));
  } catch {
    throw new Denial('malformed_request');
  }
}

function asObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
