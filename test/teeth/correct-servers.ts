/**
 * The correct implementations the harness must never fail: the bundled mock of each built-in
 * profile over HTTP, and the independent examples (written from the guides on other stacks, each
 * strict: it deletes, cancels, retires rotated secrets, checks referenced ids, remembers nonces).
 * `npm run teeth -- --seeds N` runs them all with N seeds; any verdict short of PASS that is not
 * the example's fixed clock (said in the verdict, see run-example.ts) is a false alarm.
 */
import { join } from 'node:path';
import { start as startGateway } from '../../examples/hono-gateway/server.ts';
import { start as startVesuvio } from '../../examples/express-vesuviopay/server.ts';
import { start as startTidewater } from '../../examples/fastify-tidewater/server.ts';
import { start as startLuxcore } from '../../examples/node-luxcore/server.ts';
import { start as startLedgerly } from '../../examples/apikey-scheme-api/server.ts';
import { start as startSkyhold } from '../../examples/sigv4-api/server.ts';
import { start as startLarkspur } from '../../examples/jwt-api/server.ts';
import { start as startPetrel } from '../../examples/hawk-api/server.ts';
import { builtInProfileIds, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import type { Scenario } from '../../src/scenario/scenario-model.ts';
import {
  EXAMPLES_DIR,
  notPassed,
  runAgainstExample,
  type ExampleRun,
} from '../examples/run-example.ts';
import { runCorrectMock } from './teeth-run.ts';

export interface CorrectServer {
  name: string;
  /** Verdicts short of PASS (clock-bound ones aside), as "scenario: STATUS (reason)". */
  falseAlarms(seed: number, runs: number): Promise<string[]>;
}

function example(
  name: string,
  dir: string,
  start: ExampleRun['start'],
  profileId?: string,
): CorrectServer {
  // A built-in profile by its id; a user profile by its file, its body schemas found beside it.
  const profile = resolveProfile(profileId ?? join(EXAMPLES_DIR, dir, 'profile.yaml'));
  const creds = loadCredentials(join(EXAMPLES_DIR, dir, 'credentials.yaml'), profile.profile);
  return {
    name,
    async falseAlarms(seed, runs) {
      const verdicts = await runAgainstExample({ profile, creds, start, runs, seed });
      return notPassed(verdicts);
    },
  };
}

export function correctServers(scenarios: Scenario[]): CorrectServer[] {
  return [
    ...builtInProfileIds().map((id): CorrectServer => ({
      name: `${id} mock over HTTP`,
      async falseAlarms(seed, runs) {
        const r = await runCorrectMock(id, scenarios, { runs, seed });
        return r.falseAlarms.map((v) => `${v.scenario}: ${v.status} (${v.reason ?? ''})`);
      },
    })),
    example('Hono gateway example', 'hono-gateway', () => startGateway(0, '127.0.0.1'), 'gateway'),
    example(
      'Express VesuvioPay example',
      'express-vesuviopay',
      () => startVesuvio(0, '127.0.0.1'),
      'vesuviopay',
    ),
    example(
      'node:http LuxCore example',
      'node-luxcore',
      () => startLuxcore(0, '127.0.0.1'),
      'luxcore',
    ),
    example('Fastify Tidewater example', 'fastify-tidewater', () => startTidewater(0, '127.0.0.1')),
    example('Express Ledgerly example', 'apikey-scheme-api', () => startLedgerly(0, '127.0.0.1')),
    example('Express Larkspur bearer-JWT example', 'jwt-api', () => startLarkspur(0, '127.0.0.1')),
    example('node:http Skyhold SigV4 example', 'sigv4-api', () => startSkyhold(0, '127.0.0.1')),
    example('node:http Petrel Hawk example (hawk package)', 'hawk-api', () =>
      startPetrel(0, '127.0.0.1'),
    ),
  ];
}
