/**
 * The key lifecycle as a model-based test: fast-check draws a sequence of create, use, list,
 * get, revoke, rotate, delete and (where the target's clock can move) wait-out-the-grace
 * commands; after each one the target's answer must agree with a model of the keys created in
 * the run. What the model holds is only what the profile states: a created key works at once
 * and is shown whole only in the create (and rotate) answer; a revoked key is refused as revoked,
 * and never comes back; a deleted key is unknown and no longer listed; after a rotation the new
 * secret works and the old one works for exactly the profile's grace period, then is refused.
 */
import { clockMover, DEFAULT_MAX_WAIT_SECONDS, unwaitedReason } from '../clock-mover.ts';
import fc from 'fast-check';
import type { CredentialKey, Credentials } from '../../model/credentials.ts';
import type { DenialReason, LifecycleOp } from '../../model/profile.ts';
import type { ResolvedRoute, ResolvedProfile } from '../../model/resolved-profile.ts';
import { anchored } from '../../model/anchored-pattern.ts';
import { scopeGrants } from '../../model/scope-vocabulary.ts';
import { filledRequestBody, keyForRole } from '../../request/build-request.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { routesFor } from '../../scenario/route-filter.ts';
import { CheckFailure } from '../../check/check-failure.ts';
import { jsonPointer } from '../../model/json-pointer.ts';
import { changesState } from '../../model/state-changing-routes.ts';
import type { EngineContext } from '../engine-context.ts';
import {
  callRoute,
  expectDenial,
  expectSuccess,
  routeById,
  type ModelSession,
} from './model-session.ts';
import type { PreparedModel } from './prepared-model.ts';

interface ModelKey {
  /** Its place in the run, for messages: "key #2". */
  n: number;
  id: string;
  value: string;
  state: 'active' | 'revoked' | 'deleted';
  /** Secrets replaced by a rotation, and until when (target clock, seconds) each still works. */
  retired: { value: string; until: number }[];
}

interface LifecycleState {
  keys: ModelKey[];
}

type Command = fc.AsyncCommand<LifecycleState, ModelSession>;

/** Seconds either side of a grace deadline in which the model asserts nothing (clock reads). */
const CLOCK_SLACK = 2;
const MAX_LIVE_KEYS = 3;

export function prepareKeyLifecycle(ctx: EngineContext): PreparedModel<LifecycleState> | null {
  const { profile, creds } = ctx;
  const lc = profile.lifecycle;
  if (!lc?.create) return null;
  const createRoute = routeById(ctx, lc.create.route);
  const createBody = (createRoute.requestBody ?? {}) as Record<string, unknown>;
  // What the created key is bound to, read from the body as sent (its ${resource} ids filled);
  // a resource the credentials lack leaves the placeholder, and the create call itself SKIPs.
  let sentBody = createBody;
  try {
    sentBody = (filledRequestBody(profile, creds, createRoute) ?? {}) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof MissingRoleError)) throw e;
  }
  const template = createdKeyTemplate(profile, creds, lc.create, sentBody);
  const useRoutes = routesUsableBy(profile, creds, template);
  const grace = lc.rotationGraceSeconds ?? 0;

  const live = (m: LifecycleState) => m.keys.filter((k) => k.state !== 'deleted');
  const pick = <T>(list: T[], i: number): T => list[i % list.length]!;

  const create = command(
    'create',
    (m) => live(m).length < MAX_LIVE_KEYS,
    async (m, s) => {
      const { res } = await callRoute(s, `create key #${m.keys.length + 1}`, createRoute, {
        body: createBody,
      });
      expectSuccess(s, createRoute, res, 'creating a key');
      const id = stringAt(res.body, lc.create!.idAt, 'the created key id');
      const value = stringAt(res.body, lc.create!.keyAt, 'the created key');
      expectFormat(profile, lc.create!.format, value, 'the created key');
      s.obtained.add(value);
      m.keys.push({ n: m.keys.length + 1, id, value, state: 'active', retired: [] });
    },
  );
  const commands: fc.Arbitrary<Command>[] = [fc.constant(create)];

  if (useRoutes.length > 0) {
    const rotated = (m: LifecycleState) => m.keys.filter((k) => k.retired.length > 0);
    commands.push(
      fc.tuple(fc.nat(), fc.nat()).map(([k, r]) =>
        command(
          `use(${k}, ${r})`,
          () => true,
          (m, s) => useKey(s, pick(m.keys, k), pick(useRoutes, r), false, template),
        ),
      ),
      fc.tuple(fc.nat(), fc.nat()).map(([k, r]) =>
        command(
          `use-old-secret(${k}, ${r})`,
          (m) => rotated(m).length > 0,
          (m, s) => useKey(s, pick(rotated(m), k), pick(useRoutes, r), true, template),
        ),
      ),
    );
  }
  if (lc.list) {
    const op = lc.list;
    const route = routeById(ctx, op.route);
    commands.push(
      fc.constant(
        command(
          'list',
          () => true,
          (m, s) => listKeys(s, m, route, op),
        ),
      ),
    );
  }
  if (lc.get) {
    const op = lc.get;
    const route = routeById(ctx, op.route);
    commands.push(
      fc.nat().map((i) =>
        command(
          `get(${i})`,
          (m) => live(m).length > 0,
          (m, s) => getKey(s, m, pick(live(m), i), route, op),
        ),
      ),
    );
  }
  if (lc.revoke) {
    const route = routeById(ctx, lc.revoke.route);
    const active = (m: LifecycleState) => m.keys.filter((k) => k.state === 'active');
    commands.push(
      fc.nat().map((i) =>
        command(
          `revoke(${i})`,
          (m) => active(m).length > 0,
          async (m, s) => {
            const k = pick(active(m), i);
            const { res } = await callRoute(s, `revoke key #${k.n}`, route, {
              paramValue: k.id,
              ...(route.requestBody !== undefined ? { body: route.requestBody } : {}),
            });
            expectSuccess(s, route, res, `revoking key #${k.n}`);
            k.state = 'revoked';
          },
        ),
      ),
    );
  }
  if (lc.rotate) {
    const op = lc.rotate;
    const route = routeById(ctx, op.route);
    commands.push(
      fc.nat().map((i) =>
        command(
          `rotate(${i})`,
          (m) => live(m).length > 0,
          async (m, s) => rotateKey(s, pick(live(m), i), route, op, grace),
        ),
      ),
    );
  }
  if (lc.delete) {
    const route = routeById(ctx, lc.delete.route);
    commands.push(
      fc.nat().map((i) =>
        command(
          `delete(${i})`,
          (m) => live(m).length > 0,
          async (m, s) => {
            const k = pick(live(m), i);
            const { res } = await callRoute(s, `delete key #${k.n}`, route, { paramValue: k.id });
            expectSuccess(s, route, res, `deleting key #${k.n}`);
            k.state = 'deleted';
          },
        ),
      ),
    );
  }
  const wait = grace + CLOCK_SLACK + 1;
  const mover = clockMover(ctx.target, wait, ctx.maxWaitSeconds, ctx.guest?.clock);
  if (lc.rotate && grace > 0 && mover) {
    commands.push(
      fc.constant(
        command(
          `wait out the ${grace} s rotation grace`,
          (m) => mover.available() && m.keys.some((k) => k.retired.length > 0),
          async () => mover.move(wait),
        ),
      ),
    );
  }

  return {
    commands,
    initial: () => ({ keys: [] }),
    preamble: (m, s) => create.run(m, s),
    // A guest leaves no working key behind on a target it cannot reset.
    cleanup: async (m, s) => {
      if (ctx.target.reset || !lc.revoke) return;
      const route = routeById(ctx, lc.revoke.route);
      for (const k of m.keys.filter((x) => x.state === 'active'))
        await callRoute(s, `clean up key #${k.n}`, route, { paramValue: k.id }).catch(() => {});
    },
    ...(lc.rotate && grace > 0 && mover ? { movers: [mover] } : {}),
    ...(lc.rotate && grace > 0 && !mover
      ? {
          unchecked: unwaitedReason(
            `the end of the ${grace} s rotation grace (a rotated secret must stop working)`,
            wait,
            ctx.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS,
          ),
        }
      : {}),
  };
}

function command(
  name: string,
  check: (m: Readonly<LifecycleState>) => boolean,
  run: (m: LifecycleState, s: ModelSession) => Promise<void>,
): Command {
  return { check, run, toString: () => name };
}

async function useKey(
  s: ModelSession,
  k: ModelKey,
  route: ResolvedRoute,
  old: boolean,
  template: CredentialKey,
): Promise<void> {
  const retired = old ? k.retired.at(-1) : undefined;
  const value = retired?.value ?? k.value;
  const label = `use key #${k.n}${retired ? ' (its secret before rotation)' : ''} on ${route.id}`;
  const creds = withKey(s.ctx.creds, { ...template, id: k.id, value });
  const { res } = await callRoute(s, label, route, { creds, keyRole: 'valid' });
  let expected: 'accepted' | DenialReason | undefined;
  if (k.state === 'deleted') expected = 'unknown_credential';
  else if (k.state === 'revoked') expected = 'revoked_credential';
  else if (!retired) expected = 'accepted';
  else {
    const now = s.ctx.target.nowSeconds();
    if (now < retired.until - CLOCK_SLACK) expected = 'accepted';
    else if (now > retired.until + CLOCK_SLACK) {
      expected = 'revoked_credential';
      s.noteTimeChecked?.();
    }
  }
  const state = retired
    ? `${k.state === 'active' ? 'rotated' : k.state} key's old secret`
    : `${k.state} key`;
  if (expected === 'accepted')
    expectSuccess(s, route, res, `${label}: a ${state} must be accepted`);
  else if (expected) expectDenial(s, route, res, expected, `${label}: a ${state}`);
}

async function rotateKey(
  s: ModelSession,
  k: ModelKey,
  route: ResolvedRoute,
  op: LifecycleOp,
  grace: number,
): Promise<void> {
  const { profile } = s.ctx;
  const { res } = await callRoute(s, `rotate key #${k.n}`, route, {
    paramValue: k.id,
    ...(route.requestBody !== undefined ? { body: route.requestBody } : {}),
  });
  if (k.state === 'revoked' && profile.lifecycle?.revokedCanReactivate !== true) {
    if (res.status < 400 || res.status >= 500)
      throw new CheckFailure(
        'expectStatus',
        `rotating revoked key #${k.n} was answered ${res.status}: the profile says a revoked key never comes back, so a 4xx refusal was expected`,
      );
    return;
  }
  expectSuccess(s, route, res, `rotating key #${k.n}`);
  const value = stringAt(res.body, op.keyAt, 'the rotated key');
  expectFormat(profile, op.format ?? profile.lifecycle?.create?.format, value, 'the rotated key');
  if (value === k.value)
    throw new CheckFailure('rotation', `rotating key #${k.n} answered the same secret`);
  s.obtained.add(value);
  k.retired.push({ value: k.value, until: s.ctx.target.nowSeconds() + grace });
  k.value = value;
}

async function listKeys(
  s: ModelSession,
  m: LifecycleState,
  route: ResolvedRoute,
  op: LifecycleOp,
): Promise<void> {
  const { res } = await callRoute(s, 'list keys', route);
  expectSuccess(s, route, res, 'listing keys');
  const items = jsonPointer(res.body, op.listAt ?? '');
  if (!Array.isArray(items))
    throw new CheckFailure('list', `the list answer has no array at ${op.listAt ?? '(root)'}`);
  expectNoFullKey(s, m, res.rawBody, 'the list');
  if (!op.idAt) return;
  const byId = new Map(items.map((it) => [jsonPointer(it, op.idAt!), it]));
  for (const k of m.keys) {
    const item = byId.get(k.id);
    if (k.state === 'deleted' && item !== undefined)
      throw new CheckFailure('list', `deleted key #${k.n} (id ${k.id}) is still listed`);
    if (k.state === 'active' && item === undefined)
      throw new CheckFailure(
        'list',
        `key #${k.n} (id ${k.id}), created in this run, is not listed`,
      );
    if (item !== undefined && op.keyAt) expectMasked(s.ctx.profile, k, jsonPointer(item, op.keyAt));
  }
}

async function getKey(
  s: ModelSession,
  m: LifecycleState,
  k: ModelKey,
  route: ResolvedRoute,
  op: LifecycleOp,
): Promise<void> {
  const { res } = await callRoute(s, `get key #${k.n}`, route, { paramValue: k.id });
  expectSuccess(s, route, res, `reading key #${k.n}`);
  expectNoFullKey(s, m, res.rawBody, `the answer for key #${k.n}`);
  if (op.keyAt) expectMasked(s.ctx.profile, k, jsonPointer(res.body, op.keyAt));
}

/** No key of the run (nor any secret of the credentials) appears whole after its creation. */
function expectNoFullKey(s: ModelSession, m: LifecycleState, raw: string, where: string): void {
  for (const k of m.keys) {
    for (const v of [k.value, ...k.retired.map((r) => r.value)]) {
      if (raw.includes(v))
        throw new CheckFailure(
          'expectMasked',
          `${where} shows key #${k.n} in full: a key is shown whole only when it is created`,
        );
    }
  }
}

function expectMasked(profile: ResolvedProfile, k: ModelKey, shown: unknown): void {
  const mask = profile.lifecycle?.mask;
  if (!mask || typeof shown !== 'string') return;
  const last = k.value.slice(-mask.showLast);
  if (!shown.endsWith(last))
    throw new CheckFailure(
      'expectMasked',
      `key #${k.n} is shown as "${shown.slice(0, 8)}...": the profile shows the last ${mask.showLast} characters`,
    );
}

function expectFormat(
  profile: ResolvedProfile,
  format: string | undefined,
  value: string,
  what: string,
) {
  const f = format ? profile.keyFormats?.[format] : undefined;
  if (f && !anchored(f.pattern).test(value))
    throw new CheckFailure(
      'expectFormat',
      `${what} does not match the ${format} key format (${f.prefix}...)`,
    );
}

function stringAt(body: unknown, ptr: string | undefined, what: string): string {
  const v = ptr ? jsonPointer(body, ptr) : undefined;
  if (typeof v !== 'string' || v === '')
    throw new CheckFailure(
      'expectBodySchema',
      `${what} is not a string at ${ptr ?? '(no pointer)'}`,
    );
  return v;
}

/** What a created key is, as far as the harness can tell: the caller's key with the body's scopes and bindings. */
function createdKeyTemplate(
  profile: ResolvedProfile,
  creds: Credentials,
  op: LifecycleOp,
  body: Record<string, unknown>,
): CredentialKey {
  const valid = keyForRole(creds, 'valid');
  const key: CredentialKey = { ...valid };
  const scopes = op.scopesField ? body[op.scopesField] : undefined;
  if (Array.isArray(scopes)) key.scopes = scopes.map(String);
  for (const [kind, field] of Object.entries(op.bindingFields ?? {}))
    if (typeof body[field] === 'string') key[kind as 'merchant'] = body[field];
  const type = op.format ? profile.keyFormats?.[op.format]?.type : undefined;
  if (type) key.type = type;
  return key;
}

/** Calls a created key can make: its scopes, its type; no route that changes state. */
function routesUsableBy(
  profile: ResolvedProfile,
  creds: Credentials,
  key: CredentialKey,
): ResolvedRoute[] {
  const as = withKey(creds, key);
  return routesFor(profile, as, { auth: 'api_key' }).filter(
    (r) =>
      !changesState(profile, r) &&
      (r.scope === undefined || scopeGrants(profile.scopes, key.scopes ?? [], r.scope)) &&
      (!r.keyTypes || (key.type !== undefined && r.keyTypes.includes(key.type))),
  );
}

function withKey(creds: Credentials, key: CredentialKey): Credentials {
  return { ...creds, keys: { ...creds.keys, valid: key } };
}
