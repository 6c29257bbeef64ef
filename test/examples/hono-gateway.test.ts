import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_DATA, start } from '../../examples/hono-gateway/server.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { EXAMPLES_DIR, notPassed, clockLimitedIds, runAgainstExample } from './run-example.ts';

const loaded = resolveProfile('gateway');
const { profile } = loaded;
const creds = loadCredentials(join(EXAMPLES_DIR, 'hono-gateway/credentials.yaml'), profile);
const scratch = mkdtempSync(join(tmpdir(), 'gateway-example-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the Hono + bearer-auth Payment Gateway example', () => {
  it('passes every MUST scenario of the gateway profile over HTTP', async () => {
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
      'key-lifecycle-model: PARTIAL',
      'rate-window-per-key: PARTIAL',
    ]);
    // What the profile makes applicable, each actually exercised: bearer keys, scopes with
    // wildcards, key types, the organization from the key, lifecycle and the rate limit.
    expect(verdicts.map((v) => v.scenario)).toEqual(
      expect.arrayContaining([
        'other-organization-record',
        'organization-header-does-not-switch',
        'system-key-on-organization-route',
        'missing-key',
        'header-name-case',
        'unknown-key',
        'malformed-key',
        'revoked-key-refused',
        'scope-denied',
        'scope-wildcard-granted',
        'scope-wildcard-bounded',
        'rate-limit-429',
        'body-not-json',
        'key-lifecycle-model',
      ]),
    );
  }, 60_000);

  it('is failed by the same harness once its data widens the least-privilege key', async () => {
    const data = parse(readFileSync(DEFAULT_DATA, 'utf8')) as {
      keys: { id: string; scopes?: string[] }[];
    };
    const valid = data.keys.find((k) => k.id === creds.keys!.valid!.id)!;
    data.keys.find((k) => k.id === creds.keys!.scopeLimited!.id)!.scopes = valid.scopes;
    const file = join(scratch, 'widened.yaml');
    writeFileSync(file, stringify(data));
    const verdicts = await runAgainstExample({
      profile: loaded,
      creds,
      start: () => start(0, '127.0.0.1', file),
      runs: 5,
      seed: 2026,
      only: ['missing-key', 'scope-denied'],
    });
    expect(verdicts.map((v) => `${v.scenario} ${v.status}`)).toEqual([
      'missing-key PASS',
      'scope-denied FAIL',
    ]);
  }, 60_000);

  // A staging deployment with a short rotation grace lets the end of the grace be checked for
  // real: the harness waits it out (within --max-wait) instead of leaving the verdict PARTIAL.
  // The two runs wait out the grace in real time, each against servers of its own: together.
  describe.concurrent(
    'with a 2 s rotation grace (both the deployment and the profile say so)',
    () => {
      const shortGrace = structuredClone(profile);
      shortGrace.lifecycle!.rotationGraceSeconds = 2;
      const lifecycle = (rotationGraceMs: number) =>
        runAgainstExample({
          profile: { ...loaded, profile: shortGrace },
          creds,
          start: () => start(0, '127.0.0.1', DEFAULT_DATA, { rotationGraceMs }),
          // 10, not fewer: at 4 no drawn sequence both waited the grace out and checked what follows.
          runs: 10,
          seed: 2026,
          only: ['key-lifecycle-model'],
          maxWaitSeconds: 6,
        });

      it('passes the key lifecycle in full: the old secret is retired when the grace ends', async () => {
        const verdicts = await lifecycle(2000);
        expect(verdicts.map((v) => `${v.scenario} ${v.status} ${v.reason ?? ''}`.trim())).toEqual([
          'key-lifecycle-model PASS',
        ]);
      }, 60_000);

      it('fails a deployment that never retires a rotated secret', async () => {
        const verdicts = await lifecycle(365 * 86_400_000);
        expect(verdicts.map((v) => `${v.scenario} ${v.status}`)).toEqual([
          'key-lifecycle-model FAIL',
        ]);
      }, 60_000);
    },
  );
});
