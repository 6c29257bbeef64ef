// A requirement that needs time to pass (a rotation grace ending, a token expiring) is never PASS
// where that time could not pass: against a server whose clock cannot be moved it is PARTIAL,
// saying what went unchecked; where the wait is short (within --max-wait) it is waited out. The
// server and the run share one fake clock (test/support/fake-wait-clock.ts): the harness still
// cannot move the server's clock, only wait, and a wait takes no real time.
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import { startMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { httpTarget } from '../../src/targets/http-target.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { Profile } from '../../src/model/profile.ts';
import { fakeWaitClock } from '../support/fake-wait-clock.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

const lifecycle = loadScenarios().filter((s) => s.id === 'key-lifecycle-model');

/** The gateway mock over HTTP as a guest sees it: no reset, no clock control. */
async function guestRun(harnessGrace: number, servedGrace: number, maxWaitSeconds?: number) {
  const { profile: builtIn } = resolveProfile('gateway');
  const profile: Profile = structuredClone(builtIn);
  profile.lifecycle!.rotationGraceSeconds = harnessGrace;
  const served: Profile = structuredClone(builtIn);
  served.lifecycle!.rotationGraceSeconds = servedGrace;
  const fixtures = builtInFixtures(builtIn);
  const clock = fakeWaitClock(Date.now());
  const mock = await createAuthMock({
    profile: served,
    fixtures,
    clock: new MockClock(() => clock.now()),
  });
  const server = await startMockServer(mock, { port: 0 });
  stops.push(server.stop);
  const creds = fixturesToCredentials(fixtures, builtIn);
  const [v] = await runConformance(
    [{ profile, creds, target: httpTarget(server.url) }],
    lifecycle,
    { runs: 10, seed: 4, clock, ...(maxWaitSeconds !== undefined ? { maxWaitSeconds } : {}) },
  );
  return v!;
}

describe('time-bound requirements against a target whose clock cannot be moved', () => {
  it('a one-hour rotation grace that cannot be waited out gives PARTIAL, naming it, never PASS', async () => {
    const v = await guestRun(3600, 3600);
    expect(v.status).toBe('PARTIAL');
    expect(v.reason).toMatch(/the end of the 3600 s rotation grace .* was not checked/);
    expect(v.reason).toMatch(/--max-wait 30 s/);
  }, 30_000);

  it('an old secret never retired is PARTIAL too, not PASS: the run cannot tell it apart', async () => {
    const v = await guestRun(3600, 10 * 365 * 86400);
    expect(v.status).toBe('PARTIAL');
  }, 30_000);

  it('a short grace is waited out, so a correct server passes in full', async () => {
    const v = await guestRun(1, 1, 5);
    expect(v.status, v.reason).toBe('PASS');
    expect(v.runs).toBeGreaterThan(0);
  }, 60_000);

  it('a short grace is waited out, so an old secret that is never retired is caught', async () => {
    const v = await guestRun(1, 10 * 365 * 86400, 5);
    expect(v.status).toBe('FAIL');
    expect(v.reason).toMatch(/rotat|retired|old secret|must be refused/i);
  }, 60_000);

  it('--max-wait 0 turns the short wait back into PARTIAL', async () => {
    const v = await guestRun(1, 1, 0);
    expect(v.status).toBe('PARTIAL');
    expect(v.reason).toMatch(/--max-wait 0 s/);
  }, 30_000);
});
