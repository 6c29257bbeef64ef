/**
 * `authconform <command>`: dispatches to one file per command. Returns the exit code:
 * 0 success, 1 the command found problems, 2 bad arguments or unreadable specs.
 */
import { runValidate } from './validate-command.ts';
import { runList } from './list-command.ts';
import { runCredentials } from './credentials-command.ts';
import { runFixtures } from './fixtures-command.ts';
import { runMock } from './mock-command.ts';
import { runRun } from './run-command.ts';
import { runMerge } from './merge-command.ts';
import { runInit } from './init-command.ts';
import { HelpRequested } from './usage-error.ts';
import { VerifyOptionError } from '../api/verify-error.ts';
import { commandHelp } from './command-help.ts';
import { toolIdentity } from '../report/run-record.ts';
import { SpecError } from '../spec/spec-error.ts';
import { UnknownProfileError } from '../spec/builtin-specs.ts';

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

const COMMANDS: Record<string, Command> = {
  validate: runValidate,
  list: runList,
  credentials: runCredentials,
  fixtures: runFixtures,
  mock: runMock,
  run: runRun,
  merge: runMerge,
  init: runInit,
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
  const command = COMMANDS[name];
  if (!command) {
    err.write(`authconform: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, out);
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
