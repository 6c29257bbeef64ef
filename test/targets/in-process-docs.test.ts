// docs/in-process-targets.md shows this file's code: each ```ts block of the doc is one region
// below (`// #region name` .. `// #endregion`), word for word, and runs here as written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// #region imports
import { fastifyTarget, fetchHandlerTarget, nodeListenerTarget, verify } from 'authconform';
import { conformanceSuite } from 'authconform/vitest';
import * as vesuvio from '../../examples/express-vesuviopay/server.ts';
import * as vesuvioWorld from '../../examples/express-vesuviopay/world.ts';
import * as gateway from '../../examples/hono-gateway/server.ts';
import * as gatewayWorld from '../../examples/hono-gateway/world.ts';
import * as tidewater from '../../examples/fastify-tidewater/server.ts';
import * as tidewaterWorld from '../../examples/fastify-tidewater/world.ts';
// #endregion

describe('docs/in-process-targets.md', () => {
  // #region fetch-handler
  it('conforms to the gateway profile (a Hono app, asked through app.fetch)', async () => {
    // A fresh app from the seeded data before every case: nonces and rate windows start unspent.
    const fresh = () => gateway.createApp(gatewayWorld.loadWorld(gateway.DEFAULT_DATA));
    const record = await verify({
      profile: 'gateway',
      target: fetchHandlerTarget(fresh(), { reset: fresh }),
      credentials: 'examples/hono-gateway/credentials.yaml',
      scenarios: ['missing-key', 'revoked-key-refused', 'scope-denied', 'rate-limit-429'],
      runs: 5,
      seed: 1,
    });
    expect(record.verdicts.map((v) => `${v.scenario} ${v.status}`).sort()).toEqual([
      'missing-key PASS',
      'rate-limit-429 PASS',
      'revoked-key-refused PASS',
      'scope-denied PASS',
    ]);
  });
  // #endregion

  // #region fastify
  it('conforms to its own profile (a Fastify instance, asked through inject)', async () => {
    const fresh = () => tidewater.createApp(tidewaterWorld.loadWorld(tidewater.DEFAULT_DATA));
    let app = await fresh();
    // The instance is yours: close the one a reset replaces, and the last one.
    const reset = async () => {
      await app.close();
      return (app = await fresh());
    };
    const record = await verify({
      profile: 'examples/fastify-tidewater/profile.yaml',
      target: fastifyTarget(app, { reset }),
      credentials: 'examples/fastify-tidewater/credentials.yaml',
      scenarios: ['missing-tenant-header', 'nonce-replayed', 'expired-jwt'],
      runs: 5,
      seed: 1,
    });
    expect(record.verdicts.map((v) => `${v.scenario} ${v.status}`).sort()).toEqual([
      'expired-jwt PASS',
      'missing-tenant-header PASS',
      'nonce-replayed PASS',
    ]);
    await app.close();
  });
  // #endregion

  // #region node-listener
  // One vitest test per scenario, in your own test file: an Express app is a Node listener.
  conformanceSuite({
    profile: 'vesuviopay',
    target: nodeListenerTarget(vesuvio.createApp(vesuvioWorld.loadWorld(vesuvio.DEFAULT_DATA)), {
      reset: () => vesuvio.createApp(vesuvioWorld.loadWorld(vesuvio.DEFAULT_DATA)),
    }),
    credentials: 'examples/express-vesuviopay/credentials.yaml',
    scenarios: ['missing-key', 'revoked-key-refused', 'other-store-record'],
    runs: 5,
    seed: 1,
  });
  // #endregion

  it('shows each region of this file word for word', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/in-process-targets.md'), 'utf8');
    const self = readFileSync(import.meta.filename, 'utf8');
    const blocks = [...doc.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.trimEnd());
    const regions = [
      ...self.matchAll(/^( *)\/\/ #region \S+\n([\s\S]*?)^ *\/\/ #endregion$/gm),
    ].map(([, indent, body]) =>
      body!
        .split('\n')
        .map((line) => line.slice(indent!.length))
        .join('\n')
        .trimEnd(),
    );
    expect(blocks).toEqual(regions);
  });
});
