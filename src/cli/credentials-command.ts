/**
 * `authconform credentials --profile ID`: writes the credentials file for the profile's fixtures
 * (what `GET /__mock/credentials` serves). It holds full test secrets, so it goes to a file
 * (--out) or to stdout only when asked for explicitly; the terminal never gets it by accident.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { resolveProfile, builtInFixtures } from '../spec/builtin-specs.ts';
import { fixturesToCredentials } from '../spec/fixtures-to-credentials.ts';
import { writeSecretFile } from './write-secret-file.ts';
import { parseCommandArgs, UsageError } from './usage-error.ts';
import { SCHEMAS_DIR } from '../spec/spec-paths.ts';
import { checkFixturesFile } from '../api/mock-fixtures.ts';

export function runCredentials(argv: string[], out: NodeJS.WritableStream): number {
  const { values } = parseCommandArgs(argv, {
    profile: { type: 'string' },
    fixtures: { type: 'string' },
    out: { type: 'string' },
  });
  if (!values.profile) throw new UsageError('--profile ID is required');
  if (!values.out)
    throw new UsageError(
      '--out FILE is required (use --out - for stdout); the file holds full test secrets',
    );
  const { profile } = resolveProfile(values.profile);
  if (values.fixtures !== undefined) checkFixturesFile(values.fixtures, values.profile);
  const fixtures = builtInFixtures(profile, values.fixtures);
  // The modeline points at the package's schema from wherever the file is written.
  const schema = join(SCHEMAS_DIR, 'credentials.schema.json');
  const schemaRef = values.out === '-' ? schema : relative(dirname(resolve(values.out)), schema);
  const text =
    `# yaml-language-server: $schema=${schemaRef}\n` +
    `# Credentials for the ${profile.id} fixtures (test secrets of the bundled mock only).\n` +
    stringify(fixturesToCredentials(fixtures, profile), { lineWidth: 0 });
  writeSecretFile(values.out, text, out);
  return 0;
}
