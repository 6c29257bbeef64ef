/**
 * Three mock replicas as real processes (`authconform mock --store redis://...`) on one real
 * redis-server behave as one mock: a signed request is admitted once, a per-key rate limit is
 * counted once, a revocation, a clock move and a reset through one hold for all, a replica
 * killed and restarted loses nothing, and the conformance suite passes against a round-robin
 * of the three.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/api/verify.ts';
import type { Credentials } from '../../src/model/credentials.ts';
import { buildRequest } from '../../src/request/build-request.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import {
  HAS_REDIS,
  NEEDS_REDIS,
  startRedisServer,
  type RedisServer,
} from '../support/redis-server.ts';

const BIN = join(import.meta.dirname, '../../bin/authconform.js');
const PROFILES = ['luxcore', 'gateway'];

interface Replica {
  child: ChildProcess;
  /** profile id -> base URL */
  urls: Record<string, string>;
}

/**
 * `authconform mock --profile luxcore,gateway --port 0 --store URL`: one process, a mock per
 * profile, each profile's world under its own prefix of the one Redis.
 */
async function startReplica(store: string, profile = PROFILES.join(',')): Promise<Replica> {
  const child = spawn(
    process.execPath,
    [BIN, 'mock', '--profile', profile, '--port', '0', '--store', store],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    // One that does not start is not left running behind the failed test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`replica did not start: ${out}`));
    }, 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('Ctrl-C stops.')) return;
      clearTimeout(timer);
      const found = [...out.matchAll(/^(\S+) mock listening on (http:\/\/\S+)/gm)];
      resolve(Object.fromEntries(found.map((m) => [m[1]!, m[2]!])));
    });
    child.on('exit', (code) => reject(new Error(`replica exited ${code}: ${out}`)));
  });
  return { child, urls };
}

function kill(r: Replica): Promise<void> {
  if (r.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    r.child.once('exit', () => resolve());
    r.child.kill('SIGKILL');
  });
}

/** A round-robin in front of the replicas, as a load balancer would be (Host rewritten). */
async function roundRobin(upstreams: () => string[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer((req, res) => {
    const list = upstreams();
    const up = new URL(list[next++ % list.length]!);
    const fwd = request(
      {
        host: up.hostname,
        port: up.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: up.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe.skipIf(!HAS_REDIS)(`three mock replicas on one Redis${NEEDS_REDIS}`, () => {
  let redis: RedisServer;
  let replicas: Replica[] = [];
  const at = (i: number, profile: string) => replicas[i]!.urls[profile]!;
  const creds: Record<string, Credentials> = {};

  /** Resets each profile's shared world through one replica (the others see it next request). */
  const reset = async (through = 0) => {
    for (const p of PROFILES) {
      const r = await fetch(`${at(through, p)}/__mock/reset`, {
        method: 'POST',
        headers: JSON_TYPE,
      });
      expect(r.status).toBe(200);
    }
  };

  /** One LuxCore payment signed now (one nonce), and a function sending it through replica i. */
  const signedPayment = async () => {
    const { profile } = resolveProfile('luxcore');
    const route = profile.routes.find((r) => r.id === 'payments-create-v2')!;
    const signed = await buildRequest(profile, creds.luxcore!, route, {
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    return (i: number) =>
      fetch(at(i, 'luxcore') + signed.pathWithQuery, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body!,
      });
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    // Every replica that started is kept for afterAll to stop, even when another did not start.
    const started = await Promise.allSettled([0, 1, 2].map(() => startReplica(redis.url)));
    replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    for (const p of PROFILES)
      creds[p] = (await (await fetch(`${at(0, p)}/__mock/credentials`)).json()) as Credentials;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map(kill));
    await redis?.stop();
  });

  it('accepts the same signed request, sent to all three at once, exactly once', async () => {
    await reset();
    const send = await signedPayment();
    const answers = await Promise.all([0, 1, 2, 0, 1, 2].map(send));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 401, 401, 401, 401, 401]);
  });

  it('admits exactly the per-key limit (100 a minute) across the three', async () => {
    await reset();
    const key = creds.luxcore!.keys!.valid!.value;
    const answers = await Promise.all(
      Array.from({ length: 130 }, (_, i) =>
        fetch(`${at(i % 3, 'luxcore')}/api/v1/balance`, { headers: { 'X-API-Key': key } }),
      ),
    );
    const count = (s: number) => answers.filter((a) => a.status === s).length;
    expect([count(200), count(429)]).toEqual([100, 30]);
  });

  it('refuses on the others a key revoked through one, until a reset through another', async () => {
    await reset();
    const { valid, wildcard } = creds.gateway!.keys! as Record<
      string,
      { value: string; id: string }
    >;
    const invoices = (i: number) =>
      fetch(`${at(i, 'gateway')}/api/v1/invoices`, {
        headers: { authorization: `Bearer ${wildcard!.value}` },
      });
    expect((await invoices(1)).status).toBe(200);
    const revoked = await fetch(`${at(0, 'gateway')}/api/v1/api-keys/${wildcard!.id}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${valid!.value}`, ...JSON_TYPE },
      body: '{}',
    });
    expect(revoked.status).toBe(200);
    expect([(await invoices(1)).status, (await invoices(2)).status]).toEqual([401, 401]);
    await reset(2);
    expect((await invoices(1)).status).toBe(200);
  });

  it('shows on all three the clock moved through one', async () => {
    await reset();
    const moved = await fetch(`${at(1, 'luxcore')}/__mock/clock`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ advanceSeconds: 7200 }),
    });
    expect((await moved.json()).offsetSeconds).toBe(7200);
    for (const i of [0, 2]) {
      const clock = await (await fetch(`${at(i, 'luxcore')}/__mock/clock`)).json();
      expect(clock.offsetSeconds).toBe(7200);
    }
    // The other profile's mock has a world, and a clock, of its own.
    expect((await (await fetch(`${at(0, 'gateway')}/__mock/clock`)).json()).offsetSeconds).toBe(0);
  });

  it('passes the conformance suite against a round-robin of the three', async () => {
    await reset();
    const balancers = await Promise.all(
      PROFILES.map((p) => roundRobin(() => replicas.map((r) => r.urls[p]!))),
    );
    try {
      for (const [i, p] of PROFILES.entries()) {
        const record = await verify({
          profile: p,
          target: balancers[i]!.url,
          resettable: true,
          credentials: creds[p]!,
          seed: 1,
          runs: 1,
        });
        const notPassed = record.verdicts.filter((v) => !['PASS', 'SKIP'].includes(v.status));
        expect(notPassed.map((v) => `${v.scenario}: ${v.status} ${v.reason ?? ''}`)).toEqual([]);
        expect(record.overall.exitCode).toBe(0);
      }
    } finally {
      for (const b of balancers) b.server.close();
    }
  }, 120_000);

  it('loses nothing when a replica is killed and restarted', async () => {
    await reset();
    const key = creds.luxcore!.keys!.valid!.value;
    const post = await signedPayment();
    expect((await post(2)).status).toBe(201);
    for (let n = 0; n < 100; n++)
      await fetch(`${at(2, 'luxcore')}/api/v1/balance`, { headers: { 'X-API-Key': key } });
    await fetch(`${at(2, 'luxcore')}/__mock/clock`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ advanceSeconds: 30 }),
    });

    await kill(replicas[2]!);
    replicas[2] = await startReplica(redis.url, 'luxcore');

    expect((await post(2)).status).toBe(401); // the nonce is still remembered
    const limited = await fetch(`${at(2, 'luxcore')}/api/v1/balance`, {
      headers: { 'X-API-Key': key },
    });
    expect(limited.status).toBe(429); // the minute's 100 are still counted
    expect((await (await fetch(`${at(2, 'luxcore')}/__mock/clock`)).json()).offsetSeconds).toBe(30);
  }, 40_000);
});
