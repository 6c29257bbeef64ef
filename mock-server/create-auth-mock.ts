/**
 * One mock for one profile: the world (profile, fixtures, store, clock) and the core, with the
 * control routes in front. Both adapters (Hapi over HTTP, msw in-process) call `handle`, so they
 * answer alike by construction.
 */
import type { Fixtures } from '../src/model/fixtures.ts';
import type { Profile } from '../src/model/profile.ts';
import { builtInFixtures, resolveProfile } from '../src/spec/builtin-specs.ts';
import { resolveReferences } from '../src/model/resolved-profile.ts';
import { AuthCore } from './core/auth-core.ts';
import { CONTROL_PREFIX, handleControl } from './core/control-routes.ts';
import { MockClock } from './core/mock-clock.ts';
import type { MockRequest, MockResponse } from './core/mock-types.ts';
import { buildRecordIndex, seedStore, type MockWorld } from './core/mock-world.ts';
import { MemoryStore, type MemoryStoreLimits } from './state/memory-store.ts';
import type { StateStore } from './state/state-store.ts';

export interface AuthMockOptions {
  /** A built-in profile id or a path to a profile YAML file; or the loaded profile itself. */
  profile: string | Profile;
  /** Fixtures file path, or loaded fixtures (default: the built-in fixtures of the profile). */
  fixtures?: string | Fixtures;
  clock?: MockClock;
  /** A shared store; default a bounded in-memory one. */
  store?: StateStore;
  storeLimits?: Partial<MemoryStoreLimits>;
}

export interface AuthMock {
  world: MockWorld;
  handle(req: MockRequest): Promise<MockResponse>;
  /** Back to the fixtures and the real time. */
  reset(): Promise<void>;
}

export async function createAuthMock(options: AuthMockOptions): Promise<AuthMock> {
  // A profile given as an object is resolved here, as it is now: a test's copy may have changed.
  const profile =
    typeof options.profile === 'string'
      ? resolveProfile(options.profile).profile
      : resolveReferences(options.profile);
  const fixtures =
    options.fixtures === undefined || typeof options.fixtures === 'string'
      ? builtInFixtures(profile, options.fixtures)
      : options.fixtures;
  const clock = options.clock ?? new MockClock();
  const store = options.store ?? new MemoryStore(clock, options.storeLimits);
  const world: MockWorld = { profile, fixtures, clock, store, records: buildRecordIndex(fixtures) };
  await seedStore(world);
  const core = new AuthCore(world);
  return {
    world,
    // Every answer carries the mock's clock in Date, as a real server's carries its own: a
    // client (or the harness) that reads the server's time sees a moved mock clock too.
    handle: async (req) => {
      const res = await (req.path.startsWith(CONTROL_PREFIX)
        ? handleControl(world, req)
        : core.handle(req));
      return { ...res, headers: { ...res.headers, date: new Date(clock.now()).toUTCString() } };
    },
    reset: async () => {
      clock.reset();
      await seedStore(world);
    },
  };
}
