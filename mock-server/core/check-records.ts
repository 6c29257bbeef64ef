/**
 * The records a request reaches, by a path id or by an id in its body (a field the profile's
 * request body names with a `${resource}` placeholder): each must exist, be of the caller's
 * environment and bindings, and not be used up. The mock keeps the records routes create and
 * really deletes, cancels and voids: a strict server does, so the harness must cope with it.
 *
 * A record already used up answers the profile's record_used_up denial to a route that would use
 * it up again (not_found where the profile does not map it), and a deleted record answers
 * not_found on every other route.
 */
import {
  BINDING_KINDS,
  routeConsumes,
  type BindingKind,
  type Route,
} from '../../src/model/profile.ts';
import type { FixtureRecord } from '../../src/model/fixtures.ts';
import { referencedFields } from '../../src/model/resource-placeholders.ts';
import type { RecordState } from '../state/state-store.ts';
import type { MockWorld } from './mock-world.ts';
import type { Caller } from './authenticate.ts';
import { bindingCovers, callerBindings } from './check-access.ts';
import { Denial } from './deny.ts';

/** A record the request reaches, as the checks found it. */
export interface ReachedRecord {
  id: string;
  record: FixtureRecord | RecordState;
  /** What fills the success body's ${record.FIELD}: the fixtures' record, or the created one. */
  fields: Record<string, unknown>;
  resource: string;
}

/** Where a route names records: its path params and the body fields that reference a resource. */
interface RecordReferences {
  params: { param: string; resource: string }[];
  fields: { field: string; resource: string }[];
}

/** Read off each route once (routes are fixed once resolved), not on every request. */
const referencesOf = new WeakMap<Route, RecordReferences>();

function recordReferences(route: Route): RecordReferences {
  let refs = referencesOf.get(route);
  if (refs === undefined) {
    refs = {
      params: Object.entries(route.params ?? {}).map(([param, ref]) => ({
        param,
        resource: typeof ref === 'string' ? ref : ref.resource,
      })),
      fields: Object.entries(referencedFields(route.requestBody)).map(([field, resource]) => ({
        field,
        resource,
      })),
    };
    referencesOf.set(route, refs);
  }
  return refs;
}

/** Every record id the request names: path params, then body fields that reference a resource. */
function namedRecords(
  route: Route,
  params: Record<string, string>,
  body: Record<string, unknown>,
): { id: string; resource: string }[] {
  const refs = recordReferences(route);
  const out = refs.params.map(({ param, resource }) => ({ id: params[param]!, resource }));
  for (const { field, resource } of refs.fields) {
    const v = body[field];
    if (typeof v === 'string' || typeof v === 'number') out.push({ id: String(v), resource });
  }
  return out;
}

/**
 * Whether the route can name no record at all (no path parameter or body field names one): its
 * requests skip the record check, and the await it would cost.
 */
export function namesNoRecords(route: Route): boolean {
  const refs = recordReferences(route);
  return refs.params.length === 0 && refs.fields.length === 0;
}

/** Checks every record the request names; answers those reached (the first fills the body). */
export async function checkRecords(
  world: MockWorld,
  route: Route,
  params: Record<string, string>,
  body: Record<string, unknown>,
  caller: Caller,
): Promise<ReachedRecord[]> {
  const reached: ReachedRecord[] = [];
  const named = namedRecords(route, params, body);
  if (named.length === 0) return reached;
  const mine = callerBindings(world, caller);
  for (const { id, resource } of named) {
    const state = await world.store.getRecord(id);
    const fixture = world.records.get(id);
    if (state && state.status !== 'active' && routeConsumes(route)) throw usedUp(world);
    if (state?.status === 'deleted') throw new Denial('not_found');
    const record: FixtureRecord | RecordState | undefined = fixture ?? state;
    if (!record) {
      // An id naming a party (a merchant, a store...) where the resource is that party: it must
      // be the caller's, or within the caller's tenant.
      const kind = partyKindOf(world, resource, id);
      if (kind === undefined) throw new Denial('not_found');
      if (!bindingCovers(world, kind, mine, id)) throw hiddenOrDenied(world, kind);
      continue;
    }
    if (
      caller.key?.environment &&
      record.environment &&
      record.environment !== caller.key.environment
    ) {
      throw new Denial('wrong_environment', {
        ...(caller.keyCredential ? { credential: caller.keyCredential } : {}),
      });
    }
    for (const kind of BINDING_KINDS) {
      const owner = record[kind];
      if (owner === undefined || mine[kind] === undefined || owner === mine[kind]) continue;
      throw hiddenOrDenied(world, kind);
    }
    const fields = fixture ?? { ...(state?.fields ?? {}), ...ownerOf(record), id };
    reached.push({ id, record, fields, resource });
  }
  return reached;
}

/**
 * After the route succeeded: a route that uses up its records marks them so, in one step each
 * (of two concurrent cancels, the second finds it used up: not_found).
 */
export async function useUpRecords(
  world: MockWorld,
  route: Route,
  reached: ReachedRecord[],
): Promise<void> {
  if (!routeConsumes(route)) return;
  const status = route.method === 'DELETE' ? 'deleted' : 'consumed';
  for (const r of reached) {
    const seed: RecordState = { ...ownerOf(r.record), id: r.id, status: 'active' };
    if (!(await world.store.useUpRecord(r.id, status, seed))) throw usedUp(world);
  }
}

/**
 * After a creating route succeeded: the new record (the object holding its id in the answer),
 * owned by the caller and its key's environment.
 */
export async function rememberCreatedRecord(
  world: MockWorld,
  route: Route,
  answer: unknown,
  caller: Caller,
): Promise<void> {
  if (!route.creates) return;
  const path = route.creates.idAt.split('/').slice(1);
  const holder = path
    .slice(0, -1)
    .reduce<unknown>(
      (cur, seg) =>
        cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined,
      answer,
    );
  if (holder === null || typeof holder !== 'object') return;
  const id = (holder as Record<string, unknown>)[path.at(-1)!];
  if (typeof id !== 'string' && typeof id !== 'number') return;
  await world.store.putRecord({
    id: String(id),
    resource: route.creates.resource,
    fields: { ...(holder as Record<string, unknown>) },
    ...callerBindings(world, caller),
    ...(caller.key?.environment ? { environment: caller.key.environment } : {}),
    status: 'active',
  });
}

function ownerOf(record: FixtureRecord | RecordState): Omit<RecordState, 'id' | 'status'> {
  const out: Omit<RecordState, 'id' | 'status'> = {};
  if (record.environment) out.environment = record.environment;
  for (const kind of BINDING_KINDS) if (record[kind] !== undefined) out[kind] = record[kind];
  return out;
}

function usedUp(world: MockWorld): Denial {
  return new Denial(world.profile.denials.record_used_up ? 'record_used_up' : 'not_found');
}

function hiddenOrDenied(world: MockWorld, kind: BindingKind): Denial {
  const hidden = (world.profile.bindings?.[kind]?.otherRecords ?? 'hidden') === 'hidden';
  return hidden ? new Denial('not_found') : new Denial('binding_mismatch', { binding: kind });
}

/** The party kind a route resource names, when the value is a party of that kind. */
function partyKindOf(world: MockWorld, resource: string, value: string): BindingKind | undefined {
  const f = world.fixtures;
  const lists: Record<BindingKind, { id: string }[] | undefined> = {
    tenant: f.tenants,
    merchant: f.merchants,
    store: f.stores,
    organization: f.organizations,
  };
  const kind = BINDING_KINDS.find((k) => resource === k || resource.toLowerCase().endsWith(k));
  return kind && lists[kind]?.some((p) => p.id === value) ? kind : undefined;
}
