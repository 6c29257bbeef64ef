/**
 * `mock --port/--host` mistakes end as one line naming the flag, with exit 2: never a stack
 * trace. Each case here threw out of `main` before.
 */
import { createServer, type Server } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

async function cli(...argv: string[]) {
  const text = { out: '', err: '' };
  const sink = (key: 'out' | 'err') =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        text[key] += chunk.toString();
        done();
      },
    });
  const code = await main(argv, sink('out'), sink('err'));
  return { code, stdout: text.out, stderr: text.err };
}

function expectOneLine(stderr: string) {
  expect(stderr).not.toContain('    at ');
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('mock --port and --host', () => {
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('(e) a port in use: says so, and how to pick another', async () => {
    const r = await cli('mock', '--profile', 'luxcore', '--port', String(busyPort));
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(
      `port ${busyPort} on 127.0.0.1 is in use; pick another with --port (0 = any free port)`,
    );
  });

  it('(f) a host that is no address, or not one of this machine: names --host', async () => {
    const bad = await cli('mock', '--profile', 'luxcore', '--host', '999.1.1.1', '--port', '0');
    expect(bad.code).toBe(2);
    expectOneLine(bad.stderr);
    expect(bad.stderr).toContain('--host must be an IP address or a host name');
    expect(bad.stderr).toContain('"999.1.1.1"');
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): no machine's interface.
    const foreign = await cli('mock', '--profile', 'luxcore', '--host', '192.0.2.1', '--port', '0');
    expect(foreign.code).toBe(2);
    expectOneLine(foreign.stderr);
    expect(foreign.stderr).toContain('--host 192.0.2.1 is not an address of this machine');
  });
});
