import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_DATA, start } from '../../examples/express-vesuviopay/server.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { EXAMPLES_DIR, notPassed, clockLimitedIds, runAgainstExample } from './run-example.ts';

const loaded = resolveProfile('vesuviopay');
const { profile } = loaded;
const creds = loadCredentials(join(EXAMPLES_DIR, 'express-vesuviopay/credentials.yaml'), profile);
const scratch = mkdtempSync(join(tmpdir(), 'vesuvio-example-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the Express + jsonwebtoken VesuvioPay example', () => {
  it('passes every MUST scenario of the vesuviopay profile over HTTP', async () => {
    const verdicts = await runAgainstExample({
      profile: loaded,
      creds,
      start: () => start(0, '127.0.0.1'),
      // One seed, few draws: `npm run teeth -- --seeds N` searches this server for false alarms.
      runs: 8,
      seed: 2026,
    });
    expect(notPassed(verdicts)).toEqual([]);
    // This server's clock cannot be moved: what needs a long wait is said, never passed.
    expect(clockLimitedIds(verdicts)).toEqual(['rate-window-per-key: PARTIAL']);
    // What the profile makes applicable, each actually exercised: keys, store binding, key
    // types, environments, the customer JWT and the rate limit.
    expect(verdicts.map((v) => v.scenario)).toEqual(
      expect.arrayContaining([
        'test-key-on-live-data',
        'other-store-record',
        'other-store-key',
        'publishable-key-on-secret-call',
        'revoked-key-refused',
        'expired-key-refused',
        'expired-jwt',
        'jwt-alg-none',
        'jwt-algorithm-confusion',
        'rate-limit-429',
        'body-not-json',
      ]),
    );
  }, 60_000);

  it('is failed by the same harness once its data un-revokes the revoked key', async () => {
    const data = parse(readFileSync(DEFAULT_DATA, 'utf8')) as {
      keys: { id: string; status: string }[];
    };
    data.keys.find((k) => k.id === creds.keys!.revoked!.id)!.status = 'active';
    const file = join(scratch, 'unrevoked.yaml');
    writeFileSync(file, stringify(data));
    const verdicts = await runAgainstExample({
      profile: loaded,
      creds,
      start: () => start(0, '127.0.0.1', file),
      runs: 3,
      seed: 2026,
      only: ['revoked-key-refused', 'missing-key'],
    });
    expect(verdicts.map((v) => `${v.scenario} ${v.status}`)).toEqual([
      'missing-key PASS',
      'revoked-key-refused FAIL',
    ]);
  }, 60_000);
});
