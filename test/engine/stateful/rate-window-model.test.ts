// The rate window as a model: its commands run one at a time against the bundled mock in-process
// (Vaulera, 5 requests per 60 s per key for speed), on a correct limiter and on one that counts
// every key in one window.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckFailure } from '../../../src/check/check-failure.ts';
import { engineContext } from '../../../src/engine/engine-context.ts';
import type { ModelSession } from '../../../src/engine/stateful/model-session.ts';
import { prepareRateWindow } from '../../../src/engine/stateful/rate-window-model.ts';
import type { Credentials } from '../../../src/model/credentials.ts';
import type { Profile } from '../../../src/model/profile.ts';
import { builtInFixtures, resolveProfile } from '../../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../../src/spec/fixtures-to-credentials.ts';
import { schemaRegistry } from '../../../src/spec/schema-registry.ts';
import { inProcessMockTarget } from '../../../src/targets/mock-target.ts';
import { rateLedger } from '../../../src/engine/rate-ledger.ts';
import { resolveReferences } from '../../../src/model/resolved-profile.ts';
import { createAuthMock } from '../../../mock-server/create-auth-mock.ts';
import { MockClock } from '../../../mock-server/core/mock-clock.ts';
import { fakeWaitClock } from '../../support/fake-wait-clock.ts';

const LIMIT = 5;

/** Vaulera with LIMIT requests per window (of its own 60 s, or `windowSeconds`). */
function vaulera(windowSeconds?: number): Profile {
  const profile = structuredClone(resolveProfile('vaulera').profile);
  for (const l of Object.values(profile.rateLimits!)) {
    l.limit = LIMIT;
    if (windowSeconds !== undefined) l.windowSeconds = windowSeconds;
  }
  return profile;
}

/**
 * A model session on the mock serving `served` (default: the profile the harness is given);
 * `secondsPerRequest`: the target's clock reads that much later at each request (a slow target).
 */
async function session(
  opts: {
    served?: Profile;
    creds?: Credentials;
    secondsPerRequest?: number;
    windowSeconds?: number;
  } = {},
) {
  const profile = vaulera(opts.windowSeconds);
  const creds = opts.creds ?? fixturesToCredentials(builtInFixtures(profile), profile);
  const mock = await inProcessMockTarget(opts.served ?? profile);
  let late = 0;
  const target = opts.secondsPerRequest
    ? Object.assign(Object.create(mock) as typeof mock, {
        nowSeconds: () => mock.nowSeconds() + (late += opts.secondsPerRequest!),
      })
    : mock;
  const ctx = engineContext({ profile, creds, target, registry: schemaRegistry() });
  const s: ModelSession = { ctx, log: [], obtained: new Set() };
  return { s, model: prepareRateWindow(ctx) };
}

/** The model's command that sends one request as the valid key (`spend(valid, 1)`). */
function oneRequest(model: NonNullable<ReturnType<typeof prepareRateWindow>>) {
  for (let seed = 1; seed < 200; seed++)
    for (const arb of model.commands) {
      const [c] = fc.sample(arb, { numRuns: 1, seed });
      if (String(c) === 'spend(valid, 1)') return c!;
    }
  throw new Error('no spend(valid, 1)');
}

/** A command of the model, found by its name (as a counterexample prints it). */
function commandAt(model: NonNullable<Awaited<ReturnType<typeof session>>['model']>, name: RegExp) {
  for (const arb of model.commands) {
    const [c] = fc.sample(arb, { numRuns: 1, seed: 1 });
    if (name.test(String(c))) return c!;
  }
  throw new Error(`no command ${name}`);
}

describe('prepareRateWindow', () => {
  it('is not prepared where no route is limited per key', async () => {
    const profile = vaulera();
    for (const l of Object.values(profile.rateLimits!)) l.per = 'ip';
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const target = await inProcessMockTarget(profile);
    expect(
      prepareRateWindow(engineContext({ profile, creds, target, registry: schemaRegistry() })),
    ).toBeNull();
  });

  it("spends the first key's whole budget before every sequence, and sees the 429 past it", async () => {
    const { s, model } = await session();
    const m = model!.initial();
    await model!.preamble!(m, s);
    expect(m.spent[0]).toBe(LIMIT + 1);
    expect(m.refused[0]).toBe(true);
    expect(s.log.at(-1)!.res!.status).toBe(429);
    expect(model!.uncheckedAfter!()).toBeUndefined();
  });

  it('says the limit went unchecked when no request past the budget came early in its window', async () => {
    // A server with no limit, so slow that the budget's requests outlast the window's checked part:
    // nothing had to be refused, and the run must not pass as if the limit held.
    const served = vaulera();
    for (const r of served.routes) delete r.rateClass;
    const { s, model } = await session({ served, secondsPerRequest: 12 });
    const m = model!.initial();
    await model!.preamble!(m, s);
    expect(s.log.at(-1)!.res!.status).toBeLessThan(300);
    expect(model!.uncheckedAfter!()).toMatch(
      /^the limit itself was not checked: no run's request 6 came within 58 s of its window's start/,
    );
  });

  it('counts the limit checked when the request past the budget was refused, even late in its window', async () => {
    // "10 requests per second" is common; a window no longer than the clock slack has no part in
    // which the 429 is required, but a server that refuses the request past the budget shows it.
    const { s, model } = await session({ windowSeconds: 1 });
    const m = model!.initial();
    await model!.preamble!(m, s);
    expect(s.log.at(-1)!.res!.status).toBe(429);
    expect(m.refused[0]).toBe(true);
    expect(model!.uncheckedAfter!()).toBeUndefined();
  });

  it('says a window within the clock slack is why the limit went unchecked, not a slow target', async () => {
    const served = vaulera(2);
    for (const r of served.routes) delete r.rateClass;
    const { s, model } = await session({ served, windowSeconds: 2 });
    await model!.preamble!(model!.initial(), s);
    expect(model!.uncheckedAfter!()).toBe(
      'the limit itself was not checked: the request past the budget (6) was accepted, and the 2 s window is within the 2 s the model allows for clock skew, so it never requires the 429',
    );
  });

  it("accepts the second key's requests while the first key's window is spent", async () => {
    const { s, model } = await session();
    const m = model!.initial();
    await model!.preamble!(m, s);
    const spendSecond = commandAt(model!, /^spend\(second, \d+\)$/);
    expect(spendSecond.check(m)).toBe(true);
    await spendSecond.run(m, s);
    expect(m.refused[1]).toBe(false);
  });

  it('fails a limiter that counts every key in one window, saying the request was inside its budget', async () => {
    const served = vaulera();
    for (const l of Object.values(served.rateLimits!)) l.per = 'ip';
    const { s, model } = await session({ served });
    const m = model!.initial();
    await model!.preamble!(m, s);
    const failure = await commandAt(model!, /^spend\(second, \d+\)$/)
      .run(m, s)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as Error).message).toMatch(
      /^second request 1 of the window \(budget 5 per 60 s\): inside the budget: expected status 2\d\d, got 429$/,
    );
  });

  it('waits out the window on the mock by moving its clock, and a fresh window accepts again', async () => {
    const { s, model } = await session();
    const m = model!.initial();
    await model!.preamble!(m, s);
    const wait = commandAt(model!, /^wait out the 60 s window$/);
    expect(wait.check(m)).toBe(true);
    await wait.run(m, s);
    expect(m.refused).toEqual([false, false]);
    expect(m.afterWait).toBe(true);
    expect(s.log.at(-1)!.res!.status).toBeLessThan(300);
  });

  it('says per-key accounting went unchecked when the credentials have no second key', async () => {
    const profile = vaulera();
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const keys = { ...creds.keys };
    delete keys.second;
    const { model } = await session({ creds: { ...creds, keys } });
    expect(model!.unchecked).toBe(
      'per-key accounting not checked: the credentials have no second key for these routes',
    );
  });

  it("waits out the second the model's window ends in when the target's window may still hold", async () => {
    // The first request comes half a second into its second; the model reads the clock in whole
    // seconds. Exactly 60 s later by that reading, the mock's window has half a second to go.
    const profile = vaulera();
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const clock = fakeWaitClock(Date.UTC(2026, 0, 1) + 500);
    const mock = await createAuthMock({ profile, clock: new MockClock(() => clock.now()) });
    const target = await inProcessMockTarget(profile, mock);
    const ctx = engineContext({
      profile,
      creds,
      target,
      registry: schemaRegistry(),
      guest: { ledger: rateLedger(resolveReferences(profile), creds, clock.now()), clock },
    });
    const s: ModelSession = { ctx, log: [], obtained: new Set() };
    const model = prepareRateWindow(ctx)!;
    const one = oneRequest(model);
    const m = model.initial();
    for (let i = 0; i < LIMIT; i++) await one.run(m, s);
    clock.advance(60_000 - 500);
    // One more: a new window for the model only after the second is waited out (else the mock's
    // 429 for its still-open window would be a false FAIL).
    await one.run(m, s);
    expect(clock.waited).toEqual([1000]);
    expect(s.log.at(-1)!.res!.status).toBeLessThan(300);
    expect(m.spent[0]).toBe(1);
  });
});
