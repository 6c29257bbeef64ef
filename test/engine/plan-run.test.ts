// Issue 13 item 6: what `run --dry-run` promises is what the run does. The plan and the run take
// one decision (src/engine/plan-run.ts); this holds them to it on profiles with scenarios of every
// kind: run, SKIP for a missing role or resource, not applicable.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { ProfileRun } from '../../src/engine/engine-context.ts';
import { planRun } from '../../src/engine/plan-run.ts';
import { selectScenarios } from '../../src/scenario/select-scenarios.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import type { Target } from '../../src/targets/target.ts';

// The rate-limit family spends whole windows (seconds of requests): the rest has every kind.
const { scenarios } = selectScenarios(loadScenarios(), [], ['family:rate-limit']);

describe('planRun', () => {
  it('plans exactly the verdicts the run gives: same pairs, same SKIPs and reasons, same cases', async () => {
    const runs: ProfileRun[] = [];
    for (const id of ['luxcore', 'gateway']) {
      const { profile } = resolveProfile(id);
      const creds = fixturesToCredentials(builtInFixtures(profile), profile);
      // Roles left out so that some scenarios SKIP: the revoked key, HMAC, other parties' keys.
      delete creds.hmac;
      if (creds.keys) {
        delete creds.keys.revoked;
        delete creds.keys.otherMerchant;
        delete creds.keys.otherTenant;
      }
      runs.push({ profile, creds, target: await inProcessMockTarget(profile) });
    }
    // A target that counts what is sent while the plan is made.
    let sent = 0;
    const counted = runs.map((r) => ({ ...r, target: counting(r.target, () => sent++) }));
    const plan = planRun(counted, scenarios, { runs: 1 });
    expect(sent).toBe(0);

    const verdicts = await runConformance(runs, scenarios, { runs: 1, seed: 5 });
    const applicable = plan.filter((p) => p.plan.kind !== 'not-applicable');
    expect(verdicts.map((v) => `${v.profile} ${v.scenario}`)).toEqual(
      applicable.map((p) => `${p.profile} ${p.scenario.id}`),
    );
    applicable.forEach(({ plan: p }, i) => {
      const v = verdicts[i]!;
      const at = `${v.profile} ${v.scenario}: ${v.status} ${v.reason ?? ''}`;
      if (p.kind === 'skip') expect(v.status, at).toBe('SKIP');
      if (p.kind === 'skip') expect(v.reason, at).toBe(p.reason);
      if (p.kind !== 'run') return;
      expect(v.runs, at).toBe(p.runs);
      // A SKIP the plan cannot decide without drawing is one it announced: a route it named.
      if (v.status === 'SKIP') {
        const role = /^the credentials have no (\S+)/.exec(v.reason ?? '')?.[1];
        expect(
          p.maySkip?.some((m) => m.includes(`need(s) ${role},`)),
          at,
        ).toBe(true);
      }
    });
    expect(applicable.filter((p) => p.plan.kind === 'skip').length).toBeGreaterThan(3);
    expect(
      applicable.filter((p) => p.plan.kind === 'run' && p.plan.maySkip).length,
    ).toBeGreaterThan(0);
    expect(plan.length - applicable.length).toBeGreaterThan(10);
  }, 30_000);
});

function counting(target: Target, onSend: () => void): Target {
  return {
    ...target,
    send: (req) => {
      onSend();
      return target.send(req);
    },
  };
}

describe('planRun: not applicable is decided by the profile alone', () => {
  it('calls a nonce scenario N/A for SigV4 (no nonce), not SKIP, when the credentials lack the signing key', async () => {
    const { profile } = resolveProfile('examples/sigv4-api/profile.yaml');
    const fixtures = generateFixtures(profile);
    const creds = fixturesToCredentials(fixtures, profile);
    delete creds.hmac;
    const target = await inProcessMockTarget(profile, await createAuthMock({ profile, fixtures }));
    const plan = planRun([{ profile, creds, target }], loadScenarios(), { runs: 1 });
    const of = (id: string) => plan.find((p) => p.scenario.id === id)!.plan;
    expect(of('nonce-replayed')).toEqual({
      kind: 'not-applicable',
      reason: 'the sigv4 signing scheme has no nonce: the fault has nothing to act on',
    });
    expect(of('signature-wrong-version').kind).toBe('not-applicable');
    expect(of('signature-expired')).toEqual({
      kind: 'not-applicable',
      reason:
        'the sigv4 signing scheme has no expiry beside its timestamp: the fault has nothing to act on',
    });
    // What the scheme has and the credentials cannot sign for is a SKIP, saying why.
    expect(of('signature-body-tampered')).toEqual({
      kind: 'skip',
      reason: 'the credentials have no hmac',
    });
    await target.close();
  });
});
