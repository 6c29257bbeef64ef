/** `npm run bench`: every benchmark of the project, figures printed as tables. */
import { parseArgs } from 'node:util';
import { benchMockThroughput, printThroughput } from './mock-throughput.ts';
import { benchEngine } from './engine-speed.ts';
import { benchNonceFlood, soakHeld } from './nonce-flood.ts';

const engine = await benchEngine();
console.log(
  '\nengine (authconform run --profile all --target mock, default runs; HTTP: luxcore, 100 runs)',
);
console.table(engine);

// `npm run bench -- --store URL`: the mock's rows again on that shared store, one replica and three.
const { values: flags } = parseArgs({ options: { store: { type: 'string' } }, strict: false });
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
printThroughput(await benchMockThroughput({ seconds }), seconds);
if (typeof flags.store === 'string')
  for (const replicas of [1, 3])
    printThroughput(await benchMockThroughput({ seconds, store: flags.store, replicas }), seconds);

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
