// The Hapi adapter reads each request's body itself (payload output 'stream'), not through Hapi's
// payload reader: a body in pieces is read whole, a chunked body past the limit is refused with
// the profile's malformed-request denial and the connection closed, and a client that goes away
// mid-body is no error of the mock's. Real sockets: inject hands Hapi a body in one piece.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import {
  GONE,
  TOO_LARGE,
  readBody,
  startMockServer,
  type RunningMockServer,
} from '../../mock-server/hapi/hapi-server.ts';
import { MAX_BODY_BYTES } from '../../mock-server/core/request-limits.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { buildRequest } from '../../src/request/build-request.ts';
import { routeById } from '../../src/model/resolved-profile.ts';

let server: RunningMockServer;
let port: number;
const errors: Error[] = [];
/** Hapi's own log lines tagged as errors (a handler's error among them). */
const hapiErrors: string[][] = [];

beforeAll(async () => {
  server = await startMockServer(await createAuthMock({ profile: 'luxcore' }), {
    port: 0,
    onError: (e) => errors.push(e),
  });
  server.server.events.on({ name: 'request', channels: ['internal', 'error'] }, (_r, event) => {
    if (event.tags.includes('error')) hapiErrors.push(event.tags);
  });
  port = server.server.info.port as number;
});
afterAll(() => server.stop());

/**
 * Sends the pieces over one socket, each after `gapMs` (the last one ends the socket's writing
 * side unless `keepOpen`), and resolves with everything that came back once the server closes
 * or `waitMs` passes.
 */
function exchange(
  pieces: (string | Buffer)[],
  { gapMs = 0, waitMs = 2000, keepOpen = false } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('error', () => {}); // the server may close while the body is still going out
    socket.on('close', finish);
    socket.on('connect', async () => {
      for (const [i, piece] of pieces.entries()) {
        if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        if (socket.destroyed) return;
        if (i === pieces.length - 1 && !keepOpen) socket.end(piece);
        else socket.write(piece);
      }
    });
  });
}

function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
}

describe('the Hapi adapter reading a request body', () => {
  it('reads a signed body sent in pieces whole: its signature verifies', async () => {
    const mock = await createAuthMock({ profile: 'luxcore' });
    const p = mock.world.profile;
    const creds = fixturesToCredentials(mock.world.fixtures, p);
    const req = await buildRequest(p, creds, routeById(p, 'payments-create-v2'), {
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    const body = Buffer.from(req.body!);
    const head =
      `POST ${req.pathWithQuery} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      Object.entries(req.headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      `Content-Length: ${body.length}\r\n\r\n`;
    const third = Math.ceil(body.length / 3);
    const answer = await exchange(
      [head, body.subarray(0, third), body.subarray(third, 2 * third), body.subarray(2 * third)],
      { gapMs: 20 },
    );
    expect(statusOf(answer), answer).toBe(201);
  });

  it('refuses a chunked body past the limit with the malformed-request denial and closes', async () => {
    const head =
      'POST /api/v1/charges HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Transfer-Encoding: chunked\r\n\r\n';
    const chunk = 256 * 1024;
    const piece = Buffer.concat([
      Buffer.from(`${chunk.toString(16)}\r\n`),
      Buffer.alloc(chunk, 0x20),
      Buffer.from('\r\n'),
    ]);
    // Past 2 x MAX_BODY_BYTES, and the body never ends: the answer cannot wait for its end.
    const pieces = Array.from({ length: Math.ceil((2 * MAX_BODY_BYTES) / chunk) + 1 }, () => piece);
    const answer = await exchange([head, ...pieces], { keepOpen: true, waitMs: 3000 });
    expect(statusOf(answer), answer.slice(0, 300)).toBe(400);
    expect(answer).toContain('"code":"bad_request"');
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
  });

  it('takes a client that goes away mid-body as no error of its own, and answers the next', async () => {
    const before = errors.length;
    const hapiBefore = hapiErrors.length;
    await exchange(
      [
        'POST /api/v1/charges HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          'Content-Length: 100\r\n\r\n{"amount":',
      ],
      { keepOpen: true, waitMs: 100 },
    );
    const next = await exchange([
      'GET /api/v1/balance HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    ]);
    expect(statusOf(next)).toBe(401); // no key: the profile's denial, the server is fine
    expect(errors.slice(before)).toEqual([]);
    // Hapi answered the gone client itself (its 499): the handler does not hand that back as
    // its own error, which Hapi would log as one.
    expect(hapiErrors.slice(hapiBefore).filter((tags) => tags.includes('handler'))).toEqual([]);
  });

  it('keeps the connection of a GET that sends a body nothing reads: the next request is answered', async () => {
    const answer = await exchange(
      [
        'GET /api/v1/balance HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n0123456789' +
          'GET /api/v1/balance HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      ],
      { keepOpen: true },
    );
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    expect(statuses, answer).toEqual([401, 401]);
  });

  it('closes the connection of a control request refused for its Host before its body is read', async () => {
    const answer = await exchange(
      [
        'POST /__mock/clock HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\n' +
          'Content-Length: 21\r\n\r\n{"advanceSeconds": 5}',
      ],
      { keepOpen: true },
    );
    expect(statusOf(answer)).toBe(403);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
  });

  it('answers a body whose stream fails with the malformed-request denial, not a hang', async () => {
    const answer = await server.server.inject({
      method: 'POST',
      url: '/api/v1/charges',
      headers: { 'content-type': 'application/json' },
      payload: '{"amount":1}',
      simulate: { error: true },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.payload).toContain('"code":"bad_request"');
  });
});

describe('readBody', () => {
  const over = (stream: PassThrough) => readBody(stream);
  /** The reading's outcome, or 'pending' if it has none 100 ms after the stream's last event. */
  const settled = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), 100))]);

  it('ends with the pieces together', async () => {
    const stream = new PassThrough();
    const read = over(stream);
    stream.write('{"a":');
    stream.end('1}');
    expect(Buffer.from((await settled(read)) as Uint8Array).toString()).toBe('{"a":1}');
  });

  it('ends, not waits, when the body stops short: the stream closes, or errs, before its end', async () => {
    const closed = new PassThrough();
    const a = over(closed);
    closed.write('{"amount":');
    closed.destroy();
    expect(await settled(a)).toBe(GONE);
    const failed = new PassThrough();
    const b = over(failed);
    failed.destroy(new Error('aborted'));
    expect(await settled(b)).toBe(GONE);
  });

  it('joins many pieces of every size in order', async () => {
    const stream = new PassThrough();
    const read = over(stream);
    const sent: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const piece = Buffer.alloc(1 + ((i * 37) % 700), i % 251);
      sent.push(piece);
      stream.write(piece);
    }
    stream.end();
    expect(Buffer.from((await settled(read)) as Uint8Array).equals(Buffer.concat(sent))).toBe(true);
  });

  it('holds about the size of a body sent a byte at a time, not an object per byte', async () => {
    const stream = new EventEmitter() as unknown as PassThrough; // readBody only listens
    const read = over(stream);
    const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = memory();
    for (let i = 0; i < 2 * MAX_BODY_BYTES; i++) stream.emit('data', Buffer.from([97]));
    const held = memory() - before;
    stream.emit('end');
    expect(((await read) as Uint8Array).length).toBe(2 * MAX_BODY_BYTES);
    // A Buffer kept per byte held about 260 MB here; one growing buffer holds 2-4 MB, and the
    // pieces already read are garbage the scavenger takes as it goes.
    expect(held).toBeLessThan(64 * 1024 * 1024);
  });

  it('stops at the limit', async () => {
    const stream = new PassThrough();
    const read = over(stream);
    stream.write(Buffer.alloc(2 * MAX_BODY_BYTES));
    expect(await settled(read)).toBe('pending');
    stream.write(Buffer.alloc(1));
    expect(await settled(read)).toBe(TOO_LARGE);
  });
});
