// The key lifecycle as a model: its commands run one at a time against the bundled mock
// in-process (Gateway: create, list, rotate with a 3600 s grace, revoke, delete), on a correct
// mock and on mocks that break one thing the profile states.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckFailure } from '../../../src/check/check-failure.ts';
import { engineContext } from '../../../src/engine/engine-context.ts';
import { prepareKeyLifecycle } from '../../../src/engine/stateful/key-lifecycle-model.ts';
import type { ModelSession } from '../../../src/engine/stateful/model-session.ts';
import type { Profile } from '../../../src/model/profile.ts';
import { builtInFixtures, resolveProfile } from '../../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../../src/spec/fixtures-to-credentials.ts';
import { schemaRegistry } from '../../../src/spec/schema-registry.ts';
import { inProcessMockTarget } from '../../../src/targets/mock-target.ts';
import type { Target } from '../../../src/targets/target.ts';

type Model = NonNullable<ReturnType<typeof prepareKeyLifecycle>>;
type State = ReturnType<Model['initial']>;

/** A model session on the mock serving Gateway, changed by `served` (the harness is told the real profile). */
async function session(served?: (p: Profile) => void, wrap?: (t: Target) => Target) {
  const { profile } = resolveProfile('gateway');
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);
  const servedProfile = structuredClone(profile);
  served?.(servedProfile);
  const mock = await inProcessMockTarget(servedProfile);
  const target = wrap ? wrap(mock) : mock;
  const ctx = engineContext({ profile, creds, target, registry: schemaRegistry() });
  let timeChecked = 0;
  const s: ModelSession = {
    ctx,
    log: [],
    obtained: new Set(),
    noteTimeChecked: () => timeChecked++,
  };
  return { s, model: prepareKeyLifecycle(ctx)!, timeChecked: () => timeChecked };
}

/** The session after the preamble, which creates key #1. */
async function created(...args: Parameters<typeof session>) {
  const out = await session(...args);
  const m = out.model.initial();
  await out.model.preamble!(m, out.s);
  return { ...out, m };
}

/** A command of the model, found by its name (as a counterexample prints it). */
function commandAt(model: Model, name: RegExp) {
  for (const arb of model.commands) {
    const [c] = fc.sample(arb, { numRuns: 1, seed: 1 });
    if (name.test(String(c))) return c!;
  }
  throw new Error(`no command ${name}`);
}
/** Runs a command whose precondition holds; resolves to the failure it throws, or 'passed'. */
async function run(model: Model, name: RegExp, m: State, s: ModelSession) {
  const c = commandAt(model, name);
  expect(c.check(m), `${String(c)} applies`).toBe(true);
  return c.run(m, s).then(
    () => 'passed',
    (e: unknown) => e,
  );
}
const lastStatus = (s: ModelSession) => s.log.at(-1)!.res!.status;

describe('prepareKeyLifecycle', () => {
  it('is not prepared for a profile with no key creation', async () => {
    const { profile } = resolveProfile('luxcore');
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const target = await inProcessMockTarget(profile);
    expect(
      prepareKeyLifecycle(engineContext({ profile, creds, target, registry: schemaRegistry() })),
    ).toBeNull();
  });

  it('creates key #1 before every sequence, in the profile format, and remembers its secret as obtained', async () => {
    const { s, m } = await created();
    expect(m.keys).toHaveLength(1);
    expect(m.keys[0]).toMatchObject({ n: 1, state: 'active', retired: [] });
    expect(s.obtained.has(m.keys[0]!.value)).toBe(true);
    expect(lastStatus(s)).toBe(201);
  });

  it('moves the mock clock to wait out the grace, since the in-process mock can', async () => {
    const { model } = await session();
    expect(model.movers).toHaveLength(1);
    expect(model.unchecked).toBeUndefined();
  });

  it('accepts a created key at once, and a revoked one refused as revoked', async () => {
    const { model, m, s } = await created();
    expect(await run(model, /^use\(\d+, \d+\)$/, m, s)).toBe('passed');
    expect(lastStatus(s)).toBeLessThan(300);
    expect(await run(model, /^revoke\(\d+\)$/, m, s)).toBe('passed');
    expect(m.keys[0]!.state).toBe('revoked');
    expect(await run(model, /^use\(\d+, \d+\)$/, m, s)).toBe('passed');
    expect(lastStatus(s)).toBe(401);
  });

  it('lists a created key masked, and a deleted key no more', async () => {
    const { model, m, s } = await created();
    expect(await run(model, /^list$/, m, s)).toBe('passed');
    expect(await run(model, /^delete\(\d+\)$/, m, s)).toBe('passed');
    expect(m.keys[0]!.state).toBe('deleted');
    expect(await run(model, /^list$/, m, s)).toBe('passed');
    expect(s.log.at(-1)!.res!.rawBody).not.toContain(m.keys[0]!.id);
  });

  it('after a rotation accepts the old secret through the grace, then refuses it once the clock moved past', async () => {
    const { model, m, s, timeChecked } = await created();
    const before = m.keys[0]!.value;
    expect(await run(model, /^rotate\(\d+\)$/, m, s)).toBe('passed');
    expect(m.keys[0]!.value).not.toBe(before);
    expect(m.keys[0]!.retired.map((r) => r.value)).toEqual([before]);
    expect(await run(model, /^use-old-secret\(\d+, \d+\)$/, m, s)).toBe('passed');
    expect(lastStatus(s)).toBeLessThan(300);
    expect(timeChecked()).toBe(0);
    expect(await run(model, /^wait out the 3600 s rotation grace$/, m, s)).toBe('passed');
    expect(await run(model, /^use-old-secret\(\d+, \d+\)$/, m, s)).toBe('passed');
    expect(lastStatus(s)).toBe(401);
    expect(timeChecked()).toBe(1);
    expect(await run(model, /^use\(\d+, \d+\)$/, m, s)).toBe('passed'); // the new secret works
  });

  it('expects a 4xx refusal, and no new secret, when a revoked key is rotated', async () => {
    const { model, m, s } = await created();
    await run(model, /^revoke\(\d+\)$/, m, s);
    const value = m.keys[0]!.value;
    expect(await run(model, /^rotate\(\d+\)$/, m, s)).toBe('passed');
    expect(lastStatus(s)).toBe(400);
    expect(m.keys[0]!.value).toBe(value);
  });

  it('fails a server that answers the rotation of a revoked key with success', async () => {
    const rotatesAnything = (t: Target): Target => ({
      ...t,
      send: async (req) => {
        const res = await t.send(req);
        return req.pathWithQuery.endsWith('/rotate') ? { ...res, status: 200 } : res;
      },
    });
    const { model, m, s } = await created(undefined, rotatesAnything);
    await run(model, /^revoke\(\d+\)$/, m, s);
    const failure = await run(model, /^rotate\(\d+\)$/, m, s);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as Error).message).toMatch(
      /^rotating revoked key #1 was answered 200: the profile says a revoked key never comes back/,
    );
  });

  it('fails a mock that refuses the old secret at once after a rotation (no grace)', async () => {
    const { model, m, s } = await created((p) => {
      p.lifecycle!.rotationGraceSeconds = 0;
    });
    await run(model, /^rotate\(\d+\)$/, m, s);
    const failure = await run(model, /^use-old-secret\(\d+, \d+\)$/, m, s);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as Error).message).toMatch(
      /^use key #1 \(its secret before rotation\) on \S+: a rotated key's old secret must be accepted/,
    );
  });

  it('fails a server that answers a delete but keeps the key, once the list still shows it', async () => {
    const keepsDeleted = (t: Target): Target => ({
      ...t,
      send: (req) =>
        req.method === 'DELETE'
          ? Promise.resolve({ status: 204, headers: {}, body: undefined, rawBody: '' })
          : t.send(req),
    });
    const { model, m, s } = await created(undefined, keepsDeleted);
    expect(await run(model, /^delete\(\d+\)$/, m, s)).toBe('passed');
    const failure = await run(model, /^list$/, m, s);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as Error).message).toBe(`deleted key #1 (id ${m.keys[0]!.id}) is still listed`);
  });
});
