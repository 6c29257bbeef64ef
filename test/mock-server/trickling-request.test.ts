// A client that sends its request slowly, or never finishes it, is answered with a 4xx within the
// client timeout (the profile's malformed-request body once the headers are in), never a 5xx.
// Real sockets: the timeouts live in Node's HTTP server, which inject does not reach.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer, type RunningMockServer } from '../../mock-server/hapi/hapi-server.ts';

const CLIENT_TIMEOUT_MS = 300;
let server: RunningMockServer;

beforeAll(async () => {
  server = await startMockServer(await createAuthMock({ profile: 'luxcore' }), {
    port: 0,
    clientTimeoutMs: CLIENT_TIMEOUT_MS,
  });
});
afterAll(() => server.stop());

/** Writes `text` and keeps the socket open; resolves with what came back and when. */
function sendAndStall(text: string): Promise<{ answer: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(server.server.info.port as number, '127.0.0.1', () =>
      socket.write(text),
    );
    let answer = '';
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer in 3 s; got: ${JSON.stringify(answer)}`));
    }, 3000);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ answer, ms: Date.now() - started });
    });
  });
}

function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
}

describe('a request that never finishes arriving', () => {
  it('a body that stops short of its Content-Length gets the malformed-request denial, not a 5xx', async () => {
    const { answer, ms } = await sendAndStall(
      'POST /api/v1/charges HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"amount":',
    );
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('"code":"bad_request"');
    expect(ms).toBeLessThan(CLIENT_TIMEOUT_MS * 4);
  });

  it('a chunked body that never ends gets the malformed-request denial, not a 5xx', async () => {
    const { answer } = await sendAndStall(
      'POST /api/v1/charges HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '5\r\nhello\r\n',
    );
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('"code":"bad_request"');
  });

  it('headers that never end get a 400', async () => {
    const { answer } = await sendAndStall('GET /api/v1/balance HTTP/1.1\r\nHost: 127.0');
    expect(statusOf(answer)).toBe(400);
  });
});
