/** A mistake on the command line: printed with the command name, exit code 2. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VerifyOptionError } from '../api/verify-error.ts';

/** A VerifyOptionError too: main() reports both the same way (exit 2). */
export class UsageError extends VerifyOptionError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `<command> --help` (or -h): main prints that command's usage from the flags it takes. */
export class HelpRequested extends Error {
  constructor(readonly options: NonNullable<ParseArgsConfig['options']>) {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

/** What parseCommandArgs gives: parseArgs' own result, named so that declarations can be emitted. */
export type ParsedCommandArgs<T extends ParseArgsConfig['options']> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>
>;

/** node's parseArgs, with its errors turned into UsageErrors; --help or -h asks for usage. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  argv: string[],
  options: T,
  allowPositionals = false,
): ParsedCommandArgs<T> {
  const end = argv.indexOf('--');
  if ((end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h'))
    throw new HelpRequested(options ?? {});
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
