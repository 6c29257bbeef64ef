// `authconform mock` in-process (runMock with its output captured, stopped by an AbortSignal as
// Ctrl-C stops the command): what it prints and serves. The bin started as a process is the smoke
// test of test/cli/mock-background-kill.test.ts, and the packed one's of test/package/pack.test.ts.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runMock } from '../../src/cli/mock-command.ts';

/** Starts `authconform mock ...`, waits for every "listening on" line, returns the URLs. */
async function startMock(args: string[], count: number) {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const ctrl = new AbortController();
  const serving = runMock(args, sink, ctrl.signal);
  const stop = async () => {
    ctrl.abort();
    expect(await serving).toBe(0);
  };
  try {
    await expect.poll(() => out, { timeout: 15_000 }).toContain('Ctrl-C stops.');
    const urls = [...out.matchAll(/listening on (http:\/\/\S+)/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(count);
    return { urls, output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

describe('authconform mock', () => {
  it('serves a profile, prints its URL and seeded credentials, and answers like the profile says', async () => {
    const { stop, urls, output } = await startMock(['--profile', 'luxcore', '--port', '0'], 1);
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
      await stop();
    }
  });

  it('once stopped, leaves no signal listener behind in the process it ran in', async () => {
    const before = ['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s));
    const { stop } = await startMock(['--profile', 'gateway', '--port', '0'], 1);
    expect(['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s))).toEqual(
      before.map((n) => n + 1),
    );
    await stop();
    expect(['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s))).toEqual(before);
  });

  it('stops, and lets its listeners go, when told to stop while it is still starting', async () => {
    const before = ['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s));
    const ctrl = new AbortController();
    const serving = runMock(
      ['--profile', 'gateway', '--port', '0'],
      new Writable({
        write: (_chunk, _enc, done) => done(),
      }),
      ctrl.signal,
    );
    ctrl.abort(); // before it listens: a caller that gave up (a start that took too long)
    expect(await serving).toBe(0);
    expect(['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s))).toEqual(before);
  }, 15_000);

  it('--profile all serves each profile on its own port', async () => {
    const { stop, urls } = await startMock(['--profile', 'all', '--port', '0'], 5);
    try {
      const ids = await Promise.all(
        urls.map(async (u) => (await (await fetch(`${u}/__mock/health`)).json()).profile),
      );
      expect(ids.sort()).toEqual(['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay']);
    } finally {
      await stop();
    }
  });

  it('--profile a,b serves the profiles the list names, each on its own port', async () => {
    const { stop, urls } = await startMock(['--profile', 'gateway,luxcore', '--port', '0'], 2);
    try {
      const ids = await Promise.all(
        urls.map(async (u) => (await (await fetch(`${u}/__mock/health`)).json()).profile),
      );
      expect(ids).toEqual(['gateway', 'luxcore']);
    } finally {
      await stop();
    }
  });

  it('moves its clock forward on request, so expiry can be seen without waiting', async () => {
    const { stop, urls } = await startMock(
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
      await stop();
    }
  });
});
