/**
 * The key-management routes a profile's `lifecycle` names: create (the full key shown once),
 * list and get (masked), revoke (every later request fails), rotate (a new secret for the same
 * id, the old one valid for the grace period), delete.
 */
import type { BindingKind, KeyFormat, Lifecycle, Route } from '../../src/model/profile.ts';
import { BINDING_KINDS } from '../../src/model/profile.ts';
import { StoreFullError, type KeyRecord } from '../state/state-store.ts';
import type { MockWorld } from './mock-world.ts';
import type { Caller } from './authenticate.ts';
import { callerBindings, heldScopes } from './check-access.ts';
import { Denial } from './deny.ts';
import { scopeGrants, scopeVocabulary } from '../../src/model/scope-vocabulary.ts';
import { drawKeyId, drawKeyValue, type DrawnKey } from './draw-key.ts';
import { keyFormatById } from '../../src/model/resolved-profile.ts';

export type LifecycleOpName = 'create' | 'list' | 'get' | 'revoke' | 'rotate' | 'delete';

export function lifecycleOpOf(
  lifecycle: Lifecycle | undefined,
  route: Route,
): LifecycleOpName | undefined {
  for (const op of ['create', 'list', 'get', 'revoke', 'rotate', 'delete'] as const) {
    if (lifecycle?.[op]?.route === route.id) return op;
  }
  return undefined;
}

/** The key(s) the operation acted on, for the success body. */
export async function runLifecycle(
  world: MockWorld,
  op: LifecycleOpName,
  route: Route,
  params: Record<string, string>,
  body: Record<string, unknown>,
  caller: Caller,
): Promise<{ key?: KeyRecord; keys?: KeyRecord[] }> {
  const lifecycle = world.profile.lifecycle!;
  const mine = callerBindings(world, caller);
  const now = world.clock.now();
  if (op === 'create') {
    const spec = lifecycle.create!;
    // The loader requires create's format (check-profile-references.ts).
    const format = keyFormatById(world.profile, spec.format ?? '');
    const existing = (await world.store.listKeys()).map((k) => k.id);
    const drawn = await drawUnused(world, format, (d) => d, existing);
    const key: KeyRecord = {
      id: drawn.id ?? drawKeyId(existing),
      value: drawn.value,
      format: format.id,
      type: format.type,
      status: 'active',
      createdAt: now,
    };
    if (format.environment) key.environment = format.environment;
    for (const b of BINDING_KINDS) {
      const field = spec.bindingFields?.[b];
      const v = field !== undefined ? body[field] : mine[b];
      if (field !== undefined && (typeof v !== 'string' || !partyExists(world, b, v)))
        throw new Denial('malformed_request');
      if (typeof v === 'string') key[b] = v;
    }
    if (
      spec.bindingFields?.merchant &&
      mine.merchant !== undefined &&
      key.merchant !== mine.merchant
    ) {
      throw new Denial('binding_mismatch', { binding: 'merchant' });
    }
    // A caller never creates a key stronger than itself: its scopes bound the new key's.
    const creator = heldScopes(caller);
    if (creator !== undefined) key.scopes = [...creator];
    if (spec.scopesField !== undefined) {
      const scopes = body[spec.scopesField];
      if (scopes !== undefined) {
        // Only scopes of the vocabulary (aliases, and wildcards where the profile has them).
        const vocabulary = scopeVocabulary(world.profile.scopes);
        if (
          !Array.isArray(scopes) ||
          !scopes.every((s) => typeof s === 'string' && vocabulary.has(s))
        ) {
          throw new Denial('malformed_request');
        }
        if (
          creator !== undefined &&
          !(scopes as string[]).every((x) => scopeGrants(world.profile.scopes, creator, x))
        ) {
          throw new Denial('insufficient_scope');
        }
        key.scopes = scopes as string[];
      }
    }
    for (const f of ['name', 'description'] as const)
      if (typeof body[f] === 'string') key[f] = body[f] as string;
    await world.store.putKey(key);
    return { key };
  }
  if (op === 'list') {
    const keys = (await world.store.listKeys()).filter(
      (k) => k.status !== 'deleted' && sameOwner(k, mine),
    );
    return { keys };
  }
  const id = Object.values(params)[0];
  const key = id === undefined ? undefined : await world.store.getKey(id);
  if (!key || key.status === 'deleted' || !sameOwner(key, mine)) throw new Denial('not_found');
  if (op === 'get') return { key };
  if (op === 'revoke') {
    if (key.status !== 'revoked')
      await world.store.putKey({ ...key, status: 'revoked', revokedAt: now });
    return { key: (await world.store.getKey(key.id))! };
  }
  if (op === 'rotate') {
    if (key.status !== 'active') throw new Denial('malformed_request');
    const format = keyFormatById(world.profile, key.format);
    // The id is the key's own; only the secret part changes. Put in at the id group's place:
    // the drawn id's letters may also stand earlier in the value (`sk_` holds an id `s`).
    const { value } = await drawUnused(world, format, (d) => ({
      value:
        d.id !== undefined && d.idEnd !== undefined
          ? d.value.slice(0, d.idEnd - d.id.length) + key.id + d.value.slice(d.idEnd)
          : d.value,
    }));
    const grace = (lifecycle.rotationGraceSeconds ?? 0) * 1000;
    const previous = [
      ...(key.previous ?? []).filter((p) => p.retiresAt > now),
      { value: key.value, retiresAt: now + grace },
    ];
    const rotated: KeyRecord = { ...key, value, previous };
    await world.store.putKey(rotated);
    return { key: rotated };
  }
  await world.store.putKey({ ...key, status: 'deleted' });
  return { key };
}

/** A key is managed only by a caller of its tenant, organization, store and (when bound to one) merchant. */
function sameOwner(key: KeyRecord, mine: Partial<Record<BindingKind, string>>): boolean {
  return (['tenant', 'organization', 'store', 'merchant'] as const).every(
    (b) => mine[b] === undefined || key[b] === undefined || key[b] === mine[b],
  );
}

function partyExists(world: MockWorld, kind: BindingKind, id: string): boolean {
  const list = {
    tenant: world.fixtures.tenants,
    merchant: world.fixtures.merchants,
    store: world.fixtures.stores,
    organization: world.fixtures.organizations,
  }[kind];
  return list?.some((p) => p.id === id) ?? false;
}

/** Draws before a format's values are taken to be used up (a 429 until a reset frees some). */
const MAX_DRAWS = 100;

/**
 * A value of the format that no key holds, current or previous, and (for a created key) an id
 * no key has: a format with few random characters draws one twice, and a key stored under a
 * taken id would replace that key, a value two keys share would let one's holder in as the other.
 */
export async function drawUnused(
  world: MockWorld,
  format: KeyFormat & { id: string },
  shape: (drawn: DrawnKey) => { value: string; id?: string },
  takenIds: readonly string[] = [],
  /** The drawing (a test scripts one that repeats itself). */
  draw: (format: KeyFormat) => DrawnKey = drawKeyValue,
): Promise<{ value: string; id?: string }> {
  for (let i = 0; i < MAX_DRAWS; i++) {
    const drawn = shape(draw(format));
    if (drawn.id !== undefined && takenIds.includes(drawn.id)) continue;
    if ((await world.store.findKeyByValue(drawn.value)) === undefined) return drawn;
  }
  const held = (await world.store.listKeys()).filter((k) => k.format === format.id).length;
  throw new StoreFullError(`keys of format ${format.id}: its values are used up`, held);
}
