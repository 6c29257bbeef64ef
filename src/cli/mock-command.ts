/**
 * `authconform mock --profile <id|all|id,id...> [--port 4010] [--host 127.0.0.1] [--fixtures FILE]
 * [--store redis://host:6379[/db] [--store-prefix NAME]]`: serves the bundled mock over HTTP and
 * prints its URL and the seeded test credentials a developer needs to make a call (full: they
 * are the fixtures' test values; signing keys are named, not printed; the whole credentials
 * file is at GET /__mock/credentials). With --store, its state lives in Redis, shared by every
 * mock started on the same store and prefix (docs/shared-mock.md).
 */
import { createAuthMock, type AuthMock } from '../../mock-server/create-auth-mock.ts';
import { checkRedisUrl, RedisStoreError } from '../../mock-server/state/redis-url.ts';
import { startMockServer, type RunningMockServer } from '../../mock-server/hapi/hapi-server.ts';
import type { Credentials } from '../model/credentials.ts';
import { resolveProfile } from '../spec/builtin-specs.ts';
import { profileList } from './profile-list.ts';
import { checkFixturesFile, mockFixtures } from '../api/mock-fixtures.ts';
import { fixturesToCredentials } from '../spec/fixtures-to-credentials.ts';
import { parseHost } from '../../mock-server/hapi/control-host.ts';
import { parseCommandArgs, UsageError } from './usage-error.ts';
import { checkListenHost, listenUsageError } from './listen-errors.ts';
import { stopWithNpxShell } from './stop-with-npx-shell.ts';

export async function runMock(
  argv: string[],
  out: NodeJS.WritableStream,
  signal?: AbortSignal,
  log: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    profile: { type: 'string' },
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    fixtures: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    store: { type: 'string' },
    'store-prefix': { type: 'string' },
  });
  if (!values.profile)
    throw new UsageError('--profile ID (or --profile all, or a list: luxcore,gateway) is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got "${values.port}"`);
  const ids = profileList(values.profile);
  if (values.fixtures && ids.length > 1)
    throw new UsageError('--fixtures goes with a single --profile');
  const allowHosts = parseAllowHosts(values['allow-host'] ?? []);
  checkListenHost(values.host);
  const redis = storeOption(values.store, values['store-prefix']);

  const servers: RunningMockServer[] = [];
  const mocks: AuthMock[] = [];
  const closeAll = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(mocks.map((m) => m.close()));
  };
  if (values.fixtures) checkFixturesFile(values.fixtures, values.profile);
  for (const [i, id] of ids.entries()) {
    // --fixtures, the built-in fixtures, or a world generated from your own profile.
    const { profile } = resolveProfile(id);
    const { fixtures, generated } = mockFixtures(profile, id, values.fixtures);
    if (generated)
      out.write(
        `${profile.id}: no fixtures given, serving a world generated from the profile (save one with \`authconform fixtures --profile ${id} --out FILE\`)\n`,
      );
    const mock = await createAuthMock({ profile, fixtures, ...(redis ? { redis } : {}) }).catch(
      async (e: unknown) => {
        await closeAll();
        if (e instanceof RedisStoreError) throw new UsageError(`--store: ${e.message}`);
        throw e;
      },
    );
    mocks.push(mock);
    const listenPort = port === 0 ? 0 : port + i;
    const server = await startMockServer(mock, {
      host: values.host,
      allowHosts,
      port: listenPort,
      // A 500 says why here (the answer only says "internal mock error"): a Redis gone, a bug.
      onError: (e, req) =>
        log.write(
          `authconform mock: ${profile.id}: ${req.method} ${req.path} answered 500: ${e.message}\n`,
        ),
    }).catch(async (err: unknown) => {
      await closeAll();
      throw listenUsageError(err, values.host, listenPort) ?? err;
    });
    servers.push(server);
    out.write(
      describeMock(
        mock.world.profile.id,
        server.url,
        fixturesToCredentials(mock.world.fixtures, mock.world.profile),
      ),
    );
  }
  out.write('Ctrl-C stops.\n');
  await new Promise<void>((resolve) => {
    // Stopped one way, the others are let go: a mock run in-process (tests, a user's script)
    // leaves no signal listener or timer behind.
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      unwatch();
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const unwatch = stopWithNpxShell(stop); // `npx authconform mock &` then `kill $!`
    signal?.addEventListener('abort', stop, { once: true });
    // Told to stop while it was starting: no 'abort' event comes again.
    if (signal?.aborted) stop();
  });
  await closeAll();
  return 0;
}

/** --store redis://... and --store-prefix NAME: checked here, connected per profile. */
function storeOption(
  url: string | undefined,
  prefix: string | undefined,
): { url: string; prefix?: string } | undefined {
  if (url === undefined) {
    if (prefix !== undefined) throw new UsageError('--store-prefix goes with --store redis://...');
    return undefined;
  }
  try {
    checkRedisUrl(url);
  } catch (e) {
    throw new UsageError(
      `--store: ${(e as Error).message} (without --store the mock keeps its state in memory)`,
    );
  }
  // Letters, digits and . _ -: a prefix can neither reach into another's keys (:) nor match
  // more than its own when the store clears it (glob characters).
  if (prefix !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(prefix))
    throw new UsageError(
      `--store-prefix must be 1-100 letters, digits, '.', '_' or '-' (got "${prefix}")`,
    );
  return { url, ...(prefix !== undefined ? { prefix } : {}) };
}

/** --allow-host NAME[:PORT], repeatable or comma-separated. */
function parseAllowHosts(flags: string[]): string[] {
  const hosts = flags.flatMap((f) => f.split(',')).map((h) => h.trim());
  for (const h of hosts)
    if (parseHost(h) === undefined)
      throw new UsageError(
        `--allow-host "${h}" is not a host name: NAME or NAME:PORT ([::1]:4010)`,
      );
  return hosts;
}

function describeMock(id: string, url: string, creds: Credentials): string {
  const lines = [`${id} mock listening on ${url}`, '  test credentials (fixtures):'];
  for (const [role, key] of Object.entries(creds.keys ?? {})) {
    if (role === 'byType') continue;
    const k = key as { value: string; type?: string; environment?: string };
    lines.push(
      `    ${role.padEnd(18)} ${k.value}${k.type ? `  (${[k.type, k.environment].filter(Boolean).join(', ')})` : ''}`,
    );
  }
  if (creds.hmac)
    lines.push(
      `    ${'hmac (signing)'.padEnd(18)} key id ${creds.hmac.keyId ?? creds.hmac.merchant}` +
        (creds.hmac.keyId !== undefined && creds.hmac.merchant !== undefined
          ? ` (merchant ${creds.hmac.merchant})`
          : '') +
        ', ' +
        (creds.hmac.secret !== undefined
          ? `secret ${creds.hmac.secret}`
          : `signing key pair (in GET ${url}/__mock/credentials)`),
    );
  if (creds.login)
    lines.push(`    ${'login'.padEnd(18)} ${creds.login.email} / ${creds.login.password}`);
  if (creds.jwt)
    lines.push(
      `    ${'jwt'.padEnd(18)} ${creds.jwt.alg} signing key "${creds.jwt.kid}" (in GET ${url}/__mock/credentials)`,
    );
  for (const [name, value] of Object.entries(creds.resources ?? {}))
    lines.push(`    ${`resource ${name}`.padEnd(18)} ${value}`);
  lines.push(
    `  control: GET ${url}/__mock/credentials, POST ${url}/__mock/reset, GET|POST ${url}/__mock/clock {"advanceSeconds":N}`,
    '',
  );
  return lines.join('\n') + '\n';
}
