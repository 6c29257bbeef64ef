/**
 * The Hapi adapter: one catch-all route that turns Hapi's request into the core's normalized
 * request and writes the core's answer back. Errors Hapi raises itself before the handler (a
 * payload too large, a bad path) are rendered as the profile's malformed-request body: the mock
 * never answers a malformed request with Hapi's own error or a 5xx.
 */
import { createServer } from 'node:http';
import type { Readable } from 'node:stream';
import Hapi from '@hapi/hapi';
import type { AuthMock } from '../create-auth-mock.ts';
import { renderDenial } from '../core/deny.ts';
import { MAX_BODY_BYTES } from '../core/request-limits.ts';
import { CONTROL_PREFIX } from '../core/control-routes.ts';
import { refusedControlHost } from './control-host.ts';
import { MemoryStore } from '../state/memory-store.ts';
import { schemeOf } from '../../src/sign/signers.ts';
import type { MockRequest, MockResponse } from '../core/mock-types.ts';

export interface MockServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * The longest a client may take to send a whole request, headers and body (default 10 s). A
   * request still arriving after that is answered 400 (the profile's malformed-request denial
   * once the headers are in), never a 5xx.
   */
  clientTimeoutMs?: number;
  /**
   * Host names (`name` or `name:port`) the control routes answer to besides the address the
   * server listens on, localhost, 127.0.0.1 and [::1] (the CLI's --allow-host).
   */
  allowHosts?: readonly string[];
  /**
   * Told of each request the mock could not answer (its 500): the error and the request, for the
   * operator's log. A store that stopped answering (Redis down) is one; Hapi's own log is silent.
   */
  onError?: (error: Error, request: { method: string; path: string }) => void;
}

export const DEFAULT_CLIENT_TIMEOUT_MS = 10_000;
/** Time the handler has once the body is in; past it Hapi's own 503 means a bug of ours. */
const HANDLER_BUDGET_MS = 10_000;

export interface RunningMockServer {
  url: string;
  server: Hapi.Server;
  stop(): Promise<void>;
}

export async function startMockServer(
  mock: AuthMock,
  options: MockServerOptions = {},
): Promise<RunningMockServer> {
  const server = mockHapiServer(mock, options);
  await server.start();
  const url = `http://${urlHost(server.info.host)}:${server.info.port}`;
  return { url, server, stop: () => server.stop({ timeout: 1000 }) };
}

/** The configured Hapi server, not listening (`startMockServer` starts it; `inject` drives it in tests). */
export function mockHapiServer(mock: AuthMock, options: MockServerOptions = {}): Hapi.Server {
  const clientTimeoutMs = options.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
  const server = Hapi.server({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 4010,
    // A client that trickles its headers or body (or a chunked body that never ends) is cut off
    // by Node at clientTimeoutMs, checked every quarter of it (Node's default is every 30 s);
    // Hapi answers Node's timeout with a 400, rendered below. Hapi's payload timeout has no part
    // in it: the handler reads the body (readBody), and a 408 of Hapi's waited for the rest of
    // the body, which never comes.
    listener: createServer({
      headersTimeout: clientTimeoutMs,
      requestTimeout: clientTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(clientTimeoutMs / 4))),
    }),
    // The server timeout (Hapi's 503) counts from the request's arrival, body included: it must
    // come well after the client's time is up, or a trickled body would get a 5xx. It guards
    // what the handler awaits that may stop answering: a store (Redis, a library user's own, a
    // subclass of the in-memory one) or a user's signer module. A mock with neither (the
    // in-memory store itself and built-in signers, which answer every call at once) goes without,
    // as there the guard would only cost a timer per request.
    ...(cannotHang(mock)
      ? {}
      : { routes: { timeout: { server: 2 * clientTimeoutMs + HANDLER_BUDGET_MS } } }),
  });
  server.route({
    method: '*',
    path: '/{any*}',
    options: {
      // The body is read by the handler (readBody), not by Hapi's payload reader, which cost a
      // POST more than Hapi's whole route otherwise (a Writable per request, its options merged
      // per read, a timer): 67 against 51 µs of CPU per signed POST under load. Hapi still
      // refuses a Content-Length over maxBytes before the handler; a body still arriving at
      // clientTimeoutMs is cut off by Node (the listener's requestTimeout), and Hapi answers
      // that with a 400, rendered below.
      payload: { parse: false, output: 'stream', maxBytes: BODY_LIMIT },
    },
    handler: async (request, h) => {
      const refused = refusedControl(request);
      if (refused !== undefined)
        return writeRaw(request, h, controlRefusal(refused), hasBody(request));
      // GET and HEAD have no body stream (Hapi reads none for them): no await on their path.
      const stream = request.payload as Readable | null | undefined;
      const body = stream ? await readBody(stream) : NO_BODY;
      if (body instanceof Uint8Array)
        return writeRaw(request, h, await mock.handle(toMockRequest(request, body)), false);
      // The body stopped short, or went past the limit. Where Hapi has answered (the client
      // went: its 499; Node's timeout: its 400), that stands, and is not handed back as the
      // handler's error; else the request is malformed (too large, or its stream failed).
      if (body === GONE && request.response !== null) return h.abandon;
      return writeRaw(request, h, renderDenial(mock.world.profile, 'malformed_request'), true);
    },
  });
  /**
   * Over a socket, a control route answers only to the mock's own Host (DNS rebinding: see
   * control-host.ts). An injected request is in-process, like msw's: it has no Host to forge.
   * Checked in the handler, not in an onRequest extension that every request would pay for, and
   * in onPreResponse for a request Hapi refuses before the handler (a body over the limit, a
   * malformed path, a body too slow): that too answers 403 naming the Host, as the README says.
   */
  const refusedControl = (request: Hapi.Request): string | undefined => {
    // The raw path, as toMockRequest gives it to the mock: what the mock routes to a control
    // route is exactly what is checked here.
    const raw = request.raw.req.url ?? '/';
    if (!raw.startsWith(CONTROL_PREFIX) || isInjected(request)) return undefined;
    return refusedControlHost(
      request.headers.host as string | undefined,
      { host: String(server.info.host), port: Number(server.info.port) },
      options.allowHosts ?? [],
    );
  };
  server.ext('onPreResponse', (request, h) => {
    const response = request.response;
    if (!('isBoom' in response) || !response.isBoom) return h.continue;
    const status = response.output.statusCode;
    if (status >= 500) {
      // A bug of ours, not the client's: say so plainly, keep the status honest.
      request.log(['error'], response);
      options.onError?.(response, {
        method: request.method.toUpperCase(),
        path: request.raw.req.url ?? request.path,
      });
      return h.response({ error: 'internal mock error' }).code(500);
    }
    const refused = refusedControl(request);
    if (refused !== undefined) return writeAnswer(h, controlRefusal(refused));
    return writeAnswer(
      h,
      renderDenial(mock.world.profile, status === 404 ? 'not_found' : 'malformed_request'),
    );
  });
  return server;
}

/** Everything the mock's handler awaits answers at once: the in-memory store, built-in signers. */
function cannotHang(mock: AuthMock): boolean {
  const { store, profile } = mock.world;
  return (
    store.constructor === MemoryStore &&
    Object.values(profile.signing ?? {}).every((config) => schemeOf(config) !== 'module')
  );
}

function toMockRequest(request: Hapi.Request, body: Uint8Array): MockRequest {
  const raw = request.raw.req.url ?? '/';
  const q = raw.indexOf('?');
  return {
    method: request.method.toUpperCase(),
    path: q < 0 ? raw : raw.slice(0, q),
    pathWithQuery: raw,
    headers: headersOf(request.headers),
    body,
    remoteAddress: request.info.remoteAddress,
  };
}

/** The most a request body may have: the core refuses what is over its own limit as malformed. */
const BODY_LIMIT = MAX_BODY_BYTES * 2;
const NO_BODY = new Uint8Array(0);
/** The client went away before its body was in. */
export const GONE = Symbol('gone');
/** The body grew past BODY_LIMIT (a chunked one: Hapi refuses a Content-Length over it). */
export const TOO_LARGE = Symbol('too large');

/**
 * A request's body from the stream Hapi hands with `output: 'stream'`: read to its end, or up to
 * BODY_LIMIT (the rest is let through unread, and writeRaw closes the connection), or until the
 * client goes away. A body in one piece, the usual case, is taken as it came; one in several is
 * copied into one buffer that doubles as it fills, so a body sent a byte at a time holds about
 * its own size, not a Buffer object per byte.
 */
export function readBody(stream: Readable): Promise<Uint8Array | typeof GONE | typeof TOO_LARGE> {
  return new Promise((resolve) => {
    let first: Buffer | undefined;
    let joined: Buffer | undefined;
    let size = 0;
    const done = (result: Uint8Array | typeof GONE | typeof TOO_LARGE) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onClose);
      stream.off('error', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      const next = size + chunk.length;
      if (next > BODY_LIMIT) return done(TOO_LARGE);
      if (first === undefined) first = chunk;
      else {
        if (joined === undefined || next > joined.length) {
          const grown = Buffer.allocUnsafe(Math.min(BODY_LIMIT, Math.max(2 * next, 4096)));
          (joined ?? first).copy(grown, 0, 0, size);
          joined = grown;
        }
        chunk.copy(joined, size);
      }
      size = next;
    };
    const onEnd = () =>
      done(first === undefined ? NO_BODY : joined === undefined ? first : joined.subarray(0, size));
    // 'close' before 'end': the body stopped short (the client went, or Node cut it off).
    const onClose = () => done(GONE);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onClose);
    stream.once('error', onClose);
  });
}

/**
 * The headers as the core takes them: Node's own object where every value is one string (names
 * are lower-cased by Node; the core only reads them), else a copy with repeated ones joined.
 */
function headersOf(sent: Hapi.Request['headers']): Record<string, string> {
  for (const name in sent) {
    if (typeof sent[name] === 'string') continue;
    const headers: Record<string, string> = {};
    for (const [n, value] of Object.entries(sent))
      headers[n.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return headers;
  }
  return sent as Record<string, string>;
}

/** A control route's answer to a Host it does not answer to (control-host.ts says why). */
function controlRefusal(refused: string): MockResponse {
  return {
    status: 403,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: { error: refused },
  };
}

/**
 * The core's answer, written by the handler straight to Node's response with `h.abandon`, Hapi's
 * own way out of its response lifecycle: one `writeHead` and one `end`, not a response object, a
 * payload stream and its pipe (Hapi's transmit cost the mock more than the auth decision).
 * The headers are those Hapi wrote: the core's, `cache-control: no-cache` unless the core set
 * one, the body's length, and `connection: close` while the server stops. Not carried over, as
 * no API a profile describes has them: Hapi's `accept-ranges`, range requests and gzip of
 * answers over 1 KiB. Node leaves the body out of an answer to HEAD. Where Hapi has answered
 * already (its server timeout, 503, rendered 500 by onPreResponse), that answer stands and
 * nothing is written.
 */
function writeRaw(
  request: Hapi.Request,
  h: Hapi.ResponseToolkit,
  answer: MockResponse,
  /** Answered with the body not read to its end (too large, refused before it was read). */
  bodyLeftUnread: boolean,
): symbol | Hapi.Request['response'] {
  if (request.response !== null) return request.response;
  const body = answer.body === undefined ? undefined : JSON.stringify(answer.body);
  // An object, not Node's flat name, value array: inject's response (Shot) reads writeHead's
  // last argument as one and set a header named "0" from the array. A copy: the core's answer
  // is left as it came.
  const headers: Record<string, string> = {};
  for (const name in answer.headers) headers[name] = answer.headers[name]!;
  if (answer.headers['cache-control'] === undefined) headers['cache-control'] = 'no-cache';
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  // A stopping server (Hapi's stop) closes each socket once it has answered: say so, as Hapi's
  // transmit did, so a keep-alive client sends no next request down a socket about to close.
  // So does one answered with its body left unread (too large, a refused control request), as
  // Hapi's transmit does: the connection is not worth reading the rest of it for. (A GET's body,
  // which nothing reads either, Node skips by its length.)
  if ((request.server.info.started === 0 || bodyLeftUnread) && !isInjected(request))
    headers['connection'] = 'close';
  request.raw.res.writeHead(answer.status, headers);
  request.raw.res.end(body);
  return h.abandon;
}

/** The request says it sends a body: chunked, or a Content-Length above 0. */
function hasBody(request: Hapi.Request): boolean {
  const { headers } = request.raw.req;
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

/** An in-process request (`inject`). `isInjected` is a getter Hapi's request types do not list. */
function isInjected(request: Hapi.Request): boolean {
  return (request as unknown as { isInjected: boolean }).isInjected;
}

/** Hapi's own response for an answer the adapter renders inside Hapi's lifecycle (onPreResponse). */
function writeAnswer(h: Hapi.ResponseToolkit, answer: MockResponse): Hapi.ResponseObject {
  const response =
    answer.body === undefined
      ? h.response().code(answer.status)
      : h.response(JSON.stringify(answer.body)).code(answer.status);
  for (const name in answer.headers) response.header(name, answer.headers[name]!);
  return response;
}

/** The host as a URL writes it: an unspecified address as loopback, an IPv6 one in brackets. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
