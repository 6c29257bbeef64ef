// Nonces the harness calls fresh are unique in the run, shrinking included, so a correct server
// that remembers nonces never answers nonce_replay to a scenario that did not replay on purpose.
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { FreshNonces } from '../../src/engine/fresh-nonces.ts';
import { signingById } from '../../src/sign/signers.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { schemaRegistry } from '../../src/spec/schema-registry.ts';
import { httpTarget } from '../../src/targets/http-target.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';
import { brokenTarget, header } from '../support/broken-targets.ts';
import { BROKEN_CORPUS } from '../support/broken-corpus.ts';

const scenarios = loadScenarios();
const boundsAccepted = scenarios.find((s) => s.id === 'nonce-length-bounds-accepted')!;
const { profile } = resolveProfile('luxcore');
const creds = fixturesToCredentials(builtInFixtures(profile), profile);
const signing = signingById(profile, 'v1')!.parts.nonce!;

/** The target with no reset (the mock keeps every nonce, as a real server does), logging nonces. */
function rememberingTarget(inner: Target): { target: Target; nonces: string[] } {
  const nonces: string[] = [];
  const { reset: _reset, ...rest } = inner;
  return {
    nonces,
    target: {
      ...rest,
      send: async (req) => {
        const n = header(req, 'x-nonce');
        if (n !== undefined) nonces.push(n);
        return inner.send(req);
      },
    },
  };
}

describe('fresh nonces', () => {
  it('keep the drawn length and the profile alphabet, and never repeat in a run', () => {
    const fresh = new FreshNonces();
    const seen = new Set<string>();
    for (const drawn of ['aaaaaaaa', 'a'.repeat(128), 'aaaaaaaa'.repeat(4)]) {
      for (let i = 0; i < 2000; i++) {
        const n = fresh.fresh(drawn, signing);
        expect(n).toHaveLength(drawn.length);
        expect(n).toMatch(/^[A-Za-z0-9]+$/);
        expect(seen.has(n)).toBe(false);
        seen.add(n);
      }
    }
  });

  it('keep characters outside the pattern where they were, so an invalid nonce stays invalid', () => {
    const n = new FreshNonces().fresh('abc.defgh', signing);
    expect(n).toHaveLength(9);
    expect(n[3]).toBe('.');
  });

  it('stay unique when the nonce is too short to hold a whole tag (perturbed until unseen)', () => {
    const fresh = new FreshNonces();
    const shortSigning = { ...signing, pattern: '^[0-9]+$' };
    const all = Array.from({ length: 100 }, () => fresh.fresh('00', shortSigning));
    expect(new Set(all).size).toBe(100);
    expect(() => fresh.fresh('00', shortSigning)).toThrow(/no unused nonce of 2 characters/);
  });
});

describe('nonce-length-bounds-accepted against a server that remembers every nonce', () => {
  it('passes over several seeds at --runs 50, with no nonce sent twice', async () => {
    for (let seed = 1; seed <= 3; seed++) {
      const { target, nonces } = rememberingTarget(await inProcessMockTarget(profile));
      const v = await runScenario(
        { profile, creds, target, registry: schemaRegistry() },
        boundsAccepted,
        { runs: 50, seed },
      );
      expect(`${v?.status} ${v?.reason ?? ''}`, `seed ${seed}`).toBe('PASS ');
      expect(nonces.length).toBe(100);
      expect(new Set(nonces).size).toBe(nonces.length);
    }
  });

  it('passes over real HTTP against a mock that is never reset', async () => {
    const server = await startMockServer(await createAuthMock({ profile }), { port: 0 });
    try {
      for (const seed of [3, 4]) {
        const v = await runScenario(
          { profile, creds, target: httpTarget(server.url), registry: schemaRegistry() },
          boundsAccepted,
          { runs: 50, seed },
        );
        expect(`${v?.status} ${v?.reason ?? ''}`, `seed ${seed}`).toBe('PASS ');
      }
    } finally {
      await server.stop();
    }
  });

  it('while shrinking a real failure, sends no nonce twice: the counterexample is the length', async () => {
    const broken = BROKEN_CORPUS.find((b) => b.name === 'nonces over 64 characters refused')!;
    const { target: inner } = await brokenTarget(broken);
    const { target, nonces } = rememberingTarget(inner);
    const v = await runScenario(
      { profile, creds, target, registry: schemaRegistry() },
      boundsAccepted,
      { runs: 50, seed: 7 },
    );
    expect(v?.status).toBe('FAIL');
    expect(new Set(nonces).size).toBe(nonces.length);
    // Shrunk to the shortest nonce the broken server refuses.
    expect(String(v!.counterexample!.drawn['nonce'])).toHaveLength(65);
  });
});
