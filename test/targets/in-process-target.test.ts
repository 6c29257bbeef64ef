// Issue 15 item 3: an in-process app is a guest like a URL target. Each kind's answer that never
// comes, an answer larger than the cap, a 429 with Retry-After and an app that throws are met
// as the HTTP target meets them (bounded-exchange.ts, honour-429.ts), and the app's own reset and
// clock hooks are the target's.
import { execFile } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fastifyTarget } from '../../src/targets/fastify-inject-target.ts';
import { fetchHandlerTarget } from '../../src/targets/fetch-handler-target.ts';
import { nodeListenerTarget } from '../../src/targets/node-listener-target.ts';
import { TargetError } from '../../src/targets/target-error.ts';
import type { Target } from '../../src/targets/target.ts';
import type { InProcessOptions } from '../../src/targets/in-process-target.ts';
import { verify } from '../../src/api/verify.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';

const GET = { method: 'GET', pathWithQuery: '/v1/things?x=1', headers: {} };

/** The same app in each kind: `answer` gives status, headers and body text, or never answers. */
type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'never';
function eachKind(answer: () => Answer, opts: InProcessOptions<never> = {}) {
  const listener = (_req: IncomingMessage, res: ServerResponse) => {
    const a = answer();
    if (a === 'never') return;
    res.writeHead(a.status, a.headers ?? {});
    res.end(a.body ?? '');
  };
  const fastify = Fastify();
  fastify.all('/*', async (_req, reply) => {
    const a = answer();
    if (a === 'never') return new Promise(() => {});
    return reply
      .code(a.status)
      .headers(a.headers ?? {})
      .send(a.body ?? '');
  });
  const handler = async () => {
    const a = answer();
    if (a === 'never') return new Promise<Response>(() => {});
    return new Response(a.body ?? '', { status: a.status, headers: a.headers ?? {} });
  };
  return [
    ['Node listener', nodeListenerTarget(listener, opts)],
    ['Fetch handler', fetchHandlerTarget(handler, opts)],
    ['Fastify inject', fastifyTarget(fastify, opts)],
  ] as [string, Target][];
}

describe('in-process targets keep the guest rules of the HTTP target', () => {
  it('asks the app at the base URL: its host is the Host the app sees', async () => {
    const seen: string[] = [];
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      seen.push(`${req.headers.host} ${req.url}`);
      res.end('ok');
    };
    const handler = (request: Request) => {
      seen.push(`${new URL(request.url).host} ${new URL(request.url).pathname}`);
      return new Response('ok');
    };
    const opts = { baseUrl: 'http://api.example.test:8080/' };
    await nodeListenerTarget(listener, opts).send(GET);
    await fetchHandlerTarget(handler, opts).send(GET);
    await nodeListenerTarget(listener).send(GET);
    expect(seen).toEqual([
      'api.example.test:8080 /v1/things?x=1',
      'api.example.test:8080 /v1/things',
      '127.0.0.1 /v1/things?x=1',
    ]);
    expect(nodeListenerTarget(listener, opts).description).toBe(
      'in-process Node listener (http://api.example.test:8080)',
    );
  });

  it('returns status, lower-case headers and the parsed body of each kind', async () => {
    for (const [kind, target] of eachKind(() => ({
      status: 401,
      headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' },
      body: '{"error":"unauthorized"}',
    }))) {
      const res = await target.send(GET);
      expect([kind, res.status, res.headers['www-authenticate'], res.body]).toEqual([
        kind,
        401,
        'Bearer',
        { error: 'unauthorized' },
      ]);
    }
  });

  it('ends an exchange with an app that never answers at the timeout: ERROR, not a hang', async () => {
    for (const [kind, target] of eachKind(() => 'never', { timeoutMs: 150 })) {
      const started = Date.now();
      const error = await target.send(GET).catch((e: unknown) => e);
      expect(error, kind).toBeInstanceOf(TargetError);
      expect((error as Error).message).toMatch(/no complete answer within --timeout 150 ms/);
      expect(Date.now() - started, kind).toBeLessThan(2000);
    }
  });

  it('keeps a script that awaits an app that never answers alive until the timeout ends it', async () => {
    // With no socket open, nothing but the timeout's timer holds the event loop: a script
    // awaiting verify() on a hung app must get its ERROR, not exit silently without a record.
    const source = (file: string) =>
      JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../src/targets', file)).href);
    const script = [
      `import { nodeListenerTarget } from ${source('node-listener-target.ts')};`,
      `import { fetchHandlerTarget } from ${source('fetch-handler-target.ts')};`,
      `const GET = { method: 'GET', pathWithQuery: '/', headers: {} };`,
      `for (const t of [nodeListenerTarget(() => {}, { timeoutMs: 100 }),`,
      `  fetchHandlerTarget(() => new Promise(() => {}), { timeoutMs: 100 })])`,
      `  console.log(await t.send(GET).catch((e) => e.message));`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '--eval',
      script,
    ]);
    expect(stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/no complete answer within --timeout 100 ms/),
      expect.stringMatching(/no complete answer within --timeout 100 ms/),
    ]);
  });

  it('stops reading a body larger than the cap', async () => {
    const big = 'x'.repeat(5000);
    for (const [kind, target] of eachKind(() => ({ status: 200, body: big }), {
      maxBodyBytes: 1000,
    })) {
      const error = await target.send(GET).catch((e: unknown) => e);
      expect(error, kind).toBeInstanceOf(TargetError);
      expect((error as Error).message).toMatch(/larger than --max-body 1000 bytes/);
    }
  });

  it('waits out a 429 with Retry-After and asks again, unless the scenario wants to see it', async () => {
    for (const kind of [0, 1, 2]) {
      let calls = 0;
      const [, target] = eachKind(() =>
        ++calls === 1
          ? { status: 429, headers: { 'retry-after': '0' } }
          : { status: 200, body: 'ok' },
      )[kind]!;
      expect((await target.send(GET)).status).toBe(200);
      expect(calls).toBe(2);
      calls = 0;
      expect((await target.seeing429!(() => target.send(GET))).status).toBe(429);
      expect(calls).toBe(1);
    }
  });

  it('is ERROR when a Node listener throws, naming the error with the key masked', async () => {
    const key = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
    const target = nodeListenerTarget((req: IncomingMessage) => {
      throw new Error(`no tenant for key ${req.headers['x-api-key']}`);
    });
    const error = await target
      .send({ ...GET, headers: { 'x-api-key': key } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toMatch(
      /the app \(Node listener\) threw instead of answering: Error: no tenant for key sk_live_…p7dc/,
    );
    expect((error as Error).message).not.toContain(key);
  });

  it('is ERROR when an async Node listener rejects', async () => {
    const target = nodeListenerTarget(async () => {
      throw new TypeError('database is closed');
    });
    await expect(target.send(GET)).rejects.toThrow(
      /threw instead of answering: TypeError: database is closed/,
    );
  });

  it('answers 500 with no body for a Fetch handler that throws, as the servers that host one do', async () => {
    const target = fetchHandlerTarget(() => {
      throw new Error('boom');
    });
    const res = await target.send(GET);
    expect([res.status, res.rawBody]).toEqual([500, '']);
    expect(res.note).toMatch(/the app \(Fetch handler\) threw instead of answering: Error: boom/);
  });

  it('shows what a Fetch handler threw with the failing exchange, the key masked', async () => {
    const { profile } = resolveProfile('vaulera');
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const key = creds.keys!.valid!.value;
    const record = await verify({
      profile: 'vaulera',
      target: fetchHandlerTarget((req) => {
        throw new Error(`cannot load key ${req.headers.get('authorization')}`);
      }),
      credentials: creds,
      scenarios: ['missing-key'],
      runs: 1,
      seed: 1,
    });
    const [v] = record.verdicts;
    expect(v!.status).toBe('FAIL');
    const shown = v!.counterexample!.exchanges.map((x) => x.body).join('\n');
    expect(shown).toMatch(
      /\[the app \(Fetch handler\) threw instead of answering: Error: cannot load key/,
    );
    expect(JSON.stringify(record)).not.toContain(key);
  });

  it("maps the app's reset and clock hooks, and reads the app's own clock", async () => {
    let offsetMs = 0;
    const calls: string[] = [];
    const target = fetchHandlerTarget(() => new Response('ok'), {
      reset: () => void calls.push('reset'),
      advanceClock: (s) => void (calls.push(`advance ${s}`), (offsetMs += s * 1000)),
      now: () => Date.UTC(2030, 0, 1) + offsetMs,
    });
    await target.reset!();
    await target.advanceClock!(90);
    expect(calls).toEqual(['reset', 'advance 90']);
    expect(target.nowSeconds()).toBe(Date.UTC(2030, 0, 1) / 1000 + 90);
    expect(target.clockWindow!().loMs).toBe(Date.UTC(2030, 0, 1) + 90_000);
  });

  it('asks the fresh app a reset returns from then on, and refuses one of another kind', async () => {
    let n = 0;
    const app = () => {
      const id = ++n;
      return () => new Response(`app ${id}`);
    };
    const target = fetchHandlerTarget(app(), { reset: app });
    expect((await target.send(GET)).rawBody).toBe('app 1');
    await target.reset!();
    expect((await target.send(GET)).rawBody).toBe('app 2');
    const wrong = fastifyTarget(Fastify(), { reset: () => (() => 1) as never });
    await expect(wrong.reset!()).rejects.toThrow(
      /reset\(\) returned a function of 0 parameter\(s\), not a Fastify instance/,
    );
  });
});
