/** `npm run bench`: every benchmark of the project, figures printed as tables. */
import { benchMockThroughput } from './mock-throughput.ts';
import { benchEngine } from './engine-speed.ts';
import { benchNonceFlood, soakHeld } from './nonce-flood.ts';

const engine = await benchEngine();
console.log(
  '\nengine (authconform run --profile all --target mock, default runs; HTTP: luxcore, 100 runs)',
);
console.table(engine);

const rows = await benchMockThroughput();
console.log(
  `\nmock throughput (autocannon -c 50 -d ${process.env.BENCH_SECONDS ?? 10}, loopback, this machine)`,
);
console.table(rows);
const ratio = (a: string, b: string) => {
  const x = rows.find((r) => r.name.startsWith(a))!;
  const y = rows.find((r) => r.name.startsWith(b))!;
  return (x.requestsPerSecond / y.requestsPerSecond).toFixed(2);
};
console.log(`valid-key path: mock / bare = ${ratio('mock, valid-key', 'bare node:http, GET')}`);
console.log(`HMAC path:      mock / bare = ${ratio('mock, HMAC', 'bare node:http, POST')}`);
const bad = rows.filter((r) => r.non2xx > 0 || r.errors > 0);
if (bad.length > 0) {
  console.error(`non-2xx or errors in: ${bad.map((r) => r.name).join(', ')}`);
  process.exitCode = 1;
}

const soak = await benchNonceFlood();
console.log(
  `\nnonce flood (npm run soak: one merchant, ${soak.flood} fresh nonces in-process, then another merchant's request replayed)`,
);
console.table(soak);
if (!soakHeld(soak)) {
  console.error(
    'nonce flood: the replay was admitted, or the flood got an answer other than 201 or 429',
  );
  process.exitCode = 1;
}
