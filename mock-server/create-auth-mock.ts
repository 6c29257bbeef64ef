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
import { httpDate } from './core/http-date.ts';
import type { MockRequest, MockResponse } from './core/mock-types.ts';
import { buildRecordIndex, seedStore, type MockWorld } from './core/mock-world.ts';
import { MemoryStore, type MemoryStoreLimits } from './state/memory-store.ts';
import type { StateStore } from './state/state-store.ts';

/** What a mock is made of: the profile, its seeded world, and optionally its clock and store. */
export interface AuthMockOptions {
  /** A built-in profile id or a path to a profile YAML file; or the loaded profile itself. */
  profile: string | Profile;
  /** Fixtures file path, or loaded fixtures (default: the built-in fixtures of the profile). */
  fixtures?: string | Fixtures;
  /** The mock's clock (default: a new one on the real time, moved by /__mock/clock). */
  clock?: MockClock;
  /** A shared store; default a bounded in-memory one. */
  store?: StateStore;
  /**
   * A Redis the mock keeps its state in, shared with every mock on the same URL and prefix
   * (replicas behind a load balancer): `{ url: 'redis://host:6379/0' }`. The prefix defaults to
   * `authconform`; the profile's id is added to it. `close()` disconnects.
   */
  redis?: { url: string; prefix?: string };
  /** Bounds of the default in-memory store (nonces, rate counters); refused past them, not evicted. */
  storeLimits?: Partial<MemoryStoreLimits>;
}

/** One running mock: ask it with `handle`, put it back with `reset`. */
export interface AuthMock {
  /** The profile, fixtures, clock and store it answers from. */
  world: MockWorld;
  /** Answers one request as the mock server would (the `/__mock/` control routes included). */
  handle(req: MockRequest): Promise<MockResponse>;
  /** Back to the fixtures and the real time. */
  reset(): Promise<void>;
  /** Lets go of what the mock holds open (its Redis connection); nothing for an in-memory one. */
  close(): Promise<void>;
}

/**
 * A mock of one profile, seeded with its fixtures, answering requests in-process. Both the Hapi
 * server and the msw handlers are adapters over one of these. Throws `UnknownProfileError` for an
 * unknown profile id, and `SpecError` (file:line:col) for a profile or fixtures file that does not
 * validate.
 *
 * @example
 * ```ts
 * import { createAuthMock } from 'authconform/msw';
 *
 * const mock = await createAuthMock({ profile: 'luxcore' });
 * const answer = await mock.handle({
 *   method: 'GET',
 *   path: '/api/v1/payments',
 *   pathWithQuery: '/api/v1/payments',
 *   headers: {},
 *   body: new Uint8Array(),
 * });
 * console.log(answer.status, answer.body); // refused: no credential, the profile's error body
 * ```
 */
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
  const redis = options.redis && (await connectRedis(options.redis, profile.id, clock));
  const store: StateStore = redis ?? options.store ?? new MemoryStore(clock, options.storeLimits);
  const world: MockWorld = { profile, fixtures, clock, store, records: buildRecordIndex(fixtures) };
  await seedStore(world, 'start').catch(async (e: unknown) => {
    await redis?.close();
    throw e;
  });
  const shared = store.shared;
  const core = new AuthCore(world);
  return {
    world,
    // Every answer carries the mock's clock in Date, as a real server's carries its own: a
    // client (or the harness) that reads the server's time sees a moved mock clock too.
    handle: async (req) => {
      // Mocks sharing a store share its clock: read per request, so a move through one holds
      // for the next request to any of them.
      if (shared) clock.follow(await shared.clockOffset());
      const res = await (req.path.startsWith(CONTROL_PREFIX)
        ? handleControl(world, req)
        : core.handle(req));
      const headers = Object.assign({}, res.headers, { date: httpDate(clock.now()) });
      return res.body === undefined
        ? { status: res.status, headers }
        : { status: res.status, headers, body: res.body };
    },
    reset: async () => {
      clock.reset();
      await seedStore(world);
    },
    close: async () => {
      await redis?.close();
    },
  };
}

/** Loaded only when asked for: an in-process mock does not load the Redis client. */
async function connectRedis(
  options: NonNullable<AuthMockOptions['redis']>,
  profileId: string,
  clock: MockClock,
) {
  const { connectRedisStore } = await import('./state/redis-store.ts');
  return connectRedisStore({
    url: options.url,
    prefix: `${options.prefix ?? 'authconform'}:${profileId}`,
    clock,
  });
}
