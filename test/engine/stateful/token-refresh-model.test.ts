// Login, use and refresh as a model: its commands run one at a time against the bundled mock
// in-process (AuxVault: 24 h access tokens with 30 s leeway, 30-day rotating refresh tokens).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckFailure } from '../../../src/check/check-failure.ts';
import { engineContext } from '../../../src/engine/engine-context.ts';
import type { ModelSession } from '../../../src/engine/stateful/model-session.ts';
import type { PreparedModel } from '../../../src/engine/stateful/prepared-model.ts';
import { prepareTokenRefresh } from '../../../src/engine/stateful/token-refresh-model.ts';
import type { Profile } from '../../../src/model/profile.ts';
import { builtInFixtures, resolveProfile } from '../../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../../src/spec/fixtures-to-credentials.ts';
import { schemaRegistry } from '../../../src/spec/schema-registry.ts';
import { inProcessMockTarget } from '../../../src/targets/mock-target.ts';
import type { Target } from '../../../src/targets/target.ts';

type Model = PreparedModel<object>;

async function session(opts: { served?: (p: Profile) => void; fixedClock?: true } = {}) {
  const { profile } = resolveProfile('auxvault');
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);
  const served = structuredClone(profile);
  opts.served?.(served);
  const mockTarget = await inProcessMockTarget(served);
  let target: Target = mockTarget;
  if (opts.fixedClock) {
    const { advanceClock: _, ...fixed } = mockTarget;
    target = fixed;
  }
  const ctx = engineContext({ profile, creds, target, registry: schemaRegistry() });
  const s: ModelSession = { ctx, log: [], obtained: new Set() };
  return { s, model: prepareTokenRefresh(ctx) as Model | null };
}

/** A command of the model, found by its name (as a counterexample prints it). */
function commandAt(model: Model, name: RegExp) {
  for (const arb of model.commands) {
    const [c] = fc.sample(arb, { numRuns: 1, seed: 1 });
    if (name.test(String(c))) return c!;
  }
  throw new Error(`no command ${name}`);
}

/** The session after the preamble's login, with the model's state. */
async function loggedIn(opts: Parameters<typeof session>[0] = {}) {
  const { s, model } = await session(opts);
  const m = model!.initial();
  await model!.preamble!(m, s);
  return { s, model: model!, m };
}

describe('prepareTokenRefresh', () => {
  it('is not prepared for a profile whose tokens cannot be refreshed', async () => {
    const { profile } = resolveProfile('luxcore');
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const target = await inProcessMockTarget(profile);
    expect(
      prepareTokenRefresh(engineContext({ profile, creds, target, registry: schemaRegistry() })),
    ).toBeNull();
  });

  it('logs in first, holding an access token and a refresh token the target issued', async () => {
    const { s, m } = await loggedIn();
    expect(m).toMatchObject({ grants: [{ n: 1, spent: [] }] });
    expect(s.obtained.size).toBe(2);
  });

  it('uses the access token inside its lifetime, and sees it refused as expired after', async () => {
    const { s, model, m } = await loggedIn();
    const use = commandAt(model, /^use-access\(/);
    await use.run(m, s);
    await commandAt(model, /^wait past the access token's 86400 s$/).run(m, s);
    await use.run(m, s);
    expect(s.log.at(-1)!.res!.status).toBe(401);
  });

  it('fails a target whose access tokens outlive their lifetime, saying so', async () => {
    const { s, model, m } = await loggedIn({
      served: (p) => {
        (p.tokens!['access'] as { leewaySeconds: number }).leewaySeconds = 10 * 86400;
      },
    });
    await commandAt(model, /^wait past the access token's/).run(m, s);
    const failure = await commandAt(model, /^use-access\(/)
      .run(m, s)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as Error).message).toMatch(/access token on \S+: past its lifetime and leeway/);
  });

  it('refreshes with the refresh token once: the spent one is refused after rotation', async () => {
    const { s, model, m } = await loggedIn();
    await commandAt(model, /^refresh\(/).run(m, s);
    expect(s.log.at(-1)!.res!.status).toBeLessThan(300);
    const spent = commandAt(model, /^refresh-with-spent\(/);
    expect(spent.check(m)).toBe(true);
    await spent.run(m, s);
    expect(s.log.at(-1)!.res!.status).toBeGreaterThanOrEqual(400);
  });

  it('says both expiries went unchecked on a target whose clock cannot move, and 24 h is too long to wait', async () => {
    const { model } = await session({ fixedClock: true });
    expect(model!.unchecked).toMatch(
      /^the access token's expiry was not checked: .*; the refresh token's expiry was not checked: /,
    );
    expect(
      model!.commands.map((c) => String(fc.sample(c, { numRuns: 1, seed: 1 })[0])),
    ).not.toContain("wait past the access token's 86400 s");
  });
});
