// Stateful requirements run as model-based tests: each lifecycle or rate-window mistake below is
// caught by its model scenario with a shrunk command sequence, and the correct mock passes.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';
import type { Profile } from '../../src/model/profile.ts';
import type { AuthMock } from '../../mock-server/create-auth-mock.ts';
import type { OutgoingRequest, ReceivedResponse } from '../../src/request/outgoing-request.ts';

const scenarios = loadScenarios().filter((s) => s.model !== undefined);

interface StatefulFault {
  name: string;
  profile: string;
  models: string;
  caughtBy: string;
  mutateProfile?: (p: Profile) => void;
  /** Answers instead of the mock, or lets it answer (undefined). */
  intercept?: (
    req: OutgoingRequest,
    mock: AuthMock,
  ) => Promise<ReceivedResponse | undefined> | ReceivedResponse | undefined;
}

const keyIdIn = (req: OutgoingRequest, verb: string) =>
  req.pathWithQuery.match(new RegExp(`/api-keys/([^/?]+)${verb}`))?.[1];

const FAULTS: StatefulFault[] = [
  {
    name: 'old secret valid forever after rotation',
    profile: 'gateway',
    models: 'rotation keeps the previous secret in an allow-list that nothing ever prunes',
    caughtBy: 'key-lifecycle-model',
    mutateProfile: (p) => (p.lifecycle!.rotationGraceSeconds = 10 * 365 * 86400),
  },
  {
    name: 'revoked key reactivated by rotation',
    profile: 'gateway',
    models:
      'rotate sets status = active along with the new secret, without checking the old status',
    caughtBy: 'key-lifecycle-model',
    intercept: async (req, mock) => {
      const id = keyIdIn(req, '/rotate');
      const key = id ? await mock.world.store.getKey(id) : undefined;
      if (key?.status === 'revoked') await mock.world.store.putKey({ ...key, status: 'active' });
      return undefined;
    },
  },
  {
    name: 'list endpoint showing full keys',
    profile: 'vaulera',
    models: 'the list serializer reuses the create response shape',
    caughtBy: 'key-lifecycle-model',
    mutateProfile: (p) => {
      const list = p.routes.find((r) => r.id === p.lifecycle!.list!.route)!;
      list.success.example = JSON.parse(
        JSON.stringify(list.success.example).replaceAll('${key.masked}', '${key.value}'),
      );
    },
  },
  {
    name: 'deleted key still accepted',
    profile: 'gateway',
    models: 'delete answers 204 but only hides the key from the dashboard',
    caughtBy: 'key-lifecycle-model',
    intercept: (req) =>
      req.method === 'DELETE' && keyIdIn(req, '$')
        ? { status: 204, headers: {}, body: undefined, rawBody: '' }
        : undefined,
  },
  {
    name: 'revocation not applied by the key store',
    profile: 'auxvault',
    models: 'revoke answers success but writes to a replica the authorizer never reads',
    caughtBy: 'key-lifecycle-model',
    intercept: async (req, mock) => {
      const id = req.method === 'DELETE' ? keyIdIn(req, '$') : undefined;
      const key = id ? await mock.world.store.getKey(id) : undefined;
      if (!key) return undefined;
      const body = {
        success: true,
        data: { id, status: 'revoked', revokedAt: new Date().toISOString() },
      };
      return { status: 200, headers: {}, body, rawBody: JSON.stringify(body) };
    },
  },
  {
    name: 'rate limit per IP instead of per key',
    profile: 'luxcore',
    models: 'a reverse-proxy limiter keyed on the client address',
    caughtBy: 'rate-window-per-key',
    mutateProfile: (p) => {
      for (const l of Object.values(p.rateLimits ?? {})) l.per = 'ip';
    },
  },
  {
    name: 'rate limit per IP instead of per key',
    profile: 'gateway',
    models: 'a reverse-proxy limiter keyed on the client address',
    caughtBy: 'rate-window-per-key',
    mutateProfile: (p) => {
      for (const l of Object.values(p.rateLimits ?? {})) l.per = 'ip';
    },
  },
];

async function faultyTarget(f: StatefulFault) {
  const { profile } = resolveProfile(f.profile);
  const fixtures = builtInFixtures(profile);
  const creds = fixturesToCredentials(fixtures, profile);
  const broken = structuredClone(profile);
  f.mutateProfile?.(broken);
  const mock = await createAuthMock({ profile: broken, fixtures });
  const inner = await inProcessMockTarget(broken, mock);
  const target: Target = f.intercept
    ? {
        ...inner,
        async send(req) {
          return (await f.intercept!(req, mock)) ?? inner.send(req);
        },
      }
    : inner;
  return { target, profile, creds };
}

describe('stateful requirements run as model-based tests', () => {
  it('every model scenario passes on the correct mock of each profile it applies to', async () => {
    const runs = [];
    for (const id of ['auxvault', 'gateway', 'vaulera', 'luxcore', 'vesuviopay']) {
      const { profile } = resolveProfile(id);
      const creds = fixturesToCredentials(builtInFixtures(profile), profile);
      runs.push({ profile, creds, target: await inProcessMockTarget(profile) });
    }
    const verdicts = await runConformance(runs, scenarios, { runs: 20, seed: 7 });
    expect(verdicts.length).toBeGreaterThanOrEqual(8);
    for (const v of verdicts)
      expect(v.status, `${v.profile} ${v.scenario}: ${v.reason}`).toBe('PASS');
  });

  for (const f of FAULTS) {
    it(`${f.profile}: ${f.name} (${f.models}) is caught by ${f.caughtBy}`, async () => {
      const { target, profile, creds } = await faultyTarget(f);
      const [v] = await runConformance(
        [{ profile, creds, target }],
        scenarios.filter((s) => s.id === f.caughtBy),
        { runs: 30, seed: 3 },
      );
      expect(v?.status, v?.reason).toBe('FAIL');
      // The shrunk command sequence is the counterexample, with the exchanges of that run.
      expect(v!.counterexample!.route).toMatch(/^commands: /);
      expect(v!.counterexample!.exchanges.length).toBeGreaterThan(0);
    });
  }

  it('a model run replays exactly with the same seed', async () => {
    const seen: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const { target, profile, creds } = await faultyTarget(
        FAULTS.find((f) => f.name === 'deleted key still accepted')!,
      );
      const [v] = await runConformance(
        [{ profile, creds, target }],
        scenarios.filter((s) => s.id === 'key-lifecycle-model'),
        { runs: 30, seed: 11 },
      );
      seen.push([v!.counterexample!.route, v!.counterexample!.path]);
    }
    expect(seen[0]).toEqual(seen[1]);
  });
});
