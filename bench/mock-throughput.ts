/**
 * Mock throughput, measured as a user would meet it: the mock started by `authconform mock` in
 * its own process, load from this process with autocannon (-c 50, BENCH_SECONDS per case), and in
 * the same run the same JSON answered by a Hapi hello-world and by a bare node:http server, each
 * in its own process too (bench/hello-server.ts), all three answering with the same headers
 * and body. Each case is measured in rounds (--rounds, default 3) in alternating order after a
 * warm-up second per server, and the median round is shown with every round's figure beside it:
 * on a shared 2-core machine one round can swing by 2x. Two paths of LuxCore, the one built-in profile
 * with a signed route: the valid-key path (GET /api/v1/balance, X-API-Key) and the HMAC path
 * (POST /api/v2/payments, X-API-Key + header HMAC, a fresh nonce, timestamp and signature per
 * request, made in autocannon's setupRequest, so every server gets the same client).
 *
 * Rate limits are lifted by serving a copy of the profile whose rate classes admit 10^9 a window
 * (written to a temporary directory; `--profile FILE --fixtures fixtures/luxcore.yaml`): the
 * profile's 100/min would answer 429 after the first hundred. The nonce bound follows the lifted
 * limits (nonce-bound.ts).
 *
 * `--store URL` hands the mock processes `--store URL` (a shared state store); `--replicas N`
 * starts N mock processes on it, loaded round-robin. Standalone:
 * `tsx bench/mock-throughput.ts [--store URL] [--replicas N] [--seconds S] [--rounds R] [--cpu-prof DIR]`
 * (--cpu-prof: `node --cpu-prof` on the mock processes and the core over node:http, profiles
 * written to DIR when they stop).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { parseDocument } from 'yaml';
import { builtInFixtures, resolveProfile } from '../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../src/spec/fixtures-to-credentials.ts';
import { buildRequest } from '../src/request/build-request.ts';
import { canonicalString, signatureHeaderValue } from '../src/sign/hmac-canonical.ts';
import { hmacSigning } from '../test/support/hmac-signing.ts';
import { randomBytes } from 'node:crypto';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 50;
const LIFTED = 1_000_000_000;
/**
 * The yardstick's work per request (bench/hello-server.ts, BENCH_WORK_US): what a Hapi server
 * doing this little more than a hello-world answers, beside the mock's whole auth decision.
 */
const WORK_US = 3;
/** The row of the mock's core served by bare node:http, no Hapi (bench/core-over-node.ts). */
const CORE_ROW = 'auth core over bare node:http, no Hapi';

export interface ThroughputOptions {
  /** Seconds per case, split over the rounds (default BENCH_SECONDS or 5). */
  seconds?: number;
  /**
   * Rounds per case (default 3): each server is measured once per round, in the opposite order
   * to the round before, after a warm-up second of its own; the row gives the median round.
   */
  rounds?: number;
  /** A state store URL the mock processes share (`authconform mock --store`). */
  store?: string;
  /** Mock processes on that store, loaded round-robin (default 1). */
  replicas?: number;
  /** Writes the CPU profiles (node --cpu-prof) of the processes running the core to this folder. */
  cpuProfDir?: string;
}

export interface ThroughputRow {
  name: string;
  /** The median round's. */
  requestsPerSecond: number;
  /** Each round's requests/s, in the order measured: the spread a reader should allow for. */
  rounds: string;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
  /**
   * CPU time the server's processes spent per request (user + system, from /proc; Linux only):
   * steadier than requests/s on a machine whose other work takes turns with the server.
   */
  serverCpuUsPerRequest: number | undefined;
}

interface Served {
  urls: string[];
  pids: number[];
  stop(): Promise<void>;
}

/** CPU time (user + system) the processes have used, in µs; undefined where /proc has none. */
function cpuMicros(pids: number[]): number | undefined {
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // After the command name in parentheses: state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1_000_000) / CLOCK_TICKS;
}

/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux Node supports. */
const CLOCK_TICKS = 100;

/** Starts `node ARGS` and waits for its `listening on URL` line. */
function startProcess(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('not listening after 60 s')), 60_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')}: ${e.message}\n${output}`));
    };
    child.once('exit', (code) => fail(new Error(`exited ${code}`)));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({ urls: [m[1]!], pids: [child.pid!], stop: () => stopProcess(child) });
    });
  });
}

/**
 * bench/core-over-node.ts bundled by esbuild as bin/source-bundle.js bundles the CLI (ESM for
 * node20, npm packages left as imports; without its chunks and source map, which the paths
 * benched do not use): the core runs as the same kind of JavaScript as in `authconform mock`, not
 * through tsx's loader, whose keepNames wraps every closure the core creates per request.
 * Written beside the CLI's bundles in node_modules/.cache, where its npm imports resolve, under
 * one name that each run replaces (renamed into place whole, so a bench running beside it never
 * reads half a file): an interrupted bench leaves nothing that piles up.
 */
async function bundledCoreServer(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = join(ROOT, 'node_modules/.cache/authconform-bench');
  const outfile = join(dir, 'core-over-node.mjs');
  const tmp = `${outfile}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(ROOT, 'bench/core-over-node.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: tmp,
    logLevel: 'error',
  });
  renameSync(tmp, outfile);
  return outfile;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/** A copy of the profile whose every rate class (and burst) admits `LIFTED` a window. */
function liftedProfileFile(dir: string, id: string): string {
  const source = join(ROOT, 'specs/profiles', `${id}.yaml`);
  const doc = parseDocument(readFileSync(source, 'utf8'));
  const classes = doc.get('rateLimits') as { items: { key: unknown }[] } | undefined;
  for (const item of classes?.items ?? []) {
    const name = String((item.key as { value?: unknown }).value ?? item.key);
    doc.setIn(['rateLimits', name, 'limit'], LIFTED);
    if (doc.hasIn(['rateLimits', name, 'burst']))
      doc.setIn(['rateLimits', name, 'burst', 'limit'], LIFTED);
  }
  const file = join(dir, `${id}.yaml`);
  writeFileSync(file, doc.toString());
  return file;
}

/** Node's flags for the processes that run the core (the mocks, the core over node:http). */
function nodeFlags(o: ThroughputOptions): string[] {
  return o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
}

async function startMocks(profileFile: string, id: string, o: ThroughputOptions): Promise<Served> {
  const args = [
    ...nodeFlags(o),
    'bin/authconform.js',
    'mock',
    '--profile',
    profileFile,
    '--fixtures',
    `fixtures/${id}.yaml`,
    '--port',
    '0',
    ...(o.store ? ['--store', o.store] : []),
  ];
  const replicas: Served[] = [];
  try {
    for (let i = 0; i < (o.replicas ?? 1); i++) replicas.push(await startProcess(args));
  } catch (e) {
    await Promise.all(replicas.map((r) => r.stop()));
    throw e;
  }
  return {
    urls: replicas.flatMap((r) => r.urls),
    pids: replicas.flatMap((r) => r.pids),
    stop: async () => void (await Promise.all(replicas.map((r) => r.stop()))),
  };
}

function run(seconds: number, opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: seconds, ...opts }, (err, r) =>
      err ? reject(err) : resolve(r),
    );
  });
}

/** One round of one case over a server's processes: the connections split between them. */
interface Round {
  requestsPerSecond: number;
  requests: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
  cpuMicros: number | undefined;
}

async function runRound(
  seconds: number,
  served: Served,
  opts: (url: string) => autocannon.Options,
): Promise<Round> {
  const { urls } = served;
  const per = Math.ceil(CONNECTIONS / urls.length);
  const cpuBefore = cpuMicros(served.pids);
  const results = await Promise.all(
    urls.map((u) => run(seconds, { ...opts(u), connections: per })),
  );
  const cpuAfter = cpuMicros(served.pids);
  return {
    requestsPerSecond: results.reduce((s, r) => s + Math.round(r.requests.average), 0),
    requests: results.reduce((s, r) => s + r.requests.total, 0),
    p50ms: Math.max(...results.map((r) => r.latency.p50)),
    p99ms: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
    errors: results.reduce((s, r) => s + r.errors + r.timeouts, 0),
    cpuMicros: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

/** A case measured over rounds: the median round's rates, CPU per request over all rounds. */
function rowOf(name: string, rounds: Round[]): ThroughputRow {
  const median = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[
    Math.floor(rounds.length / 2)
  ]!;
  const requests = rounds.reduce((s, r) => s + r.requests, 0);
  const cpu = rounds.every((r) => r.cpuMicros !== undefined)
    ? rounds.reduce((s, r) => s + r.cpuMicros!, 0)
    : undefined;
  return {
    name,
    requestsPerSecond: median.requestsPerSecond,
    rounds: rounds.map((r) => r.requestsPerSecond).join('/'),
    p50ms: median.p50ms,
    p99ms: median.p99ms,
    non2xx: rounds.reduce((s, r) => s + r.non2xx, 0),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    serverCpuUsPerRequest:
      cpu === undefined || requests === 0 ? undefined : Math.round(cpu / requests),
  };
}

/**
 * The cases, each over every server: a warm-up second per server and case (JIT, connections),
 * then rounds alternating the servers' order, so that neither the machine's other work nor a
 * server's place in the sequence favours one of them.
 */
async function measure(
  cases: { name: string; served: Served; opts: (url: string) => autocannon.Options }[][],
  seconds: number,
  rounds: number,
): Promise<ThroughputRow[]> {
  const perRound = Math.max(1, Math.round(seconds / rounds));
  const results = cases.map((servers) => servers.map(() => [] as Round[]));
  for (const servers of cases) for (const c of servers) await runRound(1, c.served, c.opts);
  for (let r = 0; r < rounds; r++)
    for (const [i, servers] of cases.entries()) {
      const order = servers.map((_, j) => j);
      if (r % 2 === 1) order.reverse();
      for (const j of order)
        results[i]![j]!.push(await runRound(perRound, servers[j]!.served, servers[j]!.opts));
    }
  return cases.flatMap((servers, i) => servers.map((c, j) => rowOf(c.name, results[i]![j]!)));
}

export async function benchMockThroughput(o: ThroughputOptions = {}): Promise<ThroughputRow[]> {
  const seconds = o.seconds ?? Number(process.env.BENCH_SECONDS ?? 5);
  const id = 'luxcore';
  const dir = mkdtempSync(join(tmpdir(), 'authconform-bench-'));
  const started: Served[] = [];
  try {
    const profileFile = liftedProfileFile(dir, id);
    const mock = await startMocks(profileFile, id, o);
    started.push(mock);
    const { profile } = resolveProfile(profileFile);
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const route = (rid: string) => profile.routes.find((r) => r.id === rid)!;
    const now = () => Math.floor(Date.now() / 1000);

    const keyReq = await buildRequest(profile, creds, route('balance-get'), { nowSeconds: now() });
    const signedSample = await buildRequest(profile, creds, route('payments-create-v2'), {
      nowSeconds: now(),
    });
    const keyAnswer = await fetch(mock.urls[0] + keyReq.pathWithQuery, { headers: keyReq.headers });
    const signedAnswer = await fetch(mock.urls[0] + signedSample.pathWithQuery, {
      method: 'POST',
      headers: signedSample.headers,
      body: signedSample.body!,
    });
    const getBody = await keyAnswer.text();
    const postBody = await signedAnswer.text();
    if (keyAnswer.status !== 200 || signedAnswer.status !== 201)
      throw new Error(`mock not ready: ${keyAnswer.status} ${getBody} / ${signedAnswer.status}`);

    // The same JSON from servers that do no auth at all.
    const bodies = { BENCH_GET_BODY: getBody, BENCH_POST_BODY: postBody };
    const hello = ['--import', 'tsx', 'bench/hello-server.ts'];
    const hapi = await startProcess([...hello, 'hapi'], bodies);
    started.push(hapi);
    const bare = await startProcess([...hello, 'node'], bodies);
    started.push(bare);
    const busy = await startProcess([...hello, 'hapi'], {
      ...bodies,
      BENCH_WORK_US: String(WORK_US),
    });
    started.push(busy);
    // The same core without Hapi (a bench-only server, core-over-node.ts), for the single
    // in-memory mock: how much of the gap to the hello-world is Hapi's per-request path.
    const core = o.store
      ? undefined
      : await startProcess([
          ...nodeFlags(o),
          await bundledCoreServer(),
          profileFile,
          `fixtures/${id}.yaml`,
        ]);
    if (core) started.push(core);

    const signing = hmacSigning(profile);
    const signed = (base: string): autocannon.Options => ({
      url: base,
      requests: [
        {
          method: 'POST',
          path: signedSample.pathWithQuery,
          // A fresh nonce, timestamp and signature per request, as build-request signs them.
          setupRequest: (req) => {
            const nonce = randomBytes(16).toString('hex');
            const timestamp = String(now());
            const body = signedSample.body!;
            const canonical = canonicalString(signing, {
              method: 'POST',
              pathWithQuery: signedSample.pathWithQuery,
              timestamp,
              nonce,
              merchant: creds.hmac!.merchant!,
              body,
            });
            const headers = {
              ...signedSample.headers,
              'X-Timestamp': timestamp,
              'X-Nonce': nonce,
              'X-Signature': signatureHeaderValue(signing, creds.hmac!.secret!, canonical),
            };
            return { ...req, headers, body };
          },
        },
      ],
    });
    const keyed = (base: string): autocannon.Options => ({
      url: base + keyReq.pathWithQuery,
      headers: keyReq.headers,
    });
    const store = o.store ? `, ${o.replicas ?? 1} on ${o.store.replace(/\/\/[^@/]*@/, '//')}` : '';
    const rows = await measure(
      [
        [
          { name: 'bare node:http, GET (same JSON)', served: bare, opts: keyed },
          { name: 'hapi hello-world, GET (same JSON)', served: hapi, opts: keyed },
          { name: `hapi hello-world + ${WORK_US} µs of work, GET`, served: busy, opts: keyed },
          { name: `mock, valid-key path (GET /api/v1/balance${store})`, served: mock, opts: keyed },
          ...(core ? [{ name: `${CORE_ROW}, GET`, served: core, opts: keyed }] : []),
        ],
        [
          { name: 'bare node:http, POST (same JSON, signed)', served: bare, opts: signed },
          { name: 'hapi hello-world, POST (same JSON, signed)', served: hapi, opts: signed },
          { name: `mock, HMAC path (POST /api/v2/payments${store})`, served: mock, opts: signed },
          ...(core ? [{ name: `${CORE_ROW}, POST`, served: core, opts: signed }] : []),
        ],
      ],
      seconds,
      o.rounds ?? 3,
    );
    return rows;
  } finally {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * rows[a] / rows[b] of a figure, by name prefix, two decimals ('-' where one is missing). For
 * requests/s, the median of the rounds' own ratios: each round measures the servers back to
 * back, so a ratio within a round is not moved by the machine's speed drifting between rounds,
 * as a ratio of two medians taken from different rounds is (on this 2-core machine one
 * server's median round and another's can come from minutes of different load).
 */
export function throughputRatio(
  rows: ThroughputRow[],
  a: string,
  b: string,
  figure: 'requestsPerSecond' | 'serverCpuUsPerRequest' = 'requestsPerSecond',
): string {
  const ra = rows.find((r) => r.name.startsWith(a));
  const rb = rows.find((r) => r.name.startsWith(b));
  if (ra?.[figure] === undefined || rb?.[figure] === undefined) return '-';
  if (figure === 'requestsPerSecond') {
    const x = ra.rounds.split('/').map(Number);
    const y = rb.rounds.split('/').map(Number);
    if (x.length === y.length && x.length > 0) {
      const each = x.map((v, i) => v / y[i]!).sort((p, q) => p - q);
      return each[Math.floor(each.length / 2)]!.toFixed(2);
    }
  }
  return (ra[figure] / rb[figure]).toFixed(2);
}

/** Prints the rows and the ratios the issue asks for; sets a failing exit code on non-2xx. */
export function printThroughput(rows: ThroughputRow[], seconds: number): void {
  console.log(
    `\nmock throughput (authconform mock in its own process, autocannon -c ${CONNECTIONS} from another, loopback, this machine; ${seconds} s per case over ${rows[0]?.rounds.split('/').length ?? 0} rounds in alternating order after a 1 s warm-up, median round shown; each req/s ratio is the median of the rounds' own ratios)`,
  );
  console.table(rows);
  for (const [path, label, aim] of [
    ['valid-key path', 'GET', 0.85],
    ['HMAC path', 'POST', 0.75],
  ] as const) {
    const mock = `mock, ${path}`;
    const hapi = `hapi hello-world, ${label}`;
    const bare = `bare node:http, ${label}`;
    console.log(
      `${`${path}:`.padEnd(16)} req/s mock / hapi hello-world = ${throughputRatio(rows, mock, hapi)} (issue 16 aims at ${aim})` +
        `, mock / bare node:http = ${throughputRatio(rows, mock, bare)}` +
        `; server CPU per request hapi / mock = ${throughputRatio(rows, hapi, mock, 'serverCpuUsPerRequest')}`,
    );
  }
  if (rows.some((r) => r.name.startsWith(CORE_ROW)))
    console.log(
      `without Hapi:   req/s ${CORE_ROW} / hapi hello-world = ${throughputRatio(rows, `${CORE_ROW}, GET`, 'hapi hello-world, GET')} (GET)` +
        `, ${throughputRatio(rows, `${CORE_ROW}, POST`, 'hapi hello-world, POST')} (POST)` +
        `; server CPU per request ${rows.find((r) => r.name === `${CORE_ROW}, GET`)?.serverCpuUsPerRequest} / ${rows.find((r) => r.name === `${CORE_ROW}, POST`)?.serverCpuUsPerRequest} µs`,
    );
  const busy = rows.find((r) => r.name.startsWith('hapi hello-world + '));
  if (busy)
    console.log(
      `yardstick:      req/s ${busy.name.replace(', GET', '')} / hapi hello-world = ${throughputRatio(rows, busy.name, 'hapi hello-world, GET')}` +
        `; server CPU per request ${busy.serverCpuUsPerRequest} µs against ${rows.find((r) => r.name.startsWith('hapi hello-world, GET'))?.serverCpuUsPerRequest} µs`,
    );
  const bad = rows.filter((r) => r.non2xx > 0 || r.errors > 0);
  if (bad.length > 0) {
    console.error(`non-2xx or errors in: ${bad.map((r) => r.name).join(', ')}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      store: { type: 'string' },
      replicas: { type: 'string' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const seconds = Number(values.seconds ?? process.env.BENCH_SECONDS ?? 5);
  const rows = await benchMockThroughput({
    seconds,
    ...(values.store ? { store: values.store } : {}),
    ...(values.replicas ? { replicas: Number(values.replicas) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
  });
  printThroughput(rows, seconds);
}
