/**
 * The provider-state protocol (docs/state-protocol.md) against the reference middleware
 * (examples/state-hooks/) mounted in the Tidewater Fastify example: the clock and reset
 * scenarios, which SKIP or stay PARTIAL on a server whose clock cannot move, now run and pass
 * over several seeds, and catch the server when it forgets nonces before its window ends.
 */
import { join } from 'node:path';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { start } from '../../examples/fastify-tidewater/server.ts';
import {
  expressStateHooks,
  fastifyStateHooks,
  honoStateHooks,
  movableClock,
  type StateCallbacks,
} from '../../examples/state-hooks/state-hooks.ts';
import { verify } from '../../src/api/verify.ts';
import type { Verdict } from '../../src/verdict/verdict.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { stateHooks } from '../../src/targets/state-hooks.ts';
import { EXAMPLES_DIR, exampleRunArgs } from './run-example.ts';
import { runMain } from '../cli/run-main.ts';

const dir = join(EXAMPLES_DIR, 'fastify-tidewater');
// Its body schemas are found beside it, as `authconform run --profile FILE` finds them (F2).
const loaded = resolveProfile(join(dir, 'profile.yaml'));
const creds = loadCredentials(join(dir, 'credentials.yaml'), loaded.profile);
const TOKEN = 'state-token-for-tests-0123456789';
/** What needs the target's clock moved or its state reset: SKIP or PARTIAL without the hooks. */
const CLOCK_AND_RESET = [
  'nonce-replayed-late-in-window',
  'nonce-replayed-while-signed-ahead',
  'rate-window-per-key',
  'rate-limit-429',
];

async function runWithHooks(
  seed: number,
  opts: { replayWindowMs?: number; hooks?: boolean; only?: string[] } = {},
): Promise<Verdict[]> {
  const server = await start(0, '127.0.0.1', undefined, {
    stateToken: TOKEN,
    ...(opts.replayWindowMs ? { replayWindowMs: opts.replayWindowMs } : {}),
  });
  try {
    // What `run --target URL --state-url URL/__state` does, through verify()'s `state` option.
    const record = await verify({
      profile: loaded,
      target: server.url,
      credentials: creds,
      timeoutMs: 5000,
      ...(opts.hooks === false
        ? {}
        : { state: { url: `${server.url}/__state`, token: TOKEN, tokenSource: 'the test' } }),
      scenarios: opts.only ?? CLOCK_AND_RESET,
      runs: 3,
      seed,
    });
    return record.verdicts;
  } finally {
    await server.close();
  }
}

const line = (v: Verdict) => `${v.scenario}: ${v.status}`;

describe('the provider-state hooks on the Tidewater (Fastify) example', () => {
  it('runs the clock and reset scenarios instead of SKIP, and they pass whatever the seed', async () => {
    for (const seed of [1, 2, 3]) {
      const verdicts = await runWithHooks(seed);
      expect(verdicts.map(line).sort(), `seed ${seed}`).toEqual([
        'nonce-replayed-late-in-window: PASS',
        'nonce-replayed-while-signed-ahead: PASS',
        'rate-limit-429: PASS',
        'rate-window-per-key: PASS',
      ]);
    }
  }, 60_000);

  it('catches a server that forgets a nonce before its replay window ends', async () => {
    // Remembered 60 s instead of 240 s: the replay 117 s later is accepted.
    const caught = await runWithHooks(7, { replayWindowMs: 60_000 });
    const late = caught.find((v) => v.scenario === 'nonce-replayed-late-in-window')!;
    expect(late.status).toBe('FAIL');
    // Without the hooks the same fault goes unseen: the scenario cannot move the clock.
    const unseen = await runWithHooks(7, {
      replayWindowMs: 60_000,
      hooks: false,
      only: ['nonce-replayed-late-in-window'],
    });
    expect(unseen.find((v) => v.scenario === 'nonce-replayed-late-in-window')!.status).toBe('SKIP');
  }, 60_000);

  it('through the CLI: --state-url runs the late replay, and a wrong token is exit 2 naming the flags', async () => {
    const server = await start(0, '127.0.0.1', undefined, { stateToken: TOKEN });
    // The CLI in-process, as bin/authconform.js calls it (test/cli/bin.slow.test.ts starts the bin).
    const cli = (token: string) => {
      vi.stubEnv('TIDEWATER_STATE_TOKEN', token);
      return runMain(
        'run',
        ...exampleRunArgs('fastify-tidewater', server.url),
        '--state-url',
        `${server.url}/__state`,
        '--state-token-env',
        'TIDEWATER_STATE_TOKEN',
        '--scenario',
        'nonce-replayed-late-in-window',
        '--runs',
        '2',
        '--seed',
        '5',
      ).finally(() => vi.unstubAllEnvs());
    };
    try {
      const ok = await cli(TOKEN);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/nonce-replayed-late-in-window\s.*PASS/);
      const wrong = 'not-the-state-token-but-long-enough';
      const refused = await cli(wrong);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--state-url');
      expect(refused.stderr).toContain('--state-token-env TIDEWATER_STATE_TOKEN');
      expect(refused.stderr).toContain('401');
      expect(refused.stderr).not.toContain(wrong);
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('the reference state middleware refuses an unauthenticated call', () => {
  const callbacks = (): StateCallbacks & { resets: number } => {
    const clock = movableClock();
    const cb = {
      token: TOKEN,
      resets: 0,
      reset: () => void cb.resets++,
      advance: clock.advance,
      now: clock.now,
      offsetSeconds: clock.offsetSeconds,
      ensure: (role: string) => (role === 'keys.revoked' ? { value: 'k' } : undefined),
    };
    return cb;
  };
  const asks: { method: string; path: string; headers: Record<string, string> }[] = [
    { method: 'POST', path: 'reset', headers: {} },
    { method: 'POST', path: 'reset', headers: { authorization: 'Bearer wrong-token-0123456789' } },
    { method: 'POST', path: 'clock', headers: { authorization: `Basic ${TOKEN}` } },
    { method: 'GET', path: 'clock', headers: { authorization: 'Bearer' } },
  ];

  /** Each framework's app with the hooks under /__state, answering fetch-like calls. */
  const frameworks: Record<
    string,
    (cb: StateCallbacks) => Promise<{ url: string; close(): Promise<void> }>
  > = {
    express: async (cb) => {
      const app = express();
      app.use('/__state', expressStateHooks(cb));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const port = (server.address() as { port: number }).port;
      return {
        url: `http://127.0.0.1:${port}/__state`,
        close: () => new Promise((r) => server.close(() => r())),
      };
    },
    fastify: async (cb) => {
      const app = Fastify();
      await app.register(fastifyStateHooks(cb), { prefix: '/__state' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as { port: number }).port;
      return { url: `http://127.0.0.1:${port}/__state`, close: () => app.close() };
    },
    hono: async (cb) => {
      const app = new Hono();
      app.route('/__state', honoStateHooks(cb));
      const { serve } = await import('@hono/node-server');
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise((r) => server.once('listening', r));
      const port = (server.address() as { port: number }).port;
      return {
        url: `http://127.0.0.1:${port}/__state`,
        close: () => new Promise((r) => server.close(() => r())),
      };
    },
  };

  for (const [name, mount] of Object.entries(frameworks)) {
    it(`on ${name}: 401 without the right bearer token, and the protocol with it`, async () => {
      const cb = callbacks();
      const app = await mount(cb);
      try {
        for (const ask of asks) {
          const res = await fetch(`${app.url}/${ask.path}`, {
            method: ask.method,
            headers: { ...ask.headers, 'content-type': 'application/json' },
            ...(ask.method === 'POST' ? { body: '{"advanceSeconds": 60}' } : {}),
          });
          expect(res.status, `${ask.method} ${ask.path} ${JSON.stringify(ask.headers)}`).toBe(401);
          expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        }
        expect(cb.resets).toBe(0);
        expect(cb.offsetSeconds()).toBe(0);

        const hooks = stateHooks(app.url, TOKEN, { tokenSource: 'the test' });
        await hooks.reset();
        await hooks.advanceClock(90);
        expect(cb.resets).toBe(1);
        expect(cb.offsetSeconds()).toBe(90);
        expect(await hooks.ensure('keys.revoked')).toEqual({ value: 'k' });
        expect(await hooks.ensure('keys.expired')).toBeUndefined();
        // A page cannot send JSON across origins without a preflight: a POST of text is refused.
        const text = await fetch(`${app.url}/reset`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' },
          body: '{}',
        });
        expect(text.status).toBe(415);
        expect(cb.resets).toBe(1);
      } finally {
        await app.close();
      }
    });
  }
});
