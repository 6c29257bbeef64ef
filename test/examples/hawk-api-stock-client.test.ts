// The Petrel example (Hawk) must take requests from an unmodified Hawk client: the hawk package's
// client.header, left to make its own nonce, is accepted by the example server (the hawk package
// verifying) and by the bundled mock serving the same profile.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../examples/hawk-api/server.ts';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';
import { EXAMPLES_DIR } from './run-example.ts';

/** The part of the hawk package's client used here (it ships no types). */
interface HawkClient {
  header(
    uri: string,
    method: string,
    options: {
      credentials: { id: string; key: string; algorithm: string };
      payload?: string;
      contentType?: string;
    },
  ): { header: string; artifacts: { nonce: string } };
}
const Hawk = createRequire(import.meta.url)('hawk') as { client: HawkClient };

const dir = join(EXAMPLES_DIR, 'hawk-api');
const registry = new SchemaRegistry([SCHEMAS_DIR, join(dir, 'schemas')]);
const { profile } = loadProfile(join(dir, 'profile.yaml'), registry);
const fixtures = join(dir, 'fixtures.yaml');
const device = { id: 'dev_4q7w2e9r', key: 'hc4w_Kcz6HBrdMmJ3d8crbs4j6parjd3HVW3u8GDJrs' };

const servers: { name: string; url: string; close(): Promise<void> }[] = [];

beforeAll(async () => {
  const example = await start(0, '127.0.0.1');
  const mock = await startMockServer(await createAuthMock({ profile, fixtures }), {
    host: '127.0.0.1',
    port: 0,
  });
  servers.push(
    { name: 'the example server (hawk package)', ...example },
    { name: 'the bundled mock', url: mock.url, close: () => mock.stop() },
  );
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

/** A note created with the Hawk header the stock client writes; its nonce is the client's own. */
async function createNote(url: string): Promise<{ status: number; nonce: string }> {
  const body = JSON.stringify({ title: 'Groceries', text: 'oat milk', tags: ['home'] });
  const contentType = 'application/json';
  const { header, artifacts } = Hawk.client.header(`${url}/v1/notes`, 'POST', {
    credentials: { ...device, algorithm: 'sha256' },
    payload: body,
    contentType,
  });
  const res = await fetch(`${url}/v1/notes`, {
    method: 'POST',
    headers: { authorization: header, 'content-type': contentType },
    body,
  });
  return { status: res.status, nonce: artifacts.nonce };
}

describe('the Petrel example (Hawk) with a stock Hawk client', () => {
  it('accepts a request signed by the hawk package with a nonce it made up (6 characters)', async () => {
    for (const server of servers) {
      const { status, nonce } = await createNote(server.url);
      expect(nonce, 'the hawk client chose the nonce').toMatch(/^[A-Za-z0-9_-]{6}$/);
      expect(status, server.name).toBe(201);
    }
  });
});
