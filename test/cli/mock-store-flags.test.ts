// `authconform mock --store`: a Redis URL that is not one, or a Redis that does not answer, is a
// usage error naming the flag (exit 2, one line, the password masked), never a stack trace.
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/redis-server.ts';
import { runMain } from './run-main.ts';

describe('authconform mock --store', () => {
  const mock = (...flags: string[]) =>
    runMain('mock', '--profile', 'luxcore', '--port', '0', ...flags);

  it('refuses a URL that is not a Redis URL, naming --store', async () => {
    const r = await mock('--store', 'http://127.0.0.1:6379');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--store: "http://127.0.0.1:6379" is not a Redis URL (http:): redis://HOST:6379[/DB]',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a database that is not a number, and a prefix that could reach another', async () => {
    expect((await mock('--store', 'redis://127.0.0.1:6379/cache')).stderr).toContain(
      'the path must be a database number (/0, /1, ...), got "/cache"',
    );
    const prefix = await mock('--store', 'redis://127.0.0.1:6379/0', '--store-prefix', 'a:*');
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain(
      "--store-prefix must be 1-100 letters, digits, '.', '_' or '-'",
    );
    expect((await mock('--store-prefix', 'team-a')).stderr).toContain(
      '--store-prefix goes with --store redis://...',
    );
  });

  it('says no Redis answered, with the password masked, and exits 2', async () => {
    const port = await freePort();
    const r = await mock('--store', `redis://ci:s3cret-password-4242@127.0.0.1:${port}/0`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `--store: no Redis answered at redis://ci:****4242@127.0.0.1:${port}/0`,
    );
    expect(r.stderr).not.toContain('s3cret-password');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
