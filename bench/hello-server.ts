/**
 * The yardsticks of the mock-throughput bench, each run in its own process as the mock is:
 * `tsx bench/hello-server.ts hapi|node` serves a Hapi hello-world or a bare node:http server that
 * answers GET with BENCH_GET_BODY (200) and POST with BENCH_POST_BODY (201), the JSON the mock
 * answers on the same paths, and does no auth at all. Prints `listening on URL` once it listens.
 *
 * BENCH_WORK_US=N (Hapi only) spends N µs of CPU in the handler of every request, a busy loop that
 * allocates nothing: the yardstick that shows what a few microseconds of work per request cost in
 * requests/s on this machine, next to what the mock's whole auth decision costs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Hapi from '@hapi/hapi';

const JSON_TYPE = 'application/json; charset=utf-8';
const kind = process.argv[2];
const getBody = process.env.BENCH_GET_BODY ?? '{}';
const postBody = process.env.BENCH_POST_BODY ?? '{}';
const workNs = BigInt(Math.round(Number(process.env.BENCH_WORK_US ?? 0) * 1000));

function work(): void {
  if (workNs === 0n) return;
  const until = process.hrtime.bigint() + workNs;
  while (process.hrtime.bigint() < until);
}

async function hapiHello(): Promise<string> {
  // A hello-world as one writes it: Hapi's defaults (the POST's JSON payload parsed), one handler.
  const server = Hapi.server({ host: '127.0.0.1', port: 0 });
  server.route({
    method: '*',
    path: '/{any*}',
    handler: (request, h) => {
      work();
      const post = request.method === 'post';
      return h
        .response(post ? postBody : getBody)
        .code(post ? 201 : 200)
        .type(JSON_TYPE);
    },
  });
  await server.start();
  return `http://127.0.0.1:${server.info.port}`;
}

async function bareHttp(): Promise<string> {
  const server: Server = createServer((req, res) => {
    const post = req.method === 'POST';
    const body = post ? postBody : getBody;
    req.resume();
    req.on('end', () => {
      res.writeHead(post ? 201 : 200, {
        'content-type': JSON_TYPE,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

if (kind !== 'hapi' && kind !== 'node') {
  console.error(`usage: tsx bench/hello-server.ts hapi|node (got ${String(kind)})`);
  process.exit(2);
}
const url = kind === 'hapi' ? await hapiHello() : await bareHttp();
console.log(`listening on ${url}`);
process.once('SIGINT', () => process.exit(0));
process.once('SIGTERM', () => process.exit(0));
