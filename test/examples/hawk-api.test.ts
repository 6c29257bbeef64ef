import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start } from '../../examples/hawk-api/server.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { EXAMPLES_DIR, notPassed, runAgainstExample } from './run-example.ts';

const dir = join(EXAMPLES_DIR, 'hawk-api');
// A profile file is resolved as `authconform run --profile FILE` resolves it: its own body
// schemas are found beside it (F2).
const loaded = resolveProfile(join(dir, 'profile.yaml'));
const { profile } = loaded;
const creds = loadCredentials(join(dir, 'credentials.yaml'), profile);

describe('a Hawk API on node:http + the hawk package (Petrel: payload hash required, 60 s, nonces)', () => {
  it('passes every scenario that applies over HTTP, the signing ones included', async () => {
    const verdicts = await runAgainstExample({
      profile: loaded,
      creds,
      start: () => start(0, '127.0.0.1'),
      // One seed, few draws: `npm run teeth -- --seeds N` searches this server for false alarms.
      runs: 8,
      seed: 2026,
    });
    expect(notPassed(verdicts)).toEqual([]);
    const ran = verdicts.map((v) => v.scenario);
    expect(ran).toEqual(
      expect.arrayContaining([
        'signature-body-tampered',
        'signature-query-tampered',
        'signature-missing',
        'signature-tail-changed',
        'signature-truncated',
        'signature-method-tampered',
        'signature-path-tampered',
        'signature-signed-header-tampered',
        'signature-empty',
        'signature-wrong-key-id',
        'nonce-replayed',
        'nonce-too-short',
        'nonce-too-long',
        'nonce-disallowed-characters',
        'nonce-length-bounds-accepted',
        'timestamp-too-old',
        'timestamp-too-new',
        'timestamp-inside-window',
        'timestamp-at-window-edge',
        'timestamp-just-outside-window',
        'jwt-missing',
        'expired-jwt',
      ]),
    );
  }, 120_000);
});
