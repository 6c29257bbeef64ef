// Issue 15 item 3: a Node `http` request listener asked in-process, with no socket: the Express
// example as it is, and the Hono example through @hono/node-server's getRequestListener. Each
// gives the verdicts its HTTP test (test/examples/) gives, and an app with one auth fault fails.
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import * as vesuvio from '../../examples/express-vesuviopay/server.ts';
import { loadWorld as loadVesuvioWorld } from '../../examples/express-vesuviopay/world.ts';
import * as gateway from '../../examples/hono-gateway/server.ts';
import { loadWorld as loadGatewayWorld } from '../../examples/hono-gateway/world.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { nodeListenerTarget } from '../../src/targets/node-listener-target.ts';
import { EXAMPLES_DIR, clockLimitedIds, notPassed } from '../examples/run-example.ts';
import { runInProcess, statusLines, revocationLines, unrevoke } from './run-in-process.ts';
import { exampleWorld } from '../support/example-world.ts';

describe('an Express app as a Node listener, in-process (VesuvioPay example)', () => {
  const loaded = resolveProfile('vesuviopay');
  const { profile } = loaded;
  const creds = loadCredentials(join(EXAMPLES_DIR, 'express-vesuviopay/credentials.yaml'), profile);
  /** The app, built afresh from its seeded data before every case (what `reset` returns). */
  const express = (edit: (w: ReturnType<typeof loadVesuvioWorld>) => void = () => {}) => {
    const fresh = () => {
      const world = exampleWorld(loadVesuvioWorld, vesuvio.DEFAULT_DATA);
      edit(world);
      return vesuvio.createApp(world);
    };
    return nodeListenerTarget(fresh(), { reset: fresh });
  };

  it('passes every MUST scenario of the vesuviopay profile, as it does over HTTP', async () => {
    const verdicts = await runInProcess({
      profile: loaded,
      creds,
      target: express(),
      runs: 5,
      seed: 2026,
    });
    expect(notPassed(verdicts)).toEqual([]);
    // As over HTTP: the app's clock cannot be moved, and the window's reset is a minute away.
    expect(clockLimitedIds(verdicts)).toEqual(['rate-window-per-key: PARTIAL']);
    expect(verdicts.map((v) => v.scenario)).toEqual(
      expect.arrayContaining([
        'test-key-on-live-data',
        'other-store-record',
        'publishable-key-on-secret-call',
        'revoked-key-refused',
        'expired-jwt',
        'jwt-alg-none',
        'rate-limit-429',
        'body-not-json',
      ]),
    );
  }, 60_000);

  it('fails the app once its data un-revokes the revoked key', async () => {
    expect(await revocationLines(loaded, creds, express(unrevoke(creds)))).toEqual([
      'missing-key PASS',
      'revoked-key-refused FAIL',
    ]);
  });
});

describe('a Hono app through getRequestListener, in-process (Payment Gateway example)', () => {
  const loaded = resolveProfile('gateway');
  const { profile } = loaded;
  const creds = loadCredentials(join(EXAMPLES_DIR, 'hono-gateway/credentials.yaml'), profile);
  type World = ReturnType<typeof loadGatewayWorld>;
  const listener = (edit: (w: World) => void = () => {}) => {
    const fresh = () => {
      const world = exampleWorld(loadGatewayWorld, gateway.DEFAULT_DATA);
      edit(world);
      return getRequestListener(gateway.createApp(world).fetch);
    };
    return nodeListenerTarget(fresh(), { reset: fresh });
  };
  const SOME = ['missing-key', 'revoked-key-refused', 'scope-denied', 'scope-wildcard-granted'];

  it('passes the key, revocation and scope scenarios of the gateway profile', async () => {
    const verdicts = await runInProcess({
      profile: loaded,
      creds,
      target: listener(),
      runs: 5,
      seed: 2026,
      only: SOME,
    });
    expect(statusLines(verdicts)).toEqual(SOME.map((id) => `${id} PASS`).sort());
  });

  it('fails the app once its data gives the least-privilege key every scope', async () => {
    const widened = listener((world) => {
      const valid = world.keys.find((k) => k.id === creds.keys!.valid!.id)!;
      world.keys.find((k) => k.id === creds.keys!.scopeLimited!.id)!.scopes = valid.scopes;
    });
    const verdicts = await runInProcess({
      profile: loaded,
      creds,
      target: widened,
      runs: 5,
      seed: 2026,
      only: ['missing-key', 'scope-denied'],
    });
    expect(statusLines(verdicts)).toEqual(['missing-key PASS', 'scope-denied FAIL']);
  });
});
