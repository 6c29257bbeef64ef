import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { ProfileRun } from '../../src/engine/engine-context.ts';
import { exitCodeOf } from '../../src/verdict/exit-code.ts';
import {
  builtInFixtures,
  builtInProfileIds,
  resolveProfile,
} from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import { httpTarget } from '../../src/targets/http-target.ts';
import type { Target } from '../../src/targets/target.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { jsonPointer } from '../../src/model/json-pointer.ts';
import { brokenTarget, swapValue } from '../support/broken-targets.ts';
import { hmacSigning } from '../support/hmac-signing.ts';
import { runMain } from '../cli/run-main.ts';

const scenarios = loadScenarios();

function setup(id: string) {
  const { profile } = resolveProfile(id);
  return { profile, creds: fixturesToCredentials(builtInFixtures(profile), profile) };
}

// Whole-profile runs: their time is the benchmark's to measure (npm run bench), not a limit here.
// Six draws per scenario: the search for a false alarm over many seeds is `npm run teeth -- --seeds N`'s.
describe('authconform run against the bundled mock', () => {
  it('every profile passes every applicable scenario in-process', async () => {
    const runs: ProfileRun[] = [];
    for (const id of builtInProfileIds()) {
      const { profile, creds } = setup(id);
      runs.push({ profile, creds, target: await inProcessMockTarget(profile) });
    }
    const verdicts = await runConformance(runs, scenarios, { runs: 6, seed: 11 });
    expect(
      verdicts
        .filter((v) => v.status === 'FAIL' || v.status === 'ERROR')
        .map((v) => `${v.profile}/${v.scenario}: ${v.reason}`),
    ).toEqual([]);
    expect(verdicts.filter((v) => v.status === 'PASS').length).toBeGreaterThanOrEqual(30);
    expect(new Set(verdicts.map((v) => v.profile))).toEqual(new Set(builtInProfileIds()));
    expect(exitCodeOf(verdicts)).toBe(0);
  }, 120_000);
  // Over real HTTP (the mock served by Hapi, its clock read and reset through the control routes)
  // every profile passes every scenario, SKIPs included: test/teeth/teeth-over-http.test.ts.
});

describe('verdicts other than PASS', () => {
  it('SKIPs a scenario whose credentials role is missing, with that reason', async () => {
    const { profile, creds } = setup('luxcore');
    delete creds.keys!.revoked;
    // The scenario that needs the role, and one that does not (which passes: the run certifies it).
    const verdicts = await runConformance(
      [{ profile, creds, target: await inProcessMockTarget(profile) }],
      scenarios.filter((x) => ['revoked-key-refused', 'missing-key'].includes(x.id)),
      { runs: 5, seed: 1 },
    );
    const v = verdicts.find((x) => x.scenario === 'revoked-key-refused')!;
    expect(v.status).toBe('SKIP');
    expect(v.reason).toBe('the credentials have no keys.revoked');
    expect(exitCodeOf(verdicts)).toBe(0);
  });

  it('gives ERROR, never PASS, when the target cannot be reached, and exit code 3', async () => {
    const { profile, creds } = setup('gateway');
    const target = httpTarget('http://127.0.0.1:9', { timeoutMs: 2000 });
    const verdicts = await runConformance(
      [{ profile, creds, target }],
      scenarios.filter((s) => s.id === 'missing-key'),
      { runs: 3, seed: 1 },
    );
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]!.status).toBe('ERROR');
    expect(verdicts[0]!.reason).toMatch(/the target could not be asked: .*ECONNREFUSED/);
    expect(exitCodeOf(verdicts)).toBe(3);
  });

  it('FAILs with a shrunk counterexample whose secrets are masked', async () => {
    const { target, profile, creds } = await brokenTarget({
      name: 'revoked accepted',
      profile: 'luxcore',
      models: '',
      caughtBy: [],
      rewrite: (req, c) => swapValue(req, c.keys!.revoked!.value, c.keys!.valid!.value),
    });
    const [v] = await runConformance(
      [{ profile, creds, target }],
      scenarios.filter((s) => s.id === 'revoked-key-refused'),
      { runs: 10, seed: 3 },
    );
    expect(v!.status).toBe('FAIL');
    expect(exitCodeOf([v!])).toBe(1);
    const text = JSON.stringify(v);
    for (const secret of [creds.keys!.revoked!.value, creds.keys!.valid!.value, creds.hmac!.secret])
      expect(text).not.toContain(secret);
    expect(v!.counterexample!.curl).toContain('qp_test_sk_…');
    expect(v!.counterexample!.path).toMatch(/^\d+(:\d+)*$/);
  });
});

describe('a wrong credentials file cannot make a broken server look right', () => {
  it('JWT faults: with the wrong signing secret, an exp-ignoring server fails instead of passing', async () => {
    const { target, profile, creds } = await brokenTarget({
      name: 'exp ignored',
      profile: 'auxvault',
      models: '',
      caughtBy: [],
      mutateProfile: (p) =>
        ((p.tokens!['access'] as { leewaySeconds: number }).leewaySeconds = 10 * 365 * 86400),
    });
    creds.jwt = { ...creds.jwt!, secret: 'not-the-secret-the-server-signs-with-0123456789' };
    const jwtScenarios = scenarios.filter((x) => x.family === 'expired-jwt');
    const verdicts = await runConformance([{ profile, creds, target }], jwtScenarios, {
      runs: 5,
      seed: 2,
    });
    expect(verdicts.length).toBeGreaterThan(0);
    for (const v of verdicts) expect(v.status, v.scenario).toBe('FAIL');
    expect(
      verdicts.every((v) => v.reason!.includes('the request the profile says must be accepted')),
    ).toBe(true);
  });

  it('a run in which nothing passed (only skips) exits 1: it certifies nothing', async () => {
    const { profile, creds } = setup('luxcore');
    delete creds.keys!.revoked;
    const verdicts = await runConformance(
      [{ profile, creds, target: await inProcessMockTarget(profile) }],
      scenarios.filter((x) => x.id === 'revoked-key-refused'),
      { runs: 2, seed: 1 },
    );
    expect(verdicts.map((v) => v.status)).toEqual(['SKIP']);
    expect(exitCodeOf(verdicts)).toBe(1);
  });
});

describe('determinism', () => {
  /**
   * The requests a run sends, on a mock whose clock stands still. The ids of records the target
   * created (fresh records for routes that use theirs up) are the target's, so each is written
   * as the order in which it was created.
   */
  async function recordedRequests(seed: number): Promise<OutgoingRequest[]> {
    const { profile, creds } = setup('luxcore');
    const clock = new MockClock(() => Date.parse('2026-06-01T12:00:00Z'));
    const inner = await inProcessMockTarget(profile, await createAuthMock({ profile, clock }));
    const sent: OutgoingRequest[] = [];
    const created = new Map<string, string>();
    const target: Target = {
      ...inner,
      send: async (req) => {
        let text = JSON.stringify(req);
        for (const [id, name] of created) text = text.split(id).join(name);
        sent.push(JSON.parse(text) as OutgoingRequest);
        const res = await inner.send(req);
        const creator = profile.routes.find(
          (r) => r.creates && r.method === req.method && r.path === req.pathWithQuery,
        );
        const id = creator && jsonPointer(res.body, creator.creates!.idAt);
        if (typeof id === 'string') created.set(id, `<created #${created.size + 1}>`);
        return res;
      },
    };
    // The requests are compared, not searched for a failure: three draws per scenario are plenty.
    // Without the rate-limit family: its cases are bursts of 500 identical requests (luxcore's
    // burst limit) drawn like every other case; a model run's replay is stateful-models.test.ts's.
    const drawn = scenarios.filter((s) => s.family !== 'rate-limit');
    await runConformance([{ profile, creds, target }], drawn, { runs: 3, seed });
    return sent;
  }

  /**
   * Nonces are the one exception: fresh in every run (and so the signatures over them), so that a
   * rerun with the same seed is not refused as a replay by a server that still remembers the last.
   */
  const withoutNonces = (sent: OutgoingRequest[]) =>
    sent.map((r) => {
      const { ['X-Nonce']: nonce, ['X-Signature']: signature, ...headers } = r.headers;
      return { ...r, headers, nonce: nonce !== undefined, signature: signature !== undefined };
    });
  const noncesOf = (sent: OutgoingRequest[]) => sent.flatMap((r) => r.headers['X-Nonce'] ?? []);

  // Three recorded runs (two of one seed, one of another), read by both requirements below.
  let a: OutgoingRequest[];
  let b: OutgoingRequest[];
  let c: OutgoingRequest[];
  beforeAll(async () => {
    a = await recordedRequests(99);
    b = await recordedRequests(99);
    c = await recordedRequests(100);
  }, 180_000);

  it('the same --seed sends the same requests; another seed does not', () => {
    expect(a.length).toBeGreaterThan(50);
    expect(withoutNonces(b)).toEqual(withoutNonces(a));
    expect(withoutNonces(c)).not.toEqual(withoutNonces(a));
  });

  it('the same --seed sends fresh nonces: none of one run is sent again by the next', () => {
    // Only nonces a server would remember: a deliberately malformed one (one character, for the
    // too-short scenario) is refused before any nonce is stored, and may repeat by chance.
    const { nonce } = hmacSigning(setup('luxcore').profile);
    const remembered = (n: string) =>
      n.length >= nonce.minLength && n.length <= nonce.maxLength && /^[A-Za-z0-9_-]+$/.test(n);
    const first = noncesOf(a).filter(remembered);
    const next = new Set(noncesOf(b));
    expect(first.length).toBeGreaterThan(10);
    expect(first.filter((n) => next.has(n))).toEqual([]);
  });
});

describe('authconform run (main in-process; bin/authconform.js is started in test/cli/bin.slow.test.ts)', () => {
  it('prints the seed, a live line per verdict and a summary, and exits 0 on the mock', async () => {
    const r = await runMain('run', '--profile', 'luxcore', '--runs', '5', '--seed', '42');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('seed 42');
    expect(r.stdout).toMatch(/\[\s*\d+\/\d+\] PASS  luxcore nonce-replayed/);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed, 0 partial, \d+ skipped, 0 errors/);
  });

  it('exits 2 on bad arguments, naming what is wrong', async () => {
    const err = await runMain('run', '--profile', 'luxcore', '--runs', 'many');
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('--runs must be an integer, got "many"');
    const url = await runMain('run', '--profile', 'luxcore', '--target', 'http://127.0.0.1:9');
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('a URL target needs --credentials FILE');
    // A replay path that is not one (it was exit 3, "target unreachable", from inside fast-check).
    const path = await runMain('run', '--profile', 'luxcore', '--path', 'abc');
    expect(path.code).toBe(2);
    expect(path.stderr).toContain('--path must be the replay path a failure printed');
  });
});
