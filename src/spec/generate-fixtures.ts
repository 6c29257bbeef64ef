/**
 * A complete seeded world for a profile that comes without fixtures: two parties of every binding
 * kind (the caller's and another), a key for every role the scenarios use (valid, second,
 * revoked, expired, scope-limited, wildcard, another party's, each type and environment), HMAC
 * secrets of two signing identities, a JWT signing key, a user, and a record for every resource
 * the routes name (with its other-environment and other-party twins). Secrets are fresh random
 * test values (node's crypto); ids are readable, and in the shape the body schemas pin where the
 * mock puts them into an answer (`^txn_…`, a key id read off its value's `id` group): see
 * id-shapes.ts. The caller's records are of the environment of the caller's main key. What it
 * returns passes checkFixtures.
 */
import { generateKeyPairSync, randomBytes, randomInt, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { anchored } from '../model/anchored-pattern.ts';
import { placeholderNames } from '../model/resource-placeholders.ts';
import type {
  FixtureKey,
  FixtureRecord,
  FixtureRoles,
  Fixtures,
  FixtureUser,
  Party,
} from '../model/fixtures.ts';
import {
  BINDING_KINDS,
  type BindingKind,
  type Environment,
  type KeyFormat,
  type Profile,
} from '../model/profile.ts';
import { otherPartyResource } from '../model/jwt-claims.ts';
import { keyFormatById } from '../model/resolved-profile.ts';
import { drawId, fieldValue, idShapes } from './id-shapes.ts';
import { scopeVocabulary } from '../model/scope-vocabulary.ts';

const PLURAL: Record<BindingKind, 'tenants' | 'merchants' | 'stores' | 'organizations'> = {
  tenant: 'tenants',
  merchant: 'merchants',
  store: 'stores',
  organization: 'organizations',
};
const DAY_MS = 86_400_000;

export function generateFixtures(profile: Profile, now: number = Date.now()): Fixtures {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const formats = Object.entries(profile.keyFormats ?? {});
  const envOf = (f: KeyFormat) => f.environment;
  const hasEnv = formats.some(([, f]) => envOf(f) !== undefined);
  const pick = (type: string | undefined, env: Environment | undefined) =>
    formats.find(([, f]) => (type === undefined || f.type === type) && envOf(f) === env)?.[0];
  const mainType = formats.some(([, f]) => f.type === 'secret') ? 'secret' : formats[0]?.[1].type;
  // The caller's main key: of the test environment when its type has one, else whatever it has;
  // the caller's records are of that key's environment (a live-only key reaches live records).
  const main =
    pick(mainType, hasEnv ? 'test' : undefined) ??
    formats.find(([, f]) => f.type === mainType)?.[0] ??
    formats[0]?.[0];
  const homeEnv: Environment | undefined = hasEnv
    ? (profile.keyFormats?.[main ?? '']?.environment ?? 'test')
    : undefined;
  const awayEnv: Environment = homeEnv === 'live' ? 'test' : 'live';
  const shapes = idShapes(profile);
  const taken = new Set<string>();
  const fresh = (target: string, preferred: (() => string)[], ok?: (v: string) => boolean) => {
    const unused = (v: string) => !taken.has(v) && (ok?.(v) ?? true);
    const id =
      drawId(shapes.get(target) ?? [], preferred, unused) ?? firstUnused(preferred, unused);
    taken.add(id);
    return id;
  };

  // Parties: every binding kind the profile names, and a merchant for each signing identity.
  const kinds = new Set<BindingKind>([
    ...(Object.keys(profile.bindings ?? {}) as BindingKind[]),
    ...formats.flatMap(([, f]) => f.boundTo ?? []),
  ]);
  // Kinds a key or request is bound to; a merchant made only for signing is not one of them.
  const boundKinds = new Set(kinds);
  if (Object.keys(profile.signing ?? {}).length > 0) kinds.add('merchant');
  const mine: Partial<Record<BindingKind, string>> = {};
  const other: Partial<Record<BindingKind, string>> = {};
  const fx: Fixtures = { profile: profile.id, keys: [], roles: {} };
  for (const kind of BINDING_KINDS) {
    if (!kinds.has(kind)) continue;
    const pattern = profile.bindings?.[kind]?.pattern;
    const ok = (v: string) => pattern === undefined || anchored(pattern).test(v);
    const preferred =
      pattern === undefined
        ? [randomUUID]
        : [
            () => `${kind}-${randomBytes(4).toString('hex')}`,
            randomUUID,
            () => drawMatching(pattern) ?? `${kind}_${randomBytes(4).toString('hex')}`,
          ];
    mine[kind] = fresh(`party:${kind}`, preferred, ok);
    other[kind] = fresh(`party:${kind}`, preferred, ok);
    const parties: Party[] = [
      { id: mine[kind]!, name: `Home ${kind}` },
      { id: other[kind]!, name: `Other ${kind}` },
    ];
    fx[PLURAL[kind]] = parties;
  }
  // Merchants sit within a tenant: both of the caller's tenant (the other merchant is a sibling).
  if (mine.tenant !== undefined)
    for (const m of fx.merchants ?? []) if (boundKinds.has('merchant')) m.tenant = mine.tenant;
  // Keys carry the parties their format is bound to, and those the profile reads off a key.
  const keyParties = (f: KeyFormat, parties: Partial<Record<BindingKind, string>>) => {
    const out: Partial<Record<BindingKind, string>> = {};
    for (const kind of BINDING_KINDS)
      if (boundKinds.has(kind) && (f.boundTo?.includes(kind) || profile.bindings?.[kind]))
        out[kind] = parties[kind];
    return out;
  };

  const roles: FixtureRoles = {};
  const roleKeys: NonNullable<FixtureRoles['keys']> = {};
  const values = new Set<string>();
  // Key ids: the `id` group of the value where the format's pattern has one (sk_<id>.<secret>),
  // else in the shape the key-management bodies give them, else UUIDs. `label` names the role.
  const addKey = (
    label: string,
    formatId: string,
    extra: Partial<FixtureKey> = {},
    parties: Partial<Record<BindingKind, string>> = mine,
  ): string => {
    const f = keyFormatById(profile, formatId);
    let value = drawKeyValue(f);
    let inValue = anchored(f.pattern).match(value)?.groups.id;
    while (values.has(value) || (inValue !== undefined && taken.has(inValue))) {
      value = drawKeyValue(f);
      inValue = anchored(f.pattern).match(value)?.groups.id;
    }
    values.add(value);
    const id = inValue ?? fresh('key', [randomUUID]);
    taken.add(id);
    fx.keys.push({
      id,
      value,
      format: formatId,
      status: 'active',
      createdAt: iso(now - 30 * DAY_MS),
      description: label,
      ...keyParties(f, parties),
      ...extra,
    });
    return id;
  };

  const routeScopes = [
    ...new Set(profile.routes.flatMap((r) => (r.scope !== undefined ? [r.scope] : []))),
  ];
  if (main !== undefined) {
    roleKeys.valid = addKey('key_valid', main, { name: 'Valid key (full access)' });
    roleKeys.second = addKey('key_second', main, { name: 'Second key of the same parties' });
    roleKeys.sameMerchant = roleKeys.second;
    roleKeys.revoked = addKey('key_revoked', main, {
      status: 'revoked',
      revokedAt: iso(now - DAY_MS),
      name: 'Revoked key',
    });
    if (profile.denials.expired_credential !== undefined)
      roleKeys.expired = addKey('key_expired', main, {
        expiresAt: iso(now - DAY_MS),
        name: 'Expired key',
      });
    if (routeScopes.length > 0) {
      // One scope (through its alias when one has one: a key holding an alias is what the
      // alias scenarios need), so the routes of other scopes refuse it.
      const aliasOf = (scope: string) =>
        Object.entries(profile.scopes?.aliases ?? {}).find(([, t]) => t === scope)?.[0];
      const scope = routeScopes.find((s) => aliasOf(s) !== undefined) ?? routeScopes[0]!;
      const alias = aliasOf(scope);
      roleKeys.scopeLimited = addKey('key_scope_limited', main, {
        scopes: [alias ?? scope],
        name: `Holds ${alias ?? scope} only`,
      });
    }
    // A resource wildcard (from the vocabulary or resources x actions) granting the most routes'
    // scopes but not all of them, so it is both used and bounded.
    const wildcard = profile.scopes?.wildcard;
    const grants = (w: string) =>
      routeScopes.filter((r) => r.startsWith(w.slice(0, -wildcard!.length))).length;
    const wildScope =
      wildcard !== undefined
        ? [...scopeVocabulary(profile.scopes)]
            .filter((s) => s.endsWith(wildcard) && grants(s) > 0)
            .sort(
              (a, b) =>
                Number(grants(a) === routeScopes.length) -
                  Number(grants(b) === routeScopes.length) || grants(b) - grants(a),
            )[0]
        : undefined;
    if (wildScope !== undefined)
      roleKeys.wildcard = addKey('key_wildcard', main, {
        scopes: [wildScope],
        name: `Holds ${wildScope}`,
      });
    for (const kind of BINDING_KINDS) {
      if (!boundKinds.has(kind)) continue;
      const role = otherPartyResource(kind) as 'otherTenant';
      roleKeys[role] = addKey(
        `key_${role.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
        main,
        { name: `Key of another ${kind}` },
        { ...mine, [kind]: other[kind] },
      );
    }
    const byType: Record<string, string> = {};
    for (const type of new Set(formats.map(([, f]) => f.type))) {
      const id = type === mainType ? roleKeys.valid : undefined;
      const formatId = pick(type, homeEnv) ?? pick(type, undefined) ?? pick(type, 'live');
      if (formatId === undefined) continue;
      byType[type] = id ?? addKey(`key_${type}`, formatId, { name: `A ${type} key` });
      if (type === 'publishable') roleKeys.publishable = byType[type];
    }
    if (Object.keys(byType).length > 0) roleKeys.byType = byType;
    if (byType.system !== undefined) roleKeys.system = byType.system;
    if (hasEnv && homeEnv !== undefined) {
      // The valid key stands for its own environment; a key of the other one, of its type if
      // it has one there, else of any type.
      roleKeys[homeEnv] = roleKeys.valid;
      const away = pick(mainType, awayEnv) ?? pick(undefined, awayEnv);
      if (away !== undefined)
        roleKeys[awayEnv] = addKey(`key_${awayEnv}`, away, { name: `A ${awayEnv} key` });
    }
  }
  if (Object.keys(roleKeys).length > 0) roles.keys = roleKeys;

  // HMAC: a secret for the caller's signing identity (its merchant) and for another one.
  if (Object.keys(profile.signing ?? {}).length > 0 && mine.merchant && other.merchant) {
    // An asymmetric scheme (RFC 9421 ed25519) signs with a private key the mock verifies with
    // its public half; every other scheme shares a secret.
    const asymmetric = Object.values(profile.signing ?? {}).some(
      (s) => s.scheme === 'rfc9421' && s['algorithm'] === 'ed25519',
    );
    const material = () => {
      if (!asymmetric) return { secret: randomBytes(32).toString('base64url') };
      const pair = generateKeyPairSync('ed25519');
      return {
        privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
    };
    fx.hmacSecrets = [
      { merchant: mine.merchant, ...material() },
      { merchant: other.merchant, ...material() },
    ];
    roles.hmac = mine.merchant;
    roles.otherMerchantHmac = other.merchant;
  }

  // A user the tokens are minted for (sub), of the caller's parties; a login when tokens are issued.
  const jwtTokens = Object.entries(profile.tokens ?? {}).filter(([, t]) => t.kind === 'jwt');
  if (Object.keys(profile.tokens ?? {}).length > 0) {
    const user: FixtureUser = {
      id: fresh('user', [randomUUID]),
      email: `user-${randomBytes(3).toString('hex')}@example.com`,
      password: randomBytes(18).toString('base64url'),
      ...mine,
    };
    // The login answer shows the user's role (${loginUser.role}): one its schema takes.
    const roleShape = shapes.get('user:role');
    if (roleShape !== undefined) user.role = String(fieldValue(roleShape, now));
    if (routeScopes.length > 0) user.scopes = [...routeScopes];
    fx.users = [user];
    if (Object.values(profile.tokens ?? {}).some((t) => t.issue !== undefined && !clientGrant(t)))
      roles.login = user.id;
  }
  // An OAuth client of the caller's parties, holding every scope the routes need, where tokens
  // are obtained by a client-credentials grant.
  if (Object.values(profile.tokens ?? {}).some(clientGrant)) {
    fx.clients = [
      {
        id: `client_${randomBytes(4).toString('hex')}`,
        secret: randomBytes(24).toString('base64url'),
        ...mine,
        ...(routeScopes.length > 0 ? { scopes: [...routeScopes] } : {}),
      },
    ];
    roles.client = fx.clients[0]!.id;
  }
  if (jwtTokens.length > 0) {
    fx.jwtKeys = jwtTokens.map(([id, t]) => {
      const alg = t.kind === 'jwt' ? t.algorithms[0]! : 'HS256';
      return {
        kid: `${id}-${randomBytes(3).toString('hex')}`,
        token: id,
        alg,
        ...jwtMaterial(alg),
      };
    });
    roles.jwt = fx.jwtKeys[0]!.kid;
  }

  // Records: one per resource a route names, in the caller's environment and parties; the
  // other-environment and other-party twins in theirs.
  const resources: Record<string, string> = {};
  const records: Record<string, FixtureRecord[]> = {};
  const lifecycleRoutes = new Map(
    (['get', 'revoke', 'rotate', 'delete'] as const).flatMap((op) => {
      const route = profile.lifecycle?.[op]?.route;
      return route !== undefined ? [[route, op] as const] : [];
    }),
  );
  const addRecord = (
    name: string,
    collection: string,
    env: Environment | undefined,
    parties: Partial<Record<BindingKind, string>>,
  ) => {
    if (resources[name] !== undefined) return;
    const id = fresh(`resource:${collection}`, [randomUUID]);
    // Fields the answers read off the record (${record.amount}), of the type their schema asks.
    const fields: Record<string, unknown> = {};
    for (const [target, nodes] of shapes) {
      const field = target.startsWith(`record:${collection}.`)
        ? target.slice(`record:${collection}.`.length)
        : undefined;
      if (field !== undefined && field !== 'environment' && !BINDING_KINDS.includes(field as never))
        fields[field] = fieldValue(nodes, now);
    }
    (records[collection] ??= []).push({
      id,
      ...fields,
      ...(env ? { environment: env } : {}),
      ...parties,
    });
    resources[name] = id;
  };
  for (const route of profile.routes) {
    const op = lifecycleRoutes.get(route.id);
    for (const ref of Object.values(route.params ?? {})) {
      const res = typeof ref === 'string' ? ref : ref.resource;
      if (op !== undefined && main !== undefined) {
        // A key-management route names a key: `get` the valid one, the others a spare one.
        resources[res] ??=
          op === 'get' ? roleKeys.valid! : addKey(`key_spare_${res}`, main, { name: 'Spare key' });
        continue;
      }
      if ((BINDING_KINDS as readonly string[]).includes(res)) {
        // A path that names a party (a store id): the caller's party, and the other one.
        const kind = res as BindingKind;
        if (mine[kind] !== undefined) resources[res] ??= mine[kind]!;
        for (const [field, name] of Object.entries(typeof ref === 'string' ? {} : ref))
          if (field !== 'resource' && field !== 'otherEnvironment' && other[kind] !== undefined)
            resources[name] ??= other[kind]!;
        continue;
      }
      addRecord(res, res, homeEnv, mine);
      if (typeof ref === 'string') continue;
      if (ref.otherEnvironment) addRecord(ref.otherEnvironment, res, awayEnv, mine);
      for (const kind of BINDING_KINDS) {
        const name = ref[otherPartyResource(kind) as 'otherTenant'];
        if (name !== undefined) addRecord(name, res, homeEnv, { ...mine, [kind]: other[kind] });
      }
    }
    for (const name of placeholderNames(route.requestBody))
      if (!(BINDING_KINDS as readonly string[]).includes(name))
        addRecord(name, name, homeEnv, mine);
  }
  for (const kind of BINDING_KINDS) {
    if (mine[kind] !== undefined) resources[kind] ??= mine[kind]!;
    if (other[kind] !== undefined) resources[otherPartyResource(kind)] ??= other[kind]!;
  }
  if (fx.users) resources.user ??= fx.users[0]!.id;
  if (Object.keys(records).length > 0) fx.records = records;
  if (Object.keys(resources).length > 0) roles.resources = resources;
  fx.roles = roles;
  return fx;
}

/** The first value of the makers that is acceptable (a few tries each). */
function firstUnused(makers: (() => string)[], ok: (v: string) => boolean): string {
  for (let i = 0; i < 50; i++)
    for (const make of makers) {
      const v = make();
      if (ok(v)) return v;
    }
  throw new Error('cannot draw a fresh id');
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGIT = '0123456789';
const ALNUM = LOWER + UPPER + DIGIT;

/** A key of the format: in the shape of its example if it has one, else drawn from the pattern. */
export function drawKeyValue(f: KeyFormat): string {
  const re = anchored(f.pattern);
  const body = f.example?.slice(f.prefix.length);
  for (let attempt = 0; attempt < 20; attempt++) {
    let candidate: string;
    if (body !== undefined && body !== '') {
      const hex = /^[0-9a-f]+$/.test(body) ? '0123456789abcdef' : undefined;
      const HEX = /^[0-9A-F]+$/.test(body) ? '0123456789ABCDEF' : undefined;
      const bytes = randomBytes(body.length);
      candidate =
        f.prefix +
        [...body]
          .map((ch, i) => {
            const pool =
              hex ??
              HEX ??
              (DIGIT.includes(ch)
                ? DIGIT
                : LOWER.includes(ch)
                  ? LOWER
                  : UPPER.includes(ch)
                    ? UPPER
                    : undefined);
            return pool ? pool[bytes[i]! % pool.length] : ch;
          })
          .join('');
    } else {
      const bytes = randomBytes(32);
      candidate = f.prefix + [...bytes].map((b) => ALNUM[b % ALNUM.length]).join('');
    }
    if (re.test(candidate)) return candidate;
  }
  const drawn = drawMatching(f.pattern);
  if (drawn !== undefined) return drawn;
  throw new Error(`cannot draw a key matching /${f.pattern}/; give the format an example`);
}

/** A printable-ASCII string the whole pattern matches, drawn with a random seed. */
function drawMatching(pattern: string): string | undefined {
  const re = anchored(pattern);
  let js: RegExp;
  try {
    js = new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
  const drawn = fc.sample(fc.stringMatching(js), { numRuns: 100, seed: randomInt(2 ** 31 - 1) });
  return drawn.find((s) => /^[\x21-\x7e]+$/.test(s) && re.test(s));
}

function jwtMaterial(alg: string): {
  secret?: string;
  privateKeyPem?: string;
  publicKeyPem?: string;
} {
  if (alg.startsWith('HS')) return { secret: randomBytes(48).toString('base64url') };
  const pair = alg.startsWith('ES')
    ? generateKeyPairSync('ec', {
        namedCurve: alg === 'ES384' ? 'P-384' : alg === 'ES512' ? 'P-521' : 'P-256',
      })
    : alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function clientGrant(t: NonNullable<Profile['tokens']>[string]): boolean {
  return t.kind === 'jwt' && t.issue?.grant === 'client_credentials';
}
