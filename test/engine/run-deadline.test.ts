// Issue 12 item 8: a run has a deadline. When it passes, the case in flight is given up at once and
// it and every later case that applies are ERROR, saying so; cases that do not apply stay absent.
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { exitCodeOf } from '../../src/verdict/exit-code.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { httpTarget } from '../../src/targets/http-target.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import { runDeadline } from '../../src/targets/run-deadline.ts';
import { startHostileTarget, type HostileTarget } from '../support/hostile-target.ts';

const IDS = ['missing-key', 'revoked-key-refused', 'nonce-replayed', 'jwt-alg-none'];
const scenarios = loadScenarios().filter((s) => IDS.includes(s.id));
let hostile: HostileTarget | undefined;

afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

function luxcore() {
  const { profile } = resolveProfile('luxcore');
  return { profile, creds: fixturesToCredentials(builtInFixtures(profile), profile) };
}

describe('the run deadline (--max-time)', () => {
  it('ends a run against a target that never answers at the deadline, every case ERROR', async () => {
    hostile = await startHostileTarget('never-answers');
    const { profile, creds } = luxcore();
    const t0 = Date.now();
    const deadline = runDeadline(1, '--max-time 1');
    const target = httpTarget(hostile.url, { timeoutMs: 60_000, deadline });
    const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
      runs: 5,
      seed: 1,
      deadline,
    });
    const ms = Date.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(2500);
    // jwt-alg-none does not apply to luxcore (no JWT): no verdict, as without a deadline.
    expect(verdicts.map((v) => [v.scenario, v.status, v.reason])).toEqual([
      ['missing-key', 'ERROR', 'run deadline (--max-time 1) passed before this scenario finished'],
      ['nonce-replayed', 'ERROR', 'run deadline (--max-time 1) passed before this scenario ran'],
      [
        'revoked-key-refused',
        'ERROR',
        'run deadline (--max-time 1) passed before this scenario ran',
      ],
    ]);
    expect(exitCodeOf(verdicts)).toBe(3);
    expect(hostile.requests).toHaveLength(1);
  });

  it('changes nothing in a run that ends before it', async () => {
    const { profile, creds } = luxcore();
    const deadline = runDeadline(600);
    const target = await inProcessMockTarget(profile);
    const verdicts = await runConformance([{ profile, creds, target }], scenarios, {
      runs: 2,
      seed: 1,
      deadline,
    });
    expect(verdicts.map((v) => v.status)).toEqual(['PASS', 'PASS', 'PASS']);
  });
});
