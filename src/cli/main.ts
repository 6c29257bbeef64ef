/**
 * `authconform <command>`: dispatches to one file per command. Returns the exit code:
 * 0 success, 1 the command found problems, 2 bad arguments or unreadable specs.
 */
import { HelpRequested } from './usage-error.ts';
import { VerifyOptionError } from '../api/verify-error.ts';
import { commandHelp } from './command-help.ts';
import { toolIdentity } from '../report/run-record.ts';
import { SpecError } from '../spec/spec-error.ts';
import { UnknownProfileError } from '../spec/builtin-specs.ts';

/** For the bin: where this code's start-to-start marks of checked spec files go. */
export { rememberChecksIn } from '../spec/checked-marks.ts';

const USAGE = `authconform: conformance harness and mock server for API authentication

Usage:
  authconform run --profile ID|all|FILE [--target mock|msw|URL] [--credentials FILE] [--fixtures FILE]
                  [--scenario IDS] [--exclude IDS] [--dry-run] [--runs N] [--seed N] [--path P]
                  [--rate N] [--timeout MS] [--max-body BYTES] [--max-time DURATION]
                  [--report DIR] [--junit|--json|--markdown|--html FILE] [--fail-on must|should|skip] [--certify]
                  [--waivers FILE] [--baseline report.json [--fail-on new]]
                  [--shard I/N]          run the conformance scenarios (default target: the bundled mock)
  authconform merge DIR... [--report DIR] join the reports of the shards of a run --shard I/N
  authconform init --from FILE|URL [--out DIR]
                                         a profile, schemas, fixtures and credentials from your OpenAPI document
  authconform validate [PATH...]         check specs and fixtures (default: specs/ and fixtures/)
  authconform list [--profile ID]        show profiles: credentials, key formats, scopes, routes
  authconform credentials --profile ID [--fixtures FILE] [--out FILE]
                                         write the credentials file for a fixtures world
  authconform fixtures --profile ID|FILE --out FILE
                                         write a seeded world (keys, secrets, records) for a profile
  authconform mock --profile ID|all|FILE [--port 4010] [--host 127.0.0.1] [--fixtures FILE]
                  [--allow-host NAME[:PORT],...]
                                         serve the bundled mock (all: one port per profile);
                                         /__mock/* answer only to its own Host and --allow-host
  authconform <command> --help          that command's flags, defaults and an example
  authconform --version                  the version of authconform
  authconform help                       this text

Exit codes: 0 ok, 1 problems found (run: a MUST failed), 2 bad arguments or specs, 3 target unreachable
(a case ERROR: refused, timed out, body over --max-body, or --max-time passed).
`;

type Command = (argv: string[], out: NodeJS.WritableStream) => Promise<number> | number;

/**
 * Each command's module, loaded when it is the one asked for: a start loads what its command
 * needs (the mock's Hapi, init's OpenAPI parser, the run's engine), not every command's.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./validate-command.ts')).runValidate,
  list: async () => (await import('./list-command.ts')).runList,
  credentials: async () => (await import('./credentials-command.ts')).runCredentials,
  fixtures: async () => (await import('./fixtures-command.ts')).runFixtures,
  mock: async () => (await import('./mock-command.ts')).runMock,
  run: async () => (await import('./run-command.ts')).runRun,
  merge: async () => (await import('./merge-command.ts')).runMerge,
  init: async () => (await import('./init-command.ts')).runInit,
};

export async function main(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    out.write(`${toolIdentity().version}\n`);
    return 0;
  }
  // `help run` is `run --help`.
  if (name === 'help' && rest[0] !== undefined && COMMANDS[rest[0]])
    return main([rest[0], '--help'], out, err);
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    out.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    err.write(`authconform: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (
      await load()
    )(rest, out);
  } catch (e) {
    if (e instanceof HelpRequested) {
      out.write(commandHelp(name, e.options));
      return 0;
    }
    if (e instanceof VerifyOptionError || e instanceof UnknownProfileError) {
      err.write(`authconform ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof SpecError) {
      err.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
