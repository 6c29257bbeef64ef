/**
 * `authconform <command> --help`: the command's usage, its flags (read from the options the
 * command parses, so a flag and its default cannot be missing from the help) with a one-line
 * meaning each, and an example.
 */
import type { ParseArgsConfig } from 'node:util';

interface CommandHelp {
  /** The command line, required parts first. */
  synopsis: string;
  summary: string;
  /** Flag name -> [value placeholder ('' for a switch), meaning]. */
  flags: Record<string, [string, string]>;
  /** What positional arguments mean, when the command takes any. */
  positionals?: string;
  examples: string[];
}

/** Where `run` and `merge` write their reports. */
const REPORT_FLAGS: CommandHelp['flags'] = {
  report: ['DIR', 'write junit.xml, report.json, summary.md and report.html to DIR'],
  junit: ['FILE', 'write the JUnit XML report'],
  json: ['FILE', 'write the JSON report'],
  markdown: ['FILE', 'write the Markdown summary'],
  html: ['FILE', 'write the HTML report'],
};

/** What `run` judges a whole run by, and `merge` a sharded one. */
const JUDGE_FLAGS: CommandHelp['flags'] = {
  waivers: [
    'FILE',
    'known failures (YAML) reported WAIVED until their date; a stale waiver fails the run',
  ],
  baseline: ['FILE', "an earlier run's report.json: new failures, fixed, still failing"],
};

export const COMMAND_HELP: Record<string, CommandHelp> = {
  run: {
    synopsis: 'authconform run --profile ID|all|ID,ID|FILE [--target mock|msw|URL] [options]',
    summary: 'Run the conformance scenarios of a profile against a target.',
    flags: {
      profile: [
        'ID|all|ID,ID|FILE',
        'a built-in profile, all of them or a comma-separated list (mock only), or your own profile file',
      ],
      target: ['mock|msw|URL', 'the bundled mock in-process, through its msw handlers, or any URL'],
      credentials: ['FILE', 'the keys and secrets provisioned for the run (required for a URL)'],
      fixtures: [
        'FILE',
        "the mock's seeded world (default: built-in fixtures, or one generated from your profile)",
      ],
      scenario: [
        'IDS',
        'scenario ids, id globs or family names, comma-separated (nonce-*,revoked-key)',
      ],
      exclude: ['IDS', 'leave these out: ids, id globs or family names, comma-separated'],
      scenarios: [
        'DIR',
        "your team's own scenario files (a folder or a file; repeatable), run beside the built-in ones",
      ],
      'dry-run': ['', 'print what would run against what, with counts and reasons; send nothing'],
      runs: ['N', 'cases per property'],
      seed: ['N', 'the run seed (random when absent; every run prints it)'],
      path: ['P', 'replay one counterexample (the path a failure printed, with its seed)'],
      rate: ['N', 'at most N requests a second'],
      timeout: ['MS', 'longest one exchange may take: connect, headers and the whole body'],
      'max-wait': ['SECONDS', 'longest real wait for time to pass; a longer one leaves PARTIAL'],
      'max-time': [
        'DURATION',
        'bound on the whole run (90, 90s, 5m, 1h); the cases left are ERROR',
      ],
      'max-body': ['BYTES', 'largest response body read (65536, 512k, 4m; default 1 MiB)'],
      resettable: ['', 'the URL is the bundled mock: reset it through /__mock/reset each case'],
      'state-url': [
        'URL',
        "the target's provider-state hooks (reset, clock, ensure): docs/state-protocol.md",
      ],
      'state-token-env': [
        'NAME',
        "environment variable holding the state hooks' bearer token (AUTHCONFORM_STATE_TOKEN)",
      ],
      ...REPORT_FLAGS,
      'fail-on': [
        'must|should|skip|new',
        'which failed requirements fail the run (skip: a MUST skipped or partial too; new: only those --baseline did not have)',
      ],
      certify: [
        '',
        'a certification run: --fail-on skip, the whole suite, --runs 25 or more, --report needed',
      ],
      ...JUDGE_FLAGS,
      shard: [
        'I/N',
        "this machine's share of the cases (1/3, 2/3, 3/3), balanced by cost; join them with merge",
      ],
    },
    examples: [
      'npx authconform run --profile luxcore --target mock',
      'npx authconform run --profile all --shard 2/3 --report reports/shard-2',
      'npx authconform run --profile luxcore --target https://staging.example.com --credentials luxcore.credentials.yaml --scenario nonce-replay --dry-run',
    ],
  },
  merge: {
    synopsis:
      'authconform merge DIR... [--report DIR] [--junit|--json|--markdown|--html FILE] [--waivers FILE] [--baseline FILE [--fail-on new]]',
    summary:
      "Join the report.json of every shard of a `run --shard I/N` into the whole run's reports, with its totals and exit code.",
    flags: {
      ...REPORT_FLAGS,
      ...JUDGE_FLAGS,
      'fail-on': ['new', 'fail only on failures --baseline did not have'],
    },
    positionals: "each shard's report folder (holding report.json), or its report.json",
    examples: [
      'npx authconform merge reports/shard-1 reports/shard-2 reports/shard-3 --report reports/all',
    ],
  },
  validate: {
    synopsis: 'authconform validate [PATH...]',
    summary:
      'Check spec files (profiles, fixtures, credentials, vectors, scenarios) against their schemas.',
    flags: {},
    positionals: 'PATH  files or folders to check (default: specs/ and fixtures/)',
    examples: ['npx authconform validate my-api/profile.yaml'],
  },
  list: {
    synopsis: 'authconform list [--profile ID|FILE]',
    summary:
      'Show profiles: credentials, key formats, scopes, signing, tokens, rate limits, routes.',
    flags: {
      profile: ['ID|ID,ID|FILE', 'one profile or a list (default: every built-in profile)'],
    },
    examples: ['npx authconform list --profile luxcore'],
  },
  credentials: {
    synopsis: 'authconform credentials --profile ID --out FILE|- [--fixtures FILE]',
    summary:
      'Write the credentials file for a fixtures world (what GET /__mock/credentials serves).',
    flags: {
      profile: ['ID|FILE', 'the profile'],
      fixtures: ['FILE', 'the fixtures world (default: the built-in fixtures of the profile)'],
      out: ['FILE|-', 'where to write it, mode 0600 (- for stdout); it holds full test secrets'],
    },
    examples: ['npx authconform credentials --profile luxcore --out luxcore.credentials.yaml'],
  },
  init: {
    synopsis: 'authconform init --from FILE|URL [--out DIR]',
    summary:
      'Write a profile for your own API from its OpenAPI 3.0/3.1 or Swagger 2.0 document, with TODO questions where OpenAPI is silent; run again to merge.',
    flags: {
      from: ['FILE|URL', 'the OpenAPI document (YAML or JSON)'],
      out: ['DIR', 'where profile.yaml, schemas/, fixtures.yaml and credentials.yaml go'],
    },
    examples: ['npx authconform init --from openapi.yaml --out my-api'],
  },
  fixtures: {
    synopsis: 'authconform fixtures --profile ID|FILE --out FILE|-',
    summary:
      'Write a seeded world for a profile: keys of every role, parties, HMAC secrets, JWT keys, records.',
    flags: {
      profile: ['ID|FILE', 'the profile, usually your own profile file'],
      out: ['FILE|-', 'where to write it, mode 0600 (- for stdout); it holds random test secrets'],
    },
    examples: [
      'npx authconform fixtures --profile my-api/profile.yaml --out my-api/fixtures.yaml',
      'npx authconform run --profile my-api/profile.yaml --target mock --fixtures my-api/fixtures.yaml',
    ],
  },
  mock: {
    synopsis:
      'authconform mock --profile ID|all|ID,ID|FILE [--port N] [--host H] [--fixtures FILE] [--store redis://HOST:6379[/DB]]',
    summary: 'Serve the bundled mock over HTTP and print its URL and seeded test credentials.',
    flags: {
      profile: [
        'ID|all|ID,ID|FILE',
        'the profile to serve (all, or a comma-separated list: one port per profile)',
      ],
      port: ['N', 'the port (0: any free port; with all, one port per profile from N)'],
      host: ['H', 'the interface to listen on'],
      fixtures: [
        'FILE',
        'the seeded world (default: built-in fixtures, or one generated from your profile)',
      ],
      'allow-host': [
        'NAME[:PORT]',
        'another Host the /__mock/* routes answer to (default: the listening address, localhost)',
      ],
      store: [
        'redis://HOST:6379[/DB]',
        'keep state in Redis, shared by every mock on it (replicas); needs maxmemory-policy noeviction (default: in memory)',
      ],
      'store-prefix': [
        'NAME',
        'the Redis key prefix, before the profile id (default: authconform)',
      ],
    },
    examples: [
      'npx authconform mock --profile luxcore --port 4010',
      'npx authconform mock --profile luxcore --port 4010 --store redis://127.0.0.1:6379/0',
    ],
  },
};

/** The usage of one command, from the options it parses. */
export function commandHelp(
  name: string,
  options: NonNullable<ParseArgsConfig['options']>,
): string {
  const help = COMMAND_HELP[name];
  const lines = [`Usage: ${help?.synopsis ?? `authconform ${name} [options]`}`, ''];
  if (help) lines.push(help.summary, '');
  if (help?.positionals) lines.push('Arguments:', `  ${help.positionals}`, '');
  const rows = Object.entries(options).map(([flag, o]) => {
    const [placeholder, meaning] = help?.flags[flag] ?? ['', ''];
    const value = o.type === 'string' ? ` ${placeholder || 'VALUE'}` : '';
    const short = o.short ? `-${o.short}, ` : '';
    const def =
      o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : '';
    const many = o.multiple ? ' (repeatable)' : '';
    return [`${short}--${flag}${value}`, `${meaning}${def}${many}`.trim()] as const;
  });
  rows.push(['-h, --help', 'this text']);
  const width = Math.max(...rows.map(([f]) => f.length));
  lines.push('Options:', ...rows.map(([f, m]) => `  ${f.padEnd(width)}  ${m}`.trimEnd()), '');
  if (help) lines.push('Example:', ...help.examples.map((e) => `  ${e}`), '');
  return lines.join('\n');
}
