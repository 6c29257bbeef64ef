import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start } from '../../examples/fastify-tidewater/server.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import {
  EXAMPLES_DIR,
  exampleRunArgs,
  notPassed,
  clockLimitedIds,
  runAgainstExample,
} from './run-example.ts';
import { runMain } from '../cli/run-main.ts';

const dir = join(EXAMPLES_DIR, 'fastify-tidewater');
// A profile file is resolved as `authconform run --profile FILE` resolves it: its own body
// schemas are found beside it (F2).
const loaded = resolveProfile(join(dir, 'profile.yaml'));
const { profile } = loaded;
const creds = loadCredentials(join(dir, 'credentials.yaml'), profile);

describe('a sixth profile written only in YAML (Tidewater, on Fastify + @fastify/jwt)', () => {
  it('validates with `authconform validate`, its own body schemas found beside it', async () => {
    // The CLI in-process, as bin/authconform.js calls it (test/cli/bin.slow.test.ts starts the bin).
    const { code, stdout } = await runMain(
      'validate',
      join(dir, 'profile.yaml'),
      join(dir, 'credentials.yaml'),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/2 file\(s\) checked, 0 with problems/);
  });

  it('passes every MUST scenario over HTTP', async () => {
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
    expect(clockLimitedIds(verdicts)).toEqual([
      'nonce-replayed-late-in-window: SKIP',
      'nonce-replayed-while-signed-ahead: SKIP',
      'rate-window-per-key: PARTIAL',
    ]);
    // The format's features this profile uses, each exercised against the implementation.
    expect(verdicts.map((v) => v.scenario)).toEqual(
      expect.arrayContaining([
        'missing-tenant-header',
        'other-tenant-key',
        'test-key-on-live-data',
        'publishable-key-on-secret-call',
        'scope-denied',
        'scope-alias-granted',
        'scope-wildcard-granted',
        'scope-wildcard-bounded',
        'expired-jwt',
        'jwt-algorithm-confusion',
        'signature-query-tampered',
        'signature-wrong-version',
        'nonce-replayed',
        'nonce-length-bounds-accepted',
        'timestamp-too-new',
        'expired-key-refused',
        'rate-limit-429',
        'body-not-json',
      ]),
    );
  }, 90_000);

  it('refuses a request signed with another secret, and a driver token from another key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = {
      ...creds,
      hmac: { ...creds.hmac!, secret: creds.otherMerchantHmac!.secret },
      jwt: {
        ...creds.jwt!,
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      },
    };
    const verdicts = await runAgainstExample({
      profile: loaded,
      creds: forged,
      start: () => start(0, '127.0.0.1'),
      runs: 3,
      seed: 2026,
      only: ['missing-key', 'timestamp-inside-window', 'expired-jwt'],
    });
    expect(verdicts.map((v) => `${v.scenario} ${v.status}`)).toEqual([
      'expired-jwt FAIL',
      'missing-key PASS',
      'timestamp-inside-window FAIL',
    ]);
    for (const v of verdicts.filter((x) => x.status === 'FAIL'))
      expect(v.reason).toContain('the request the profile says must be accepted');
  }, 30_000);

  it('runs with `authconform run --profile examples/fastify-tidewater/profile.yaml` (F2, closed)', async () => {
    const server = await start(0, '127.0.0.1');
    try {
      const { code, stdout } = await runMain(
        'run',
        ...exampleRunArgs('fastify-tidewater', server.url),
        '--scenario',
        'missing-*,scope-*,signature-*,nonce-replayed,expired-jwt',
        '--runs',
        '3',
        '--seed',
        '5',
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(/tidewater\s+signature-body-tampered\s+MUST\s+PASS/);
      expect(stdout).toMatch(/\d+ passed, 0 failed, \d+ partial, 0 skipped, 0 errors/);
    } finally {
      await server.close();
    }
  }, 60_000);
});
