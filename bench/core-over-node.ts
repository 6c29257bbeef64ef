/**
 * The mock's auth core behind bare node:http, no Hapi: a bench-only server that says how much of
 * the mock's time is its core and how much Hapi's per-request path, the figure a decision on
 * issue 16's aims needs. Not a mock server: no timeouts, body limit, control routes, Host check,
 * malformed-request rendering or graceful stop, none of which the bench's requests reach. What
 * the requests do reach is the mock's own: the same core (createAuthMock), the same answer
 * (status, headers, `cache-control: no-cache` unless the core set one, JSON body).
 *
 * `node core-over-node.mjs PROFILE FIXTURES` (bench/mock-throughput.ts bundles it with esbuild as
 * bin/source-bundle.js bundles the CLI, so both run the core as the same kind of JavaScript) and
 * prints `listening on URL`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthMock } from '../mock-server/create-auth-mock.ts';

const [profile, fixtures] = process.argv.slice(2);
if (profile === undefined || fixtures === undefined) {
  console.error('usage: node core-over-node.mjs PROFILE FIXTURES');
  process.exit(2);
}
const mock = await createAuthMock({ profile, fixtures });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    mock
      .handle({
        method: req.method ?? 'GET',
        path: q < 0 ? raw : raw.slice(0, q),
        pathWithQuery: raw,
        // Node's object: every header the bench sends is one string.
        headers: req.headers as Record<string, string>,
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        remoteAddress: req.socket.remoteAddress ?? '',
      })
      .then(
        (answer) => {
          const body = answer.body === undefined ? undefined : JSON.stringify(answer.body);
          const headers: Record<string, string> = { ...answer.headers };
          headers['cache-control'] ??= 'no-cache';
          if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
          res.writeHead(answer.status, headers);
          res.end(body);
        },
        (e: unknown) => {
          console.error(e);
          res.writeHead(500).end();
        },
      );
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGINT', () => process.exit(0));
process.once('SIGTERM', () => process.exit(0));
