// Issue 13 item 6: a note when the target is evidently another API (its /__mock/health names
// another profile), and nothing when the target has no such route or does not answer it.
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer, type RunningMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { mockProfileAt } from '../../src/targets/mock-health-probe.ts';
import { runMain } from './run-main.ts';

const mocks: Record<string, RunningMockServer> = {};
let creds: string;
const servers: Server[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

beforeAll(async () => {
  for (const id of ['luxcore', 'vaulera'])
    mocks[id] = await startMockServer(await createAuthMock({ profile: id }), {
      host: '127.0.0.1',
      port: 0,
    });
  creds = join(mkdtempSync(join(tmpdir(), 'authconform-other-')), 'luxcore.credentials.yaml');
  expect((await runMain('credentials', '--profile', 'luxcore', '--out', creds)).code).toBe(0);
});
afterAll(async () => {
  for (const m of Object.values(mocks)) await m.stop();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

const runLuxcore = (target: string) =>
  runMain(
    'run',
    '--profile',
    'luxcore',
    '--target',
    target,
    '--credentials',
    creds,
    '--scenario',
    'missing-key',
    '--runs',
    '1',
    '--seed',
    '1',
  );

describe('authconform run against a URL that serves another profile', () => {
  it('warns before the run when /__mock/health names another profile', async () => {
    const r = await runLuxcore(mocks.vaulera!.url);
    expect(r.stdout).toContain(
      `warning: ${mocks.vaulera!.url} looks like the bundled mock serving profile "vaulera" (GET /__mock/health), not "luxcore"`,
    );
    // Before the first verdict, where a person reads it.
    expect(r.stdout.indexOf('warning:')).toBeLessThan(r.stdout.indexOf('authconform run:'));
  });

  it('says nothing against a mock of the same profile, or a server without that route', async () => {
    const same = await runLuxcore(mocks.luxcore!.url);
    expect(same.code, same.stdout).toBe(0);
    expect(same.stdout).not.toContain('looks like');
    const notFound = await listen((_q, s) => s.writeHead(404).end('not found'));
    expect((await runLuxcore(notFound)).stdout).not.toContain('looks like');
  });

  it('the look is bounded: a target that never answers it gives no profile within the timeout', async () => {
    const silent = await listen(() => {}); // accepts, never answers
    const started = Date.now();
    expect(await mockProfileAt(silent, 200)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    const notJson = await listen((_q, s) => s.writeHead(200).end('<html>'));
    expect(await mockProfileAt(notJson, 200)).toBeUndefined();
    expect(await mockProfileAt(mocks.vaulera!.url)).toBe('vaulera');
  });
});
