/**
 * Mock throughput: autocannon -c 50 -d 10 against the bundled mock's valid-key path and HMAC path,
 * and against a bare node:http server answering the same JSON, in the same run. Rate limits are
 * lifted for the measurement (the profile's 100/min would answer 429 after the first hundred), and
 * so is the nonce bound they set (a merchant without a rate limit may hold 10 000 nonces).
 * The HMAC path signs every request with a fresh nonce (the client does that work too).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { createAuthMock } from '../mock-server/create-auth-mock.ts';
import { startMockServer } from '../mock-server/hapi/hapi-server.ts';
import { resolveProfile } from '../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../src/spec/fixtures-to-credentials.ts';
import { buildRequest } from '../src/request/build-request.ts';
import { hmacSigning } from '../test/support/hmac-signing.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

export interface ThroughputRow {
  name: string;
  requestsPerSecond: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
}

function run(name: string, opts: autocannon.Options): Promise<ThroughputRow> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, r) => {
      if (err) return reject(err);
      resolve({
        name,
        requestsPerSecond: Math.round(r.requests.average),
        p50ms: r.latency.p50,
        p99ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      });
    });
  });
}

export async function benchMockThroughput(): Promise<ThroughputRow[]> {
  const { profile: loaded } = resolveProfile('luxcore');
  const profile = structuredClone(loaded);
  for (const r of profile.routes) delete r.rateClass;
  const mock = await createAuthMock({
    profile,
    storeLimits: { maxNoncesPerScope: 10_000_000, maxNonces: 10_000_000 },
  });
  const server = await startMockServer(mock, { port: 0 });
  const creds = fixturesToCredentials(mock.world.fixtures, profile);
  const route = (id: string) => profile.routes.find((r) => r.id === id)!;
  const now = () => Math.floor(Date.now() / 1000);

  const keyReq = await buildRequest(profile, creds, route('balance-get'), { nowSeconds: now() });
  const keyAnswer = await fetch(server.url + keyReq.pathWithQuery, { headers: keyReq.headers });
  const keyBody = await keyAnswer.text();
  const signedSample = await buildRequest(profile, creds, route('payments-create-v2'), {
    nowSeconds: now(),
  });
  const signedAnswer = await fetch(server.url + signedSample.pathWithQuery, {
    method: 'POST',
    headers: signedSample.headers,
    body: signedSample.body!,
  });
  const signedBody = await signedAnswer.text();
  if (keyAnswer.status !== 200 || signedAnswer.status !== 201)
    throw new Error(`mock not ready: ${keyAnswer.status} ${signedAnswer.status}`);

  // The same JSON, from a server that does no auth at all.
  const bare = createServer((req, res) => {
    const body = req.method === 'POST' ? signedBody : keyBody;
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'POST' ? 201 : 200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

  const signed = (base: string): autocannon.Options => ({
    url: base,
    requests: [
      {
        method: 'POST',
        path: signedSample.pathWithQuery,
        setupRequest: (req) => {
          const nonce = randomBytes(16).toString('hex');
          // buildRequest is async; sign synchronously here with the same parts it uses.
          const fresh = signSync(nonce);
          return { ...req, headers: fresh.headers, body: fresh.body };
        },
      },
    ],
  });
  const { canonicalString, signatureHeaderValue } = await import('../src/sign/hmac-canonical.ts');
  const signing = hmacSigning(profile);
  function signSync(nonce: string) {
    const timestamp = String(now());
    const body = signedSample.body!;
    const canonical = canonicalString(signing, {
      method: 'POST',
      pathWithQuery: signedSample.pathWithQuery,
      timestamp,
      nonce,
      merchant: creds.hmac!.merchant!,
      body,
    });
    const headers = {
      ...signedSample.headers,
      'X-Timestamp': timestamp,
      'X-Nonce': nonce,
      'X-Signature': signatureHeaderValue(signing, creds.hmac!.secret!, canonical),
    };
    return { headers, body };
  }

  const rows: ThroughputRow[] = [];
  rows.push(
    await run('bare node:http, GET (same JSON)', {
      url: bareUrl + keyReq.pathWithQuery,
      headers: keyReq.headers,
    }),
  );
  rows.push(
    await run('mock, valid-key path (GET /api/v1/balance)', {
      url: server.url + keyReq.pathWithQuery,
      headers: keyReq.headers,
    }),
  );
  rows.push(await run('bare node:http, POST (same JSON, signed request)', signed(bareUrl)));
  rows.push(await run('mock, HMAC path (POST /api/v2/payments)', signed(server.url)));
  await server.stop();
  await new Promise((r) => bare.close(r));
  return rows;
}
