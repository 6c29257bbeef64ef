// Issue 15 item 3: a Fastify instance asked through its own inject: the Tidewater example (a
// profile written only in YAML), reset through the app's own state hooks instead of a server per
// scenario. It gives the verdicts its HTTP test (test/examples/fastify-tidewater.test.ts) gives,
// runs its clock scenarios once the app's clock hook is given, and an app with one fault fails.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp, DEFAULT_DATA } from '../../examples/fastify-tidewater/server.ts';
import { loadWorld, type World } from '../../examples/fastify-tidewater/world.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';
import { fastifyTarget } from '../../src/targets/fastify-inject-target.ts';
import { EXAMPLES_DIR, clockLimitedIds, notPassed } from '../examples/run-example.ts';
import { runInProcess, statusLines, revocationLines, unrevoke } from './run-in-process.ts';
import { exampleWorld } from '../support/example-world.ts';

const dir = join(EXAMPLES_DIR, 'fastify-tidewater');
const registry = new SchemaRegistry([SCHEMAS_DIR, join(dir, 'schemas')]);
const loaded = loadProfile(join(dir, 'profile.yaml'), registry);
const { profile } = loaded;
const creds = loadCredentials(join(dir, 'credentials.yaml'), profile, registry);
const STATE_TOKEN = 'in-process-state-token-0123456789';

const apps: FastifyInstance[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

/**
 * The app with its provider-state hooks mounted (docs/state-protocol.md), asked in-process: the
 * target's reset and clock hooks call them through inject, as `--state-url` does over HTTP.
 */
async function tidewater(opts: { edit?: (w: World) => void; clock?: boolean } = {}) {
  const world = () => {
    const w = exampleWorld(loadWorld, DEFAULT_DATA);
    opts.edit?.(w);
    return w;
  };
  const app = await createApp(world(), { stateToken: STATE_TOKEN, reloadWorld: world });
  apps.push(app);
  const state = async (verb: string, body: unknown) => {
    const res = await app.inject({
      method: 'POST',
      url: `/__state/${verb}`,
      headers: { authorization: `Bearer ${STATE_TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    if (res.statusCode !== 200) throw new Error(`POST /__state/${verb}: ${res.statusCode}`);
  };
  let offsetMs = 0;
  return fastifyTarget(app, {
    reset: async () => {
      await state('reset', {});
      offsetMs = 0;
    },
    ...(opts.clock
      ? {
          advanceClock: async (seconds: number) => {
            await state('clock', { advanceSeconds: seconds });
            offsetMs += seconds * 1000;
          },
          now: () => Date.now() + offsetMs,
        }
      : {}),
  });
}

describe('a Fastify instance through inject, in-process (Tidewater example)', () => {
  it('passes every MUST scenario of its profile, as it does over HTTP', async () => {
    const verdicts = await runInProcess({
      profile: loaded,
      creds,
      target: await tidewater(),
      runs: 5,
      seed: 2026,
    });
    expect(notPassed(verdicts)).toEqual([]);
    // As over HTTP: without a clock hook, what needs the clock moved is said, never passed.
    expect(clockLimitedIds(verdicts)).toEqual([
      'nonce-replayed-late-in-window: SKIP',
      'nonce-replayed-while-signed-ahead: SKIP',
      'rate-window-per-key: PARTIAL',
    ]);
    expect(verdicts.map((v) => v.scenario)).toEqual(
      expect.arrayContaining([
        'missing-tenant-header',
        'other-tenant-key',
        'scope-alias-granted',
        'expired-jwt',
        'signature-query-tampered',
        'nonce-replayed',
        'timestamp-too-new',
        'rate-limit-429',
      ]),
    );
  }, 90_000);

  it("runs the clock scenarios in full once the app's clock hook is given", async () => {
    const ids = [
      'nonce-replayed-late-in-window',
      'nonce-replayed-while-signed-ahead',
      'rate-window-per-key',
    ];
    const verdicts = await runInProcess({
      profile: loaded,
      creds,
      target: await tidewater({ clock: true }),
      runs: 5,
      seed: 2026,
      only: ids,
    });
    expect(statusLines(verdicts)).toEqual(ids.map((id) => `${id} PASS`));
  }, 30_000);

  it('fails the app once its data un-revokes the revoked key', async () => {
    const unrevoked = await tidewater({ edit: unrevoke(creds) });
    expect(await revocationLines(loaded, creds, unrevoked)).toEqual([
      'missing-key PASS',
      'revoked-key-refused FAIL',
    ]);
  });
});
