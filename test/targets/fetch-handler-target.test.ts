// Issue 15 item 3: a Fetch handler asked in-process: the Hono example itself (an object with a
// fetch method), with no socket and no adapter. It gives the verdicts its HTTP test
// (test/examples/hono-gateway.test.ts) gives, and an app with one auth fault fails.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, DEFAULT_DATA } from '../../examples/hono-gateway/server.ts';
import { loadWorld } from '../../examples/hono-gateway/world.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { fetchHandlerTarget } from '../../src/targets/fetch-handler-target.ts';
import { EXAMPLES_DIR, clockLimitedIds, notPassed } from '../examples/run-example.ts';
import { runInProcess, statusLines, revocationLines, unrevoke } from './run-in-process.ts';
import { exampleWorld } from '../support/example-world.ts';

const loaded = resolveProfile('gateway');
const { profile } = loaded;
const creds = loadCredentials(join(EXAMPLES_DIR, 'hono-gateway/credentials.yaml'), profile);
type World = ReturnType<typeof loadWorld>;

/** The Hono app, built afresh from its seeded data before every case (what `reset` returns). */
function hono(edit: (w: World) => void = () => {}) {
  const fresh = () => {
    const world = exampleWorld(loadWorld, DEFAULT_DATA);
    edit(world);
    return createApp(world);
  };
  return fetchHandlerTarget(fresh(), { reset: fresh });
}

describe('a Hono app as a Fetch handler, in-process (Payment Gateway example)', () => {
  it('passes every MUST scenario of the gateway profile, as it does over HTTP', async () => {
    const verdicts = await runInProcess({
      profile: loaded,
      creds,
      target: hono(),
      runs: 5,
      seed: 2026,
    });
    expect(notPassed(verdicts)).toEqual([]);
    // As over HTTP: the app's clock cannot be moved past the rotation grace or the rate window.
    expect(clockLimitedIds(verdicts)).toEqual([
      'key-lifecycle-model: PARTIAL',
      'rate-window-per-key: PARTIAL',
    ]);
    expect(verdicts.map((v) => v.scenario)).toEqual(
      expect.arrayContaining([
        'other-organization-record',
        'organization-header-does-not-switch',
        'system-key-on-organization-route',
        'revoked-key-refused',
        'scope-denied',
        'scope-wildcard-bounded',
        'rate-limit-429',
        'key-lifecycle-model',
      ]),
    );
  }, 60_000);

  it('fails the app once its data un-revokes the revoked key', async () => {
    expect(await revocationLines(loaded, creds, hono(unrevoke(creds)))).toEqual([
      'missing-key PASS',
      'revoked-key-refused FAIL',
    ]);
  });
});
