// The Skyhold example server (node:http, SigV4 verified by hand over node:crypto, written from its
// profile alone) over HTTP: every scenario that applies passes over several seeds, and each
// one-mistake variant of it is caught by the scenario of its family (issue 14 items 2 and 4:
// SigV4 signed by the harness as AWS's SDK signer does, checked by a third implementation).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start } from '../../examples/sigv4-api/server.ts';
import { verifySigv4 } from '../../examples/sigv4-api/sigv4-verify.ts';
import type { Weakness } from '../../examples/sigv4-api/weaknesses.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { EXAMPLES_DIR, notPassed, runAgainstExample } from './run-example.ts';

const dir = join(EXAMPLES_DIR, 'sigv4-api');
// A profile file is resolved as `authconform run --profile FILE` resolves it: its own body
// schemas are found beside it (F2).
const loaded = resolveProfile(join(dir, 'profile.yaml'));
const { profile } = loaded;
const creds = loadCredentials(join(dir, 'credentials.yaml'), profile);

const run = (seed: number, weakness?: Weakness, only?: string[]) =>
  runAgainstExample({
    profile: loaded,
    creds,
    start: () => start(0, '127.0.0.1', weakness ? { weakness } : {}),
    // The verdict is under test, not the search: each mistake is met within a few cases.
    runs: 8,
    seed,
    ...(only ? { only } : {}),
  });

const SIGNATURE_SCENARIOS = [
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
  'timestamp-too-old',
  'timestamp-too-new',
  'timestamp-inside-window',
  'timestamp-at-window-edge',
  'timestamp-just-outside-window',
];

describe('the node:http Skyhold example (AWS SigV4, a usage-plan key on one route)', () => {
  // One seed here; `npm run teeth -- --seeds N` runs this server's whole profile over N seeds.
  for (const seed of [2026]) {
    it(`passes every scenario that applies, over HTTP (seed ${seed})`, async () => {
      const verdicts = await run(seed);
      expect(notPassed(verdicts)).toEqual([]);
      expect(verdicts.map((v) => v.scenario)).toEqual(
        expect.arrayContaining([
          ...SIGNATURE_SCENARIOS,
          'missing-key',
          'unknown-key',
          'revoked-key-refused',
        ]),
      );
      // SigV4 has no nonce and no version: those scenarios are not applicable, not run.
      expect(verdicts.map((v) => v.scenario)).not.toContain('nonce-replayed');
      expect(verdicts.map((v) => v.scenario)).not.toContain('signature-wrong-version');
    }, 60_000);
  }

  const caught: [Weakness, string[]][] = [
    ['skew-ignored', ['timestamp-too-old', 'timestamp-too-new', 'timestamp-just-outside-window']],
    ['window-exclusive', ['timestamp-at-window-edge']],
    ['body-hash-trusted', ['signature-body-tampered']],
    ['query-not-signed', ['signature-query-tampered']],
    ['signature-prefix', ['signature-tail-changed', 'signature-truncated']],
    ['access-key-ignored', ['signature-wrong-key-id']],
  ];
  for (const [weakness, ids] of caught) {
    it(`is failed once it has the mistake ${weakness}, by ${ids.join(', ')}`, async () => {
      const verdicts = await run(2026, weakness, ids);
      for (const id of ids)
        expect(verdicts.find((v) => v.scenario === id)?.status, id).toBe('FAIL');
    }, 30_000);
  }

  it('keeps the other signature scenarios green under each mistake (one fault, one catch)', async () => {
    // A mistake that also broke the accepted twin would be caught by everything and prove little.
    const verdicts = await run(2026, 'query-not-signed', SIGNATURE_SCENARIOS);
    expect(notPassed(verdicts)).toEqual([expect.stringMatching(/^signature-query-tampered: FAIL/)]);
  }, 30_000);
});

describe("the Skyhold server's own SigV4 verifier", () => {
  // The AWS SigV4 test suite (specs/vectors/sigv4/): every published signed request verifies,
  // so the third implementation the harness is checked against is itself right.
  const suite = JSON.parse(
    readFileSync(
      join(import.meta.dirname, '../../specs/vectors/sigv4/aws-sig-v4-test-suite.json'),
      'utf8',
    ),
  ) as {
    accessKeyId: string;
    secretAccessKey: string;
    region: string;
    service: string;
    cases: { name: string; sreq: string }[];
  };
  const at = Date.UTC(2015, 7, 30, 12, 36, 0);
  for (const c of suite.cases) {
    it(`accepts the published signed request ${c.name}, and refuses it with its signature changed`, () => {
      const blank = c.sreq.indexOf('\n\n');
      const head = blank < 0 ? c.sreq : c.sreq.slice(0, blank);
      const [line, ...lines] = head.split('\n');
      const [method, url] = line!.split(' ') as [string, string];
      const headers = Object.fromEntries(
        lines.map((l) => [
          l.slice(0, l.indexOf(':')).toLowerCase(),
          l.slice(l.indexOf(':') + 1).trim(),
        ]),
      );
      const rawBody = Buffer.from(blank < 0 ? '' : c.sreq.slice(blank + 2));
      const scope = { region: suite.region, service: suite.service, skewSeconds: 300 };
      const secretOf = (id: string) =>
        id === suite.accessKeyId ? suite.secretAccessKey : undefined;
      expect(verifySigv4({ method, url, headers, rawBody }, scope, secretOf, at)).toBe(
        suite.accessKeyId,
      );
      const auth = headers['authorization']!;
      const flipped = auth.slice(0, -1) + (auth.endsWith('0') ? '1' : '0');
      expect(
        verifySigv4(
          { method, url, headers: { ...headers, authorization: flipped }, rawBody },
          scope,
          secretOf,
          at,
        ),
      ).toEqual({ kind: 'invalid' });
    });
  }
});
