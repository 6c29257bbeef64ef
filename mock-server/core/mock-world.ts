/**
 * The mock's world for one profile: the validated profile and fixtures (read-only), the state
 * store seeded from the fixtures, and the clock. `reset` puts the store back to the fixtures.
 */
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

export async function seedStore(
  world: Pick<MockWorld, 'profile' | 'fixtures' | 'store' | 'clock'>,
): Promise<void> {
  await world.store.clear();
  for (const k of world.fixtures.keys)
    await world.store.putKey(keyRecordFromFixture(k, world.profile, world.clock));
}
