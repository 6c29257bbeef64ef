/**
 * `authconform fixtures --profile FILE --out FILE|-`: writes a complete seeded world for a profile
 * (src/spec/generate-fixtures.ts): a starting point for your own fixtures, which `mock` and
 * `run --target mock` take with --fixtures. The world is checked against the profile before it is
 * written. It holds fresh random test secrets, so the file is written 0600.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { resolveProfile } from '../spec/builtin-specs.ts';
import { generateFixtures } from '../spec/generate-fixtures.ts';
import { validateFixturesSource } from '../spec/load-fixtures.ts';
import { parseYamlSource } from '../spec/yaml-source.ts';
import { SCHEMAS_DIR } from '../spec/spec-paths.ts';
import { writeSecretFile } from './write-secret-file.ts';
import { parseCommandArgs, UsageError } from './usage-error.ts';

export function runFixtures(argv: string[], out: NodeJS.WritableStream): number {
  const { values } = parseCommandArgs(argv, {
    profile: { type: 'string' },
    out: { type: 'string' },
  });
  if (!values.profile) throw new UsageError('--profile ID|FILE is required');
  if (!values.out)
    throw new UsageError(
      '--out FILE is required (use --out - for stdout); the file holds test secrets',
    );
  const { profile } = resolveProfile(values.profile);
  const schema = join(SCHEMAS_DIR, 'fixtures.schema.json');
  const schemaRef = values.out === '-' ? schema : relative(dirname(resolve(values.out)), schema);
  const text =
    `# yaml-language-server: $schema=${schemaRef}\n` +
    `# A seeded world for the ${profile.id} profile, written by \`authconform fixtures\`.\n` +
    `# Every key, secret and id is a random test value; edit freely, then check it with\n` +
    `# \`authconform validate PROFILE THIS_FILE\`.\n` +
    stringify(generateFixtures(profile), { lineWidth: 0 });
  // What is written must load: a profile the generator cannot serve is reported, not saved.
  validateFixturesSource(parseYamlSource(text, values.out), profile);
  writeSecretFile(values.out, text, out);
  return 0;
}
