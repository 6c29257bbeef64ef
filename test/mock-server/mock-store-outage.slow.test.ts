/**
 * A mock on Redis whose Redis goes away cannot answer: it says 500 "internal mock error" to the
 * client, and its operator must learn why from the mock's log (stderr), with the request, not
 * from a silent process.
 */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runMock } from '../../src/cli/mock-command.ts';
import { HAS_REDIS, NEEDS_REDIS, startRedisServer } from '../support/redis-server.ts';

describe.skipIf(!HAS_REDIS)(`authconform mock --store when its Redis stops${NEEDS_REDIS}`, () => {
  it('answers 500 and logs the profile, the request and the cause', async () => {
    const redis = await startRedisServer();
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    let logged = '';
    const log = new Writable({
      write(chunk, _enc, done) {
        logged += String(chunk);
        done();
      },
    });
    const stop = new AbortController();
    const serving = runMock(
      ['--profile', 'luxcore', '--port', '0', '--store', redis.url, '--store-prefix', 'outage'],
      out,
      stop.signal,
      log,
    );
    try {
      await expect.poll(() => printed, { timeout: 10_000 }).toContain('Ctrl-C stops');
      const url = /listening on (http:\/\/\S+)/.exec(printed)![1]!;
      const key = /valid\s+(\S+)/.exec(printed)![1]!;
      const ask = () => fetch(`${url}/api/v1/payments`, { headers: { 'x-api-key': key } });
      expect((await ask()).status).toBe(200);
      expect(logged).toBe('');

      await redis.stop();
      const down = await ask();
      expect(down.status).toBe(500);
      expect(logged).toMatch(
        /^authconform mock: luxcore: GET \/api\/v1\/payments answered 500: \S/,
      );
    } finally {
      stop.abort();
      await serving.catch(() => {});
      await redis.stop();
    }
  }, 30_000);
});
