// Over HTTP, the control routes answer only to the mock's own Host: a DNS-rebound page (its own
// name pointed at 127.0.0.1) must not read /__mock/credentials. The API routes answer to any name.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { MAX_BODY_BYTES } from '../../mock-server/core/request-limits.ts';
import { refusedControlHost } from '../../mock-server/hapi/control-host.ts';
import {
  mockHapiServer,
  startMockServer,
  type RunningMockServer,
} from '../../mock-server/hapi/hapi-server.ts';

let server: RunningMockServer;
let port: number;

beforeAll(async () => {
  server = await startMockServer(await createAuthMock({ profile: 'luxcore' }), {
    port: 0,
    allowHosts: ['mock.internal', 'gateway.test:8080'],
  });
  port = server.server.info.port as number;
});
afterAll(() => server.stop());

/** A request to the server's socket with the Host header we choose. */
function send(path: string, host: string, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the control routes over HTTP', () => {
  it('refuse a Host that is not the mock (DNS rebinding), naming the Host and --allow-host', async () => {
    for (const host of [
      `rebind.evil.example:${port}`,
      'evil.example',
      `mock.internal.evil:${port}`,
    ]) {
      const res = await send('/__mock/credentials', host);
      expect(res.status, host).toBe(403);
      expect(res.body).not.toContain('qp_test_sk_');
      const { error } = JSON.parse(res.body) as { error: string };
      expect(error).toContain(JSON.stringify(host));
      expect(error).toContain('--allow-host');
    }
    expect((await send('/__mock/reset', `evil.example:${port}`, 'POST')).status).toBe(403);
  });

  it('refuse a foreign Host with 403 also where Hapi refuses the request before the handler', async () => {
    // A malformed path: Hapi's own 400, before the handler's Host check.
    const badPath = await send('/__mock/%zz', 'evil.example');
    expect(badPath.status).toBe(403);
    expect(badPath.body).toContain('--allow-host');
    // A body over the limit: Hapi's 413, rendered as the profile's malformed request.
    const head =
      `POST /__mock/clock HTTP/1.1\r\nHost: evil.example\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${2 * MAX_BODY_BYTES + 1}\r\n\r\n`;
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
      socket.on('error', () => {}); // the server may close while the body is still going out
      socket.on('close', () => resolve(got));
      socket.end(Buffer.concat([Buffer.from(head), Buffer.alloc(2 * MAX_BODY_BYTES + 1, 0x20)]));
    });
    expect(answer.slice(0, answer.indexOf('\r\n'))).toBe('HTTP/1.1 403 Forbidden');
    expect(answer).toContain('--allow-host');
  });

  it('answer to the address they listen on, localhost, [::1], and the --allow-host names', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
      `mock.internal:${port}`,
      'gateway.test:8080',
    ]) {
      const res = await send('/__mock/credentials', host);
      expect(res.status, host).toBe(200);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    // An allowed name with another port than the one allowed is not allowed.
    expect((await send('/__mock/credentials', 'gateway.test:9090')).status).toBe(403);
  });

  it('leave the API routes to any Host, as a real API behind a proxy', async () => {
    const res = await send('/api/v1/balance', 'api.example.com');
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('--allow-host');
  });

  it('answer an in-process (injected) request, which has no Host to forge', async () => {
    const inProcess = mockHapiServer(await createAuthMock({ profile: 'luxcore' }));
    const res = await inProcess.inject({
      url: '/__mock/health',
      headers: { host: 'evil.example' },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('refusedControlHost', () => {
  const listening = { host: '127.0.0.1', port: 4010 };
  it('refuses a missing Host and a Host on another port', () => {
    expect(refusedControlHost(undefined, listening, [])).toContain('(none)');
    expect(refusedControlHost('localhost:4011', listening, [])).toBeDefined();
    expect(refusedControlHost('localhost', listening, [])).toBeDefined();
  });
  it('takes the listening name, IPv6 in brackets', () => {
    expect(refusedControlHost('[::1]:4010', { host: '::1', port: 4010 }, [])).toBeUndefined();
    expect(refusedControlHost('devbox:4010', { host: 'devbox', port: 4010 }, [])).toBeUndefined();
    expect(refusedControlHost('localhost', { host: '127.0.0.1', port: 80 }, [])).toBeUndefined();
  });
});
