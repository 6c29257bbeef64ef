// No report carries a whole secret (issue 5, item 2): a full report set from the CLI against the
// mock (every profile), and one from runs against broken servers whose failures carry requests,
// echoed bodies and curl replays, are searched for every secret in fixtures/*.yaml.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { rerunCommand } from '../../src/api/rerun-command.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import type { ProfileRun } from '../../src/engine/engine-context.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { secretsOf } from '../../src/secrets/mask-known-secrets.ts';
import { buildRunRecord } from '../../src/report/run-record.ts';
import { reportFiles, writeReports } from '../../src/report/write-reports.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { maskSecret } from '../../src/secrets/mask.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import {
  acceptAnyJwt,
  brokenTarget,
  header,
  json,
  swapValue,
  type BrokenServer,
} from '../support/broken-targets.ts';
import { filesUnder, fixtureSecrets, secretsFoundIn } from './find-secrets.ts';
import { runMain } from '../cli/run-main.ts';

const secrets = fixtureSecrets();

/** A server that answers every request with the request itself: the worst echo there is. */
const echo = (req: OutgoingRequest) =>
  json(200, {
    echo: { method: req.method, path: req.pathWithQuery, headers: req.headers, body: req.body },
  });

const RUNS = 1;
const BROKEN: BrokenServer[] = [
  {
    name: 'revoked key still accepted',
    profile: 'luxcore',
    models: 'a key cache never invalidated',
    caughtBy: ['revoked-key-refused'],
    rewrite: (req, creds) => swapValue(req, creds.keys!.revoked!.value, creds.keys!.valid!.value),
  },
  {
    name: 'echo',
    profile: 'auxvault',
    models: 'a debug echo left on',
    caughtBy: [],
    rewrite: echo,
  },
  {
    // Its denials put the credential sent where the profile wants an error object: the failure's
    // reason quotes what was found there, so the secret reaches the reason itself.
    name: 'denials quote the credential',
    profile: 'vaulera',
    models: 'an error handler that returns the offending header value',
    caughtBy: [],
    respond: (res, req, ctx) => {
      const sent = Object.values(req.headers).find((v) =>
        secretsOf(ctx.creds).some((secret) => v.includes(secret)),
      );
      return res.status >= 400 && sent ? json(res.status, { error: sent }) : res;
    },
  },
  {
    name: 'alg none accepted',
    profile: 'vesuviopay',
    models: 'a JWT check that trusts the header',
    caughtBy: ['jwt-alg-none'],
    rewrite: (req, _creds, ctx) => acceptAnyJwt(req, ctx, (alg) => alg === 'none'),
  },
  {
    name: 'missing key accepted as anonymous',
    profile: 'gateway',
    models: 'a default principal',
    caughtBy: ['missing-key'],
    rewrite: (req, creds) =>
      header(req, 'authorization')
        ? req
        : {
            ...req,
            headers: { ...req.headers, Authorization: `Bearer ${creds.keys!.valid!.value}` },
          },
  },
];

describe('no report carries a whole secret', () => {
  it('finds every kind of fixture secret to look for', () => {
    const kinds = new Set(
      secrets.map((s) => s.where.replace(/^.* (\w+)\[\d+\]\.(\w+).*$/, '$1.$2')),
    );
    expect(kinds).toEqual(
      new Set([
        'keys.value',
        'hmacSecrets.secret',
        'jwtKeys.secret',
        'jwtKeys.privateKeyPem',
        'users.password',
      ]),
    );
    expect(secrets.filter((s) => s.where.includes('keys[')).length).toBeGreaterThanOrEqual(30);
  });

  it('the search finds a secret planted in a file, raw, JSON-escaped or entity-encoded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-planted-'));
    const key = secrets.find((s) => s.where.includes('keys['))!;
    const pem = secrets.find((s) => s.where.endsWith('privateKeyPem'))!;
    const password = secrets.find(
      (s) => s.where.includes('password') && /[^A-Za-z0-9]/.test(s.value),
    )!;
    writeFileSync(join(dir, 'a.txt'), `curl -H 'X-API-Key: ${key.value}'`);
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ jwt: pem.value }));
    writeFileSync(
      join(dir, 'c.html'),
      `<pre>${password.value.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.codePointAt(0)};`)}</pre>`,
    );
    writeFileSync(join(dir, 'masked.txt'), `X-API-Key: ${maskSecret(key.value)}`);
    const found = secretsFoundIn(filesUnder(dir), secrets);
    expect(found).toContain(`${join(dir, 'a.txt')}: ${key.where}`);
    expect(found).toContain(`${join(dir, 'b.json')}: ${pem.where}`);
    expect(found).toContain(`${join(dir, 'c.html')}: ${password.where}`);
    expect(found.filter((f) => f.includes('masked.txt'))).toEqual([]);
  });

  it('in a full report set from `run --profile all --report DIR` against the mock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-secrets-cli-'));
    const summary = join(dir, 'job-summary.md');
    // One draw per scenario: every report file is written from every verdict; the search is not under test.
    const args = ['run', '--profile', 'all', '--target', 'mock', '--runs', '1', '--seed', '9'];
    // main in-process, as the bin runs it, with the job summary GitHub Actions would give.
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    try {
      const r = await runMain(...args, '--report', join(dir, 'r'));
      expect(r.code, r.stderr).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    const files = filesUnder(dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'job-summary.md',
      'r/junit.xml',
      'r/report.html',
      'r/report.json',
      'r/summary.md',
    ]);
    expect(secretsFoundIn(files, secrets)).toEqual([]);
  }, 60_000);

  it('in a full report set from runs against broken servers, failures and echoes included', async () => {
    const runs: ProfileRun[] = [];
    for (const b of BROKEN) runs.push(await brokenTarget(b));
    // One draw per scenario: each broken server fails at its first case, and the reports carry it.
    const verdicts = await runConformance(runs, loadScenarios(), { runs: RUNS, seed: 13 });
    for (const r of runs) await r.target.close();
    const failures = verdicts.filter((v) => v.status === 'FAIL');
    expect(new Set(failures.map((v) => v.profile))).toEqual(new Set(BROKEN.map((b) => b.profile)));

    const record = buildRunRecord({
      profiles: BROKEN.map((b) => resolveProfile(b.profile)),
      target: { description: 'broken servers', url: 'http://127.0.0.1:4010' },
      seed: 13,
      runs: RUNS,
      failOn: 'must',
      verdicts,
      rerun: (v) =>
        rerunCommand(v, {
          argv: [],
          values: { profile: 'all' },
          runs: RUNS,
          seed: 13,
          target: 'mock',
        }),
      secrets: runs.flatMap((r) => secretsOf(r.creds)),
      startedAt: new Date(),
      durationMs: 0,
    });
    const dir = mkdtempSync(join(tmpdir(), 'authconform-secrets-broken-'));
    mkdirSync(join(dir, 'r'));
    writeReports(record, reportFiles(join(dir, 'r'), {}), {
      GITHUB_STEP_SUMMARY: join(dir, 'job-summary.md'),
    });
    const files = filesUnder(dir);
    expect(files).toHaveLength(5);
    expect(secretsFoundIn(files, secrets)).toEqual([]);

    // Not vacuous: the secrets were there to leak (requests, echoed bodies, curl replays), and
    // are shown masked instead, for the keys of every profile.
    const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const shownMasked = secrets.filter((s) => text.includes(maskSecret(s.value)));
    expect(new Set(shownMasked.map((s) => s.where.split(' ')[0]))).toEqual(
      new Set(BROKEN.map((b) => `fixtures/${b.profile}.yaml`)),
    );
  }, 60_000);
});
