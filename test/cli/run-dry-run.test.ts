// Issue 13 item 6: `run --dry-run` says what would run against what, with counts and reasons,
// and sends nothing; `--scenario` takes family names, `--exclude` takes ids, globs and families.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './run-main.ts';

let server: Server;
let url: string;
let requests = 0;
let dir: string;
let creds: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as { port: number };
  url = `http://127.0.0.1:${address.port}`;
  dir = mkdtempSync(join(tmpdir(), 'authconform-dry-'));
  creds = join(dir, 'luxcore.credentials.yaml');
  expect((await runMain('credentials', '--profile', 'luxcore', '--out', creds)).code).toBe(0);
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The scenario ids a dry run lists under one label (run, SKIP, n/a). */
function listed(stdout: string, label: 'run' | 'SKIP' | 'n/a'): string[] {
  return [...stdout.matchAll(new RegExp(`^ {2}${label.replace('/', '\\/')} +(\\S+)`, 'gm'))].map(
    (m) => m[1]!,
  );
}

describe('authconform run --dry-run', () => {
  it('lists what would run, SKIP and not apply against a URL, with counts, and sends no request', async () => {
    // Credentials without the HMAC secret: every signed scenario would SKIP, saying why.
    const partial = join(dir, 'no-hmac.credentials.yaml');
    const full = parse(readFileSync(creds, 'utf8')) as Record<string, unknown>;
    delete full.hmac;
    writeFileSync(partial, stringify(full), { mode: 0o600 });
    const before = requests;
    const r = await runMain(
      'run',
      '--profile',
      'luxcore',
      '--target',
      url,
      '--credentials',
      partial,
      '--seed',
      '7',
      '--runs',
      '9',
      '--dry-run',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(requests - before).toBe(0);
    expect(r.stdout).toContain(`dry run: nothing is sent to ${url}`);
    expect(r.stdout).toContain('seed 7, 9 runs per property');
    const run = listed(r.stdout, 'run');
    const skip = listed(r.stdout, 'SKIP');
    const na = listed(r.stdout, 'n/a');
    expect(run).toContain('missing-key');
    expect(skip).toContain('nonce-replayed');
    expect(na).toContain('expired-jwt'); // luxcore has no bearer JWT
    expect(r.stdout).toMatch(/^ {2}SKIP nonce-replayed +MUST +the credentials have no hmac$/m);
    expect(r.stdout).toMatch(/^ {2}n\/a +expired-jwt +MUST +the profile has no bearer-jwt$/m);
    expect(r.stdout).toMatch(/^ {2}run +missing-key +MUST +9 case\(s\) over \d+ route\(s\)$/m);
    expect(r.stdout).toContain(
      `luxcore: ${run.length} would run, ${skip.length} would SKIP, ${na.length} not applicable (of ${run.length + skip.length + na.length} selected)`,
    );
    expect(r.stdout).not.toMatch(/passed, \d+ failed/);
  });

  it('--profile all against the mock: one section per profile and the totals', async () => {
    const r = await runMain('run', '--profile', 'all', '--dry-run', '--scenario', 'missing-key');
    expect(r.code, r.stderr).toBe(0);
    for (const id of ['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay'])
      expect(r.stdout).toMatch(
        new RegExp(`^${id}: 1 would run, 0 would SKIP, 0 not applicable \\(of 1 selected\\)$`, 'm'),
      );
    expect(r.stdout).toMatch(/^total: 5 would run, 0 would SKIP, 0 not applicable$/m);
  });
});

describe('authconform run --scenario and --exclude', () => {
  const dry = (...args: string[]) => runMain('run', '--profile', 'luxcore', '--dry-run', ...args);
  const selected = (stdout: string) => [
    ...listed(stdout, 'run'),
    ...listed(stdout, 'SKIP'),
    ...listed(stdout, 'n/a'),
  ];

  it('--scenario takes a family name, also as the brief writes it ("timestamp skew")', async () => {
    const family = await dry('--scenario', 'timestamp skew');
    expect(family.code, family.stderr).toBe(0);
    expect(selected(family.stdout).sort()).toEqual([
      'signature-expired',
      'timestamp-at-window-edge',
      'timestamp-inside-window',
      'timestamp-just-outside-window',
      'timestamp-too-new',
      'timestamp-too-old',
    ]);
    const mixed = await dry('--scenario', 'missing-tenant,revoked-key,scope-denied');
    expect(selected(mixed.stdout).sort()).toEqual([
      'missing-tenant-header',
      'revoked-key-refused',
      'scope-denied',
    ]);
  });

  it('an id that is also a family selects the one scenario, and says how to get the family', async () => {
    const one = await dry('--scenario', 'expired-jwt');
    expect(selected(one.stdout)).toEqual(['expired-jwt']);
    expect(one.stdout).toContain(
      'note: --scenario expired-jwt: the scenario of that id; its family has 13 scenarios (--scenario family:expired-jwt for all of them)',
    );
    const all = await dry('--scenario', 'family:expired-jwt');
    expect(selected(all.stdout)).toHaveLength(13);
  });

  it('--exclude removes ids, globs and families, repeated or comma-separated', async () => {
    const r = await dry(
      '--scenario',
      'nonce-replay,timestamp-skew',
      '--exclude',
      'nonce-too-*',
      '--exclude',
      'timestamp skew,nonce-replayed',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(selected(r.stdout).sort()).toEqual([
      'nonce-disallowed-characters',
      'nonce-length-bounds-accepted',
      'nonce-replayed-late-in-window',
      'nonce-replayed-while-signed-ahead',
      'nonce-replayed-with-another-key',
    ]);
    const everything = selected((await dry()).stdout);
    const less = selected((await dry('--exclude', 'signature-*')).stdout);
    const signatureIds = everything.filter((id) => id.startsWith('signature-'));
    expect(signatureIds.length).toBeGreaterThanOrEqual(11);
    expect(less).toEqual(everything.filter((id) => !id.startsWith('signature-')));
    // A term written before the signing scenarios were renamed still selects them.
    const old = selected((await dry('--scenario', 'hmac-body-tampered,hmac-tamper')).stdout);
    expect(old).toEqual(expect.arrayContaining(['signature-body-tampered', 'signature-empty']));
  });

  it('a term that matches nothing exits 2, naming it and the nearest ids and families', async () => {
    const typo = await dry('--scenario', 'nonse-replay');
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe(
      'authconform run: --scenario "nonse-replay" matches no scenario id or family; nearest: nonce-replay (family), nonce-replayed\n',
    );
    const exclude = await dry('--exclude', 'revokd-key');
    expect(exclude.code).toBe(2);
    expect(exclude.stderr).toContain(
      '--exclude "revokd-key" matches no scenario id or family; nearest: revoked-key (family)',
    );
    const far = await dry('--scenario', 'zzz-*');
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(
      /"zzz-\*" matches no scenario id or family; families: authorization-scheme, basic-auth, binding-format, .*nonce-replay/,
    );
    const none = await dry('--scenario', 'missing-key', '--exclude', 'missing-key');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('leave no scenario to run');
  });
});
