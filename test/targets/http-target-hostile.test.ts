// Issue 12 items 7 and 8: a URL target that answers forever, answers 50 MB, never answers, or
// answers 429 forever costs the harness a bounded time and a bounded number of bytes and requests.
import { afterEach, describe, expect, it } from 'vitest';
import { httpTarget } from '../../src/targets/http-target.ts';
import { retryAfterMs } from '../../src/targets/honour-429.ts';
import { DeadlinePassedError, runDeadline } from '../../src/targets/run-deadline.ts';
import { TargetError } from '../../src/targets/target-error.ts';
import { clockMover } from '../../src/engine/clock-mover.ts';
import { mockProfileAt } from '../../src/targets/mock-health-probe.ts';
import {
  startHostileTarget,
  type HostileMode,
  type HostileOptions,
  type HostileTarget,
} from '../support/hostile-target.ts';

const GET = { method: 'GET', pathWithQuery: '/v1/things', headers: {} };
let hostile: HostileTarget | undefined;

async function start(mode: HostileMode, opts?: HostileOptions): Promise<HostileTarget> {
  hostile = await startHostileTarget(mode, opts);
  return hostile;
}

/** How long `p` took to settle, and the error it rejected with. */
async function timed(p: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const t0 = Date.now();
  try {
    await p;
    return { ms: Date.now() - t0, error: undefined };
  } catch (error) {
    return { ms: Date.now() - t0, error };
  }
}

afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

describe('a response body is bounded in time and size', () => {
  it('cuts a body that never ends at --timeout, counted from the request, not between chunks', async () => {
    const server = await start('endless-body');
    const { ms, error } = await timed(httpTarget(server.url, { timeoutMs: 600 }).send(GET));
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toBe(
      `GET ${server.url}/v1/things: no complete answer within --timeout 600 ms (connect, headers and the whole body)`,
    );
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(2000);
  });

  it('stops reading a 50 MB body at --max-body: the harness takes about the cap, not 50 MB', async () => {
    for (const chunked of [false, true]) {
      const server = await start('huge-body', { chunked });
      const { error } = await timed(
        httpTarget(server.url, { timeoutMs: 5000, maxBodyBytes: 64 * 1024 }).send(GET),
      );
      expect(error, `chunked ${chunked}`).toBeInstanceOf(TargetError);
      expect((error as Error).message).toBe(
        `GET ${server.url}/v1/things: the response body is larger than --max-body 65536 bytes; reading stopped there (raise --max-body if the target's answers are really that large)`,
      );
      // Let the server see the hang-up, then count what it managed to hand over: the cap plus
      // what the loopback sockets buffer (about 4 MB here; bounded by the kernel's tcp_wmem and
      // tcp_rmem), never the 50 MB that reading it all took.
      await new Promise((r) => setTimeout(r, 100));
      expect(server.bodyBytesSent, `chunked ${chunked}`).toBeLessThan(16 * 1024 * 1024);
      await server.close();
    }
  });

  it('the look at /__mock/health before a run reads no more of a 50 MB answer than the cap', async () => {
    const server = await start('huge-body', { chunked: true });
    expect(await mockProfileAt(server.url)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.bodyBytesSent).toBeLessThan(16 * 1024 * 1024);
  });

  it('reads a body up to the cap whole', async () => {
    const server = await start('huge-body', { hugeBytes: 64 * 1024 });
    const res = await httpTarget(server.url, { maxBodyBytes: 64 * 1024 }).send(GET);
    expect(res.rawBody).toHaveLength(64 * 1024);
  });
});

describe('429 with Retry-After is honoured within bounds', () => {
  it('retries a request at most twice, and stops retrying while the target refuses everything', async () => {
    const server = await start('always-429', { retryAfter: '0' });
    const target = httpTarget(server.url);
    for (let i = 0; i < 4; i++) expect((await target.send(GET)).status).toBe(429);
    // 3 sends of the first request (2 retries), then once each: 6, where four sends each was 16.
    expect(server.requests).toHaveLength(6);
  });

  it('does not wait out a Retry-After longer than a minute: the 429 is the answer', async () => {
    const server = await start('always-429', { retryAfter: '3600' });
    const { ms, error } = await timed(httpTarget(server.url).send(GET));
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('never waits past the run deadline', async () => {
    const server = await start('always-429', { retryAfter: '30' });
    const deadline = runDeadline(0.5, '--max-time 0.5');
    const { ms, error } = await timed(httpTarget(server.url, { deadline }).send(GET));
    expect(error).toBeInstanceOf(DeadlinePassedError);
    expect((error as Error).message).toMatch(/^run deadline \(--max-time 0\.5\) passed during/);
    expect(ms).toBeLessThan(1500);
    expect(server.requests).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date, and 1 s otherwise', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBe(1000);
    expect(retryAfterMs('soon', now)).toBe(1000);
  });
});

describe('the run deadline ends what is in flight', () => {
  it('aborts an exchange with a target that never answers, whatever --timeout says', async () => {
    const server = await start('never-answers');
    const deadline = runDeadline(0.5, '--max-time 0.5');
    const target = httpTarget(server.url, { timeoutMs: 60_000, deadline });
    const { ms, error } = await timed(target.send(GET));
    expect(error).toBeInstanceOf(DeadlinePassedError);
    expect(ms).toBeLessThan(1500);
    // And every later exchange fails at once, without a request.
    const later = await timed(target.send(GET));
    expect(later.error).toBeInstanceOf(DeadlinePassedError);
    expect(later.ms).toBeLessThan(50);
    expect(server.requests).toHaveLength(1);
  });

  it('ends a real wait for time to pass (a target whose clock cannot be moved)', async () => {
    const deadline = runDeadline(0.3, '--max-time 0.3');
    const target = httpTarget('http://127.0.0.1:9', { deadline });
    const mover = clockMover(target, 60, 60)!;
    const { ms, error } = await timed(mover.move(60));
    expect(error).toBeInstanceOf(DeadlinePassedError);
    expect(ms).toBeLessThan(1000);
  });
});
