/**
 * The mock's world for one profile: the validated profile and fixtures (read-only), the state
 * store seeded from the fixtures, and the clock. `reset` puts the store back to the fixtures.
 */
import { createHash } from 'node:crypto';
import type { Fixtures, FixtureRecord } from '../../src/model/fixtures.ts';
import type { Profile } from '../../src/model/profile.ts';
import type { ResolvedProfile } from '../../src/model/resolved-profile.ts';
import type { KeyRecord, StateStore } from '../state/state-store.ts';
import type { Clock } from './mock-types.ts';
import { MockClock } from './mock-clock.ts';

export interface MockWorld {
  /** Resolved once, when the mock is made (src/model/resolved-profile.ts). */
  profile: ResolvedProfile;
  fixtures: Fixtures;
  store: StateStore;
  clock: MockClock;
  /** Every record of the fixtures by id, whatever its collection. */
  records: Map<string, FixtureRecord & { collection: string }>;
}

export function buildRecordIndex(fixtures: Fixtures): MockWorld['records'] {
  const out: MockWorld['records'] = new Map();
  for (const [collection, items] of Object.entries(fixtures.records ?? {})) {
    for (const r of items) out.set(r.id, { ...r, collection });
  }
  return out;
}

export function keyRecordFromFixture(
  fx: Fixtures['keys'][number],
  profile: Profile,
  clock: Clock,
): KeyRecord {
  const fmt = profile.keyFormats?.[fx.format];
  const rec: KeyRecord = {
    id: fx.id,
    value: fx.value,
    format: fx.format,
    type: fmt?.type ?? 'secret',
    status: fx.status,
    createdAt: fx.createdAt ? Date.parse(fx.createdAt) : clock.now(),
  };
  if (fmt?.environment) rec.environment = fmt.environment;
  if (fx.scopes) rec.scopes = [...fx.scopes];
  for (const b of ['tenant', 'merchant', 'store', 'organization', 'name', 'description'] as const) {
    if (fx[b] !== undefined) rec[b] = fx[b];
  }
  if (fx.expiresAt) rec.expiresAt = Date.parse(fx.expiresAt);
  if (fx.revokedAt) rec.revokedAt = Date.parse(fx.revokedAt);
  return rec;
}

/**
 * Puts the store back to the fixtures. A store several mocks share is seeded in one step for
 * all, its clock offset back to 0 with it; at a mock's start ('start') only when no mock has
 * seeded it yet, so a replica that starts or restarts joins the others' state.
 */
export async function seedStore(
  world: Pick<MockWorld, 'profile' | 'fixtures' | 'store' | 'clock'>,
  when: 'start' | 'reset' = 'reset',
): Promise<void> {
  const keys = world.fixtures.keys.map((k) => keyRecordFromFixture(k, world.profile, world.clock));
  const shared = world.store.shared;
  if (shared) {
    const label = worldLabel(world);
    await (when === 'start' ? shared.seedOnce(label, keys) : shared.reseed(label, keys));
    world.clock.follow(await shared.clockOffset());
    return;
  }
  await world.store.clear();
  for (const k of keys) await world.store.putKey(k);
}

/**
 * Moves the mock's clock forward (the shared one, when the store is shared); false when it would
 * pass `maxMs` in all.
 */
export async function advanceClock(
  world: Pick<MockWorld, 'store' | 'clock'>,
  ms: number,
  maxMs: number,
): Promise<boolean> {
  const shared = world.store.shared;
  if (!shared) {
    if (world.clock.offset + ms > maxMs) return false;
    world.clock.advance(ms);
    return true;
  }
  const offset = await shared.advanceClock(ms, maxMs);
  if (offset === undefined) return false;
  world.clock.follow(offset);
  return true;
}

/** The profile and a digest of the fixtures: mocks sharing a store must serve the same world. */
function worldLabel(world: Pick<MockWorld, 'profile' | 'fixtures'>): string {
  const digest = createHash('sha256').update(JSON.stringify(world.fixtures)).digest('hex');
  return `profile ${world.profile.id}, fixtures sha256 ${digest.slice(0, 12)}`;
}
