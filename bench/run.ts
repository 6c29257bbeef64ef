/** `npm run bench`: every benchmark of the project, figures printed as tables. */
import { parseArgs } from 'node:util';
import { benchMockThroughput, printThroughput } from './mock-throughput.ts';
import { benchEngine } from './engine-speed.ts';
import { benchNonceFlood, soakHeld } from './nonce-flood.ts';
import { benchGuestRuns, GUEST_RUN_AIM_SECONDS } from './guest-run.ts';
import { HAS_REDIS, startRedisServer } from '../test/support/redis-server.ts';

const engine = await benchEngine();
console.log(
  '\nengine (authconform run --profile all --target mock, default runs; HTTP: luxcore, 100 runs)',
);
console.table(engine);

// The mock's rows again on Redis (authconform mock --store), one replica and three: on
// `npm run bench -- --store URL`, else on a redis-server of the bench's own where one is installed.
const { values: flags } = parseArgs({ options: { store: { type: 'string' } }, strict: false });
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
printThroughput(await benchMockThroughput({ seconds }), seconds);
const ownRedis =
  typeof flags.store === 'string' || !HAS_REDIS ? undefined : await startRedisServer();
const store = typeof flags.store === 'string' ? flags.store : ownRedis?.url;
try {
  if (store === undefined)
    console.log(
      '\nmock on Redis: not measured (redis-server is not installed: apt-get install -y redis-server, or give --store URL)',
    );
  else
    for (const replicas of [1, 3])
      printThroughput(await benchMockThroughput({ seconds, store, replicas }), seconds);
} finally {
  await ownRedis?.stop();
}

// Issue 16 item 5: a profile against a URL that cannot be reset (BENCH_GUEST_PROFILES: more).
const guestProfiles = (process.env.BENCH_GUEST_PROFILES ?? 'gateway').split(',');
const guest = await benchGuestRuns(guestProfiles);
console.log(
  `\nagainst a URL that cannot be reset (run --target URL, no --resettable, seed 1; aim: under ${GUEST_RUN_AIM_SECONDS} s where the profile's limits allow it)`,
);
console.table(guest);

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
