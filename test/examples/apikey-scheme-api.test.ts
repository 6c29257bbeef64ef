// The Ledgerly example server (Express 5 + jsonwebtoken, written from its profile alone) over
// HTTP: every scenario that applies passes, and each one-mistake variant of it is caught by the
// scenario of its family (issue 14 items 6, 7: scheme words, HTTP Basic, two credentials).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start, type Faults } from '../../examples/apikey-scheme-api/server.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { EXAMPLES_DIR, notPassed, runAgainstExample } from './run-example.ts';

const dir = join(EXAMPLES_DIR, 'apikey-scheme-api');
// A profile file is resolved as `authconform run --profile FILE` resolves it: its own body
// schemas are found beside it (F2).
const loaded = resolveProfile(join(dir, 'profile.yaml'));
const { profile } = loaded;
const creds = loadCredentials(join(dir, 'credentials.yaml'), profile);

const run = (faults: Faults, only?: string[]) =>
  runAgainstExample({
    profile: loaded,
    creds,
    start: () => start(0, '127.0.0.1', faults),
    runs: 20,
    seed: 2026,
    ...(only ? { only } : {}),
  });

describe('the Express Ledgerly example (ApiKey and Basic in Authorization, a JWT with a key)', () => {
  it('passes every scenario that applies, over HTTP', async () => {
    const verdicts = await run({});
    expect(notPassed(verdicts)).toEqual([]);
    expect(verdicts.map((v) => v.scenario)).toEqual(
      expect.arrayContaining([
        'authorization-scheme-case',
        'authorization-scheme-other',
        'authorization-scheme-omitted',
        'basic-missing',
        'basic-wrong-secret',
        'basic-unknown-id',
        'basic-malformed-base64',
        'basic-missing-colon',
        'basic-revoked',
        'missing-key',
        'header-name-case',
        'unknown-key',
        'malformed-key',
        'revoked-key-refused',
        'api-key-accepted-in-body',
        'jwt-bad-signature',
        'body-not-json',
      ]),
    );
  }, 60_000);

  const caught: [keyof Faults, string[]][] = [
    ['caseSensitiveScheme', ['authorization-scheme-case']],
    ['basicIgnoresSecret', ['basic-wrong-secret']],
    ['approvalIgnoresKey', ['missing-key', 'unknown-key']],
  ];
  for (const [fault, ids] of caught) {
    it(`is failed once it has the mistake ${fault}, by ${ids.join(', ')}`, async () => {
      const verdicts = await run({ [fault]: true }, ids);
      for (const id of ids)
        expect(verdicts.find((v) => v.scenario === id)?.status, id).toBe('FAIL');
    }, 30_000);
  }
});
