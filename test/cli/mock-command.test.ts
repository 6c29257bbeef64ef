import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/authconform.js');

/** Starts `authconform mock ...`, waits for every "listening on" line, returns the URLs. */
async function startMock(args: string[], count: number) {
  const child = spawn(process.execPath, [BIN, 'mock', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const urls = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mock did not start: ${out}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const found = [...out.matchAll(/listening on (http:\/\/\S+)/g)].map((m) => m[1]!);
      if (found.length === count && out.includes('Ctrl-C stops.')) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.on('exit', (code) => reject(new Error(`mock exited ${code}: ${out}`)));
  });
  return { child, urls, output: () => out };
}

describe('npx authconform mock', () => {
  it('serves a profile, prints its URL and seeded credentials, and answers like the profile says', async () => {
    const { child, urls, output } = await startMock(['--profile', 'luxcore', '--port', '0'], 1);
    try {
      const valid = /valid\s+(qp_test_sk_\S+)/.exec(output())![1]!;
      const ok = await fetch(`${urls[0]}/api/v1/balance`, { headers: { 'X-API-Key': valid } });
      expect(ok.status).toBe(200);
      const denied = await fetch(`${urls[0]}/api/v1/balance`);
      expect(denied.status).toBe(401);
      const creds = await (await fetch(`${urls[0]}/__mock/credentials`)).json();
      expect(creds.keys.valid.value).toBe(valid);
      expect(output()).toMatch(/hmac \(signing\)\s+key id 100234, secret/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('--profile all serves each profile on its own port', async () => {
    const { child, urls } = await startMock(['--profile', 'all', '--port', '0'], 5);
    try {
      const ids = await Promise.all(
        urls.map(async (u) => (await (await fetch(`${u}/__mock/health`)).json()).profile),
      );
      expect(ids.sort()).toEqual(['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay']);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('moves its clock forward on request, so expiry can be seen without waiting', async () => {
    const { child, urls } = await startMock(
      ['--profile', 'vaulera', '--port', '0', '--allow-host', 'mock.internal,other.test'],
      1,
    );
    try {
      const json = { 'content-type': 'application/json' };
      const r = await fetch(`${urls[0]}/__mock/clock`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ advanceSeconds: 3600 }),
      });
      expect((await r.json()).offsetSeconds).toBe(3600);
      const bad = await fetch(`${urls[0]}/__mock/clock`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ advanceSeconds: -5 }),
      });
      expect(bad.status).toBe(400);
      // A text/plain POST, as any web page may send across origins: refused.
      const plain = await fetch(`${urls[0]}/__mock/reset`, {
        method: 'POST',
        body: '{}',
      });
      expect(plain.status).toBe(415);
      // --allow-host: the control routes answer to that name too (Host set through undici).
      const { request } = await import('undici');
      const named = await request(`${urls[0]}/__mock/health`, {
        headers: { host: `mock.internal:${new URL(urls[0]!).port}` },
      });
      expect(named.statusCode).toBe(200);
      await named.body.dump();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
