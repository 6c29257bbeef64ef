/**
 * A broken implementation as a real HTTP server on 127.0.0.1, port 0: the broken mock's own Hapi
 * server and, when the fault rewrites requests or answers, a node:http proxy in front of it that
 * applies the fault on the wire. The proxy lives here, in test code, because mock-server/ has no
 * fault hook and should not grow one for tests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { startMockServer, type RunningMockServer } from '../../mock-server/hapi/hapi-server.ts';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { CONTROL_PREFIX } from '../../mock-server/core/control-routes.ts';
import type { Credentials } from '../../src/model/credentials.ts';
import type { LoadedProfile } from '../../src/spec/load-profile.ts';
import { resolveReferences } from '../../src/model/resolved-profile.ts';
import type { OutgoingRequest, ReceivedResponse } from '../../src/request/outgoing-request.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { parseBody } from '../../src/targets/target.ts';
import { brokenMock, throughFault, type BrokenServer } from '../support/broken-targets.ts';

export interface ServedImplementation {
  url: string;
  /** The correct profile (as loaded) and credentials: what the harness is given. */
  profile: LoadedProfile;
  creds: Credentials;
  stop(): Promise<void>;
}

/** Headers that belong to one connection, not to the message: never copied across the proxy. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
  'upgrade',
]);

/** The bundled mock of `profileId`, unchanged, over HTTP: the run that must raise no false alarm. */
export async function serveCorrectMock(profileId: string): Promise<ServedImplementation> {
  const loaded = resolveProfile(profileId);
  const { profile } = loaded;
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);
  const hapi = await startMockServer(await createAuthMock({ profile }), {
    host: '127.0.0.1',
    port: 0,
  });
  return { url: hapi.url, profile: loaded, creds, stop: () => stopHapi(hapi) };
}

export async function serveBroken(b: BrokenServer): Promise<ServedImplementation> {
  const { mock, ctx } = await brokenMock(b);
  const hapi = await startMockServer(mock, { host: '127.0.0.1', port: 0 });
  // The profile object the credentials were made for, with the file it was loaded from.
  const served = {
    profile: { ...resolveProfile(b.profile), profile: resolveReferences(ctx.profile) },
    creds: ctx.creds,
  };
  if (!b.rewrite && !b.respond) return { ...served, url: hapi.url, stop: () => stopHapi(hapi) };

  const upstream = new Pool(hapi.url);
  const forward = async (req: OutgoingRequest): Promise<ReceivedResponse> => {
    const res = await upstream.request({
      method: req.method as 'GET',
      path: req.pathWithQuery,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
    const rawBody = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers, body: parseBody(rawBody), rawBody };
  };
  const proxy = createServer((inReq, outRes) => {
    void (async () => {
      const req = await readRequest(inReq);
      // The mock's control routes (reset, clock) are not the API: no fault applies to them.
      const res = req.pathWithQuery.startsWith(CONTROL_PREFIX)
        ? await forward(req)
        : await throughFault(b, ctx, req, forward);
      const headers = Object.fromEntries(
        Object.entries(res.headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())),
      );
      outRes.writeHead(res.status, headers).end(res.rawBody);
    })().catch((e: unknown) => {
      // A bug of this proxy, not a verdict: the harness sees an answer it reports, never a hang.
      if (!outRes.headersSent) outRes.writeHead(502, { 'content-type': 'text/plain' });
      outRes.end(`teeth proxy for "${b.name}": ${(e as Error).stack ?? String(e)}`);
    });
  });
  const port = await listen(proxy);
  return {
    ...served,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
      await upstream.close();
      await stopHapi(hapi);
    },
  };
}

/** The request as sent: header names in their wire spelling (a fault may depend on it). */
async function readRequest(inReq: IncomingMessage): Promise<OutgoingRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of inReq) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < inReq.rawHeaders.length; i += 2) {
    const name = inReq.rawHeaders[i]!;
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = inReq.rawHeaders[i + 1]!;
  }
  const body = Buffer.concat(chunks);
  return {
    method: inReq.method ?? 'GET',
    pathWithQuery: inReq.url ?? '/',
    headers,
    ...(body.length > 0 ? { body: body.toString('utf8') } : {}),
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Keep-alive connections closed at once: a stop must not wait out the client's idle sockets. */
async function stopHapi(hapi: RunningMockServer): Promise<void> {
  hapi.server.listener.closeAllConnections();
  await hapi.server.stop({ timeout: 100 });
}
