// Nonces and time-window edges on servers we did not write: the strict examples (real nonce
// memory, their own clocks, read by the harness only through the Date header) pass the edge and
// nonce scenarios over two seeds (`npm run teeth -- --seeds 20` runs them over twenty), and each
// is caught when started with one mistake at the edge.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start as startLuxcore } from '../../examples/node-luxcore/server.ts';
import { start as startTidewater } from '../../examples/fastify-tidewater/server.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import type { LoadedProfile } from '../../src/spec/load-profile.ts';
import { verify } from '../../src/api/verify.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import type { Credentials } from '../../src/model/credentials.ts';
import { httpTarget } from '../../src/targets/http-target.ts';
import { EXAMPLES_DIR, runAgainstExample, type ExampleServer } from './run-example.ts';

const NONCE_SCENARIOS = [
  'nonce-length-bounds-accepted',
  'nonce-too-short',
  'nonce-too-long',
  'nonce-disallowed-characters',
  'nonce-replayed',
  'nonce-replayed-with-another-key',
];
const TIME_EDGE_SCENARIOS = [
  'timestamp-at-window-edge',
  'timestamp-just-outside-window',
  'jwt-expired-at-leeway-edge',
  'jwt-within-leeway-accepted',
];
// Two seeds here; `npm run teeth -- --seeds 20` runs every scenario on these servers over twenty.
const SEEDS = [101, 102];

const luxcore = resolveProfile('luxcore');
const luxcoreCreds = loadCredentials(
  join(EXAMPLES_DIR, 'node-luxcore/credentials.yaml'),
  luxcore.profile,
);
const tidewaterDir = join(EXAMPLES_DIR, 'fastify-tidewater');
// Its body schemas are found beside it, as `authconform run --profile FILE` finds them (F2).
const tidewater = resolveProfile(join(tidewaterDir, 'profile.yaml'));
const tidewaterCreds = loadCredentials(join(tidewaterDir, 'credentials.yaml'), tidewater.profile);

/**
 * The time-edge scenarios against one server started for the seed, in one verify() through one
 * URL target: the run a partner makes, its clock estimate carried from scenario to scenario (they
 * spend less than a rate window). The nonce scenarios get a server each, as run-example.ts does.
 */
async function edgeRun(
  profile: LoadedProfile,
  creds: Credentials,
  start: () => Promise<ExampleServer>,
  seed: number,
): Promise<Verdict[]> {
  const server = await start();
  try {
    const record = await verify({
      profile,
      credentials: creds,
      target: httpTarget(server.url, { timeoutMs: 5000, startsFresh: true }),
      scenarios: TIME_EDGE_SCENARIOS,
      runs: 10,
      seed,
    });
    return record.verdicts;
  } finally {
    await server.close();
  }
}

const statuses = (vs: { scenario: string; status: string; reason?: string }[]) =>
  vs
    .filter((v) => v.status !== 'PASS')
    .map((v) => `${v.scenario} ${v.status}: ${(v.reason ?? '').split('\n')[0]}`);

describe('nonce and time-window edges on the independent examples', () => {
  it('the node:http LuxCore server passes them over two seeds (no false alarm), edges exact', async () => {
    const falseAlarms: string[] = [];
    const margins: string[] = [];
    for (const seed of SEEDS) {
      const start = () => startLuxcore(0, '127.0.0.1');
      const edges = await edgeRun(luxcore, luxcoreCreds, start, seed);
      const verdicts = [
        ...edges,
        ...(await runAgainstExample({
          profile: luxcore,
          creds: luxcoreCreds,
          start,
          runs: 10,
          seed,
          only: NONCE_SCENARIOS,
        })),
      ];
      expect(verdicts.map((v) => v.scenario)).toEqual(
        expect.arrayContaining([
          'nonce-replayed-with-another-key',
          'nonce-disallowed-characters',
          'timestamp-at-window-edge',
          'timestamp-just-outside-window',
        ]),
      );
      falseAlarms.push(...statuses(verdicts).map((s) => `seed ${seed}: ${s}`));
      // The Date header pinned the server's clock to well under a second: the edges were exact.
      margins.push(...edges.filter((v) => v.note).map((v) => `${v.scenario}: ${v.note}`));
    }
    expect(falseAlarms).toEqual([]);
    expect(margins).toEqual([]);
  }, 300_000);

  it('the Fastify Tidewater server (ms timestamps, exclusive window, ES256 JWTs) passes them over two seeds', async () => {
    const falseAlarms: string[] = [];
    for (const seed of SEEDS) {
      const start = () => startTidewater(0, '127.0.0.1');
      const edges = await edgeRun(tidewater, tidewaterCreds, start, seed);
      const verdicts = [
        ...edges,
        ...(await runAgainstExample({
          profile: tidewater,
          creds: tidewaterCreds,
          start,
          runs: 10,
          seed,
          only: NONCE_SCENARIOS,
        })),
      ];
      expect(verdicts.map((v) => v.scenario)).toEqual(
        expect.arrayContaining([
          'nonce-replayed-with-another-key',
          'timestamp-at-window-edge',
          'jwt-expired-at-leeway-edge',
          'jwt-within-leeway-accepted',
        ]),
      );
      falseAlarms.push(...statuses(verdicts).map((s) => `seed ${seed}: ${s}`));
    }
    expect(falseAlarms).toEqual([]);
  }, 300_000);

  for (const [weakness, scenario] of [
    ['nonce-per-key', 'nonce-replayed-with-another-key'],
    ['window-exclusive', 'timestamp-at-window-edge'],
  ] as const) {
    it(`catches the LuxCore server started with ${weakness} by ${scenario}`, async () => {
      const verdicts = await runAgainstExample({
        profile: luxcore,
        creds: luxcoreCreds,
        start: () => startLuxcore(0, '127.0.0.1', { weakness }),
        runs: 10,
        seed: 2026,
        only: ['nonce-replayed', scenario],
      });
      expect(verdicts.map((v) => `${v.scenario} ${v.status}`).sort()).toEqual(
        ['nonce-replayed PASS', `${scenario} FAIL`].sort(),
      );
    }, 60_000);
  }
});
