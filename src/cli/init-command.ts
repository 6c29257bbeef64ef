/**
 * `authconform init --from FILE|URL [--out DIR]`: a profile for your own API from its OpenAPI
 * document (src/openapi/): DIR/profile.yaml with a TODO question wherever OpenAPI is silent,
 * DIR/schemas/ID.json, and a seeded world (DIR/fixtures.yaml) with its credentials file
 * (DIR/credentials.yaml) for the mock, each checked before it is written, and what it generated
 * (DIR/init-offered.json). Run again, it adds what the document gained since and keeps every
 * answer and edit already in the files.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Document } from 'yaml';
import compactJson from 'json-stringify-pretty-compact';
import { readOpenApi } from '../openapi/read-openapi.ts';
import { openApiToProfile } from '../openapi/openapi-to-profile.ts';
import {
  mergeProfileText,
  offeredBy,
  OFFERED_SECTIONS,
  profileDocument,
  type Offered,
} from '../openapi/profile-document.ts';
import { compactDocument, PRINT } from '../openapi/compact-yaml.ts';
import { resolveProfile } from '../spec/builtin-specs.ts';
import { generateFixtures } from '../spec/generate-fixtures.ts';
import { fixturesToCredentials } from '../spec/fixtures-to-credentials.ts';
import { validateFixturesSource } from '../spec/load-fixtures.ts';
import { parseYamlSource } from '../spec/yaml-source.ts';
import { SCHEMAS_DIR } from '../spec/spec-paths.ts';
import { unansweredTodos } from '../spec/todo-stubs.ts';
import { writeSecretFile } from './write-secret-file.ts';
import { parseCommandArgs, UsageError } from './usage-error.ts';

export async function runInit(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    from: { type: 'string' },
    out: { type: 'string', default: 'authconform' },
  });
  if (!values.from)
    throw new UsageError(
      '--from FILE|URL is required: your OpenAPI 3.0, 3.1 or Swagger 2.0 document',
    );
  const dir = resolve(values.out);
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UsageError(
      `--out ${values.out}: a file, not a folder: give the folder to write into`,
    );
  const profileFile = join(dir, 'profile.yaml');
  const existing = existsSync(profileFile) ? readFileSync(profileFile, 'utf8') : undefined;
  // A second run keeps the profile's id (and so its schema file), whatever the title became.
  const keptId =
    existing === undefined
      ? undefined
      : (parseYamlSource(existing, profileFile).data as { id?: string }).id;
  const generated = openApiToProfile(await readOpenApi(values.from), keptId);
  try {
    mkdirSync(join(dir, 'schemas'), { recursive: true });
  } catch (e) {
    throw new UsageError(
      `--out ${values.out}: cannot create ${join(values.out, 'schemas')} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }

  const modeline = ` yaml-language-server: $schema=${relative(dir, join(SCHEMAS_DIR, 'profile.schema.json'))}`;
  const header = `${modeline}\n\n Written by \`authconform init --from ${values.from}\`. Answer each TODO(authconform)\n question (\`authconform validate\` lists them), then delete its comment.`;
  const doc = profileDocument(generated.profile, generated.todos, header);
  // What this run generates (and, merged, what the profile lacks of what earlier runs did), for the
  // next run to tell what the document gained.
  const offeredFile = join(dir, OFFERED_FILE);
  const merged =
    existing === undefined
      ? { text: doc.toString(PRINT), notes: [], offered: offeredBy(doc) }
      : mergeProfileText(existing, doc, readOffered(offeredFile, out));
  const { text, offered } = merged;
  writeFileSync(profileFile, text);

  out.write(
    `${existing === undefined ? 'wrote' : 'merged into'} ${relative(process.cwd(), profileFile) || profileFile}\n`,
  );
  for (const note of merged.notes) out.write(`${note}\n`);
  writeFileSync(
    offeredFile,
    `${compactJson({ about: OFFERED_ABOUT, offered }, { maxLength: 100 })}\n`,
  );
  out.write(`wrote ${relative(process.cwd(), offeredFile)}\n`);

  const schemaPath = join(dir, 'schemas', generated.schemaFile);
  writeFileSync(
    schemaPath,
    // One line per schema that fits in 100 columns, as prettier keeps JSON.
    `${compactJson(mergeSchemas(schemaPath, generated.schemas), { maxLength: 100 })}\n`,
  );
  out.write(`wrote ${relative(process.cwd(), schemaPath)}\n`);

  // The world and its credentials are the mock's: written once, then the user's to edit.
  const { profile } = resolveProfile(profileFile);
  const fixturesFile = join(values.out, 'fixtures.yaml');
  if (!existsSync(fixturesFile)) {
    const fixtures = generateFixtures(profile);
    const fixturesText =
      `# yaml-language-server: $schema=${relative(dir, join(SCHEMAS_DIR, 'fixtures.schema.json'))}\n` +
      `# A seeded world for the ${profile.id} profile: random test values for the bundled mock.\n` +
      compactDocument(new Document(fixtures)).toString(PRINT);
    validateFixturesSource(parseYamlSource(fixturesText, fixturesFile), profile);
    writeSecretFile(fixturesFile, fixturesText, out);
    const credentialsText =
      `# yaml-language-server: $schema=${relative(dir, join(SCHEMAS_DIR, 'credentials.schema.json'))}\n` +
      `# The roles a run needs, filled with the mock's test values (fixtures.yaml). For your own server\n` +
      `# replace each value with one your server issued: a valid key, a revoked one, one of another tenant...\n` +
      compactDocument(new Document(fixturesToCredentials(fixtures, profile))).toString(PRINT);
    writeSecretFile(join(values.out, 'credentials.yaml'), credentialsText, out);
  }
  // The world was written by an earlier run: one the document's new schemes are not in.
  const before = existing === undefined ? undefined : schemesOf(existing, profileFile);
  const gained = before ? [...schemesOf(text, profileFile)].filter((s) => !before.has(s)) : [];
  if (gained.length > 0 && existsSync(fixturesFile)) {
    const shown = relative(process.cwd(), dir) || '.';
    out.write(
      `the profile gained ${gained.join(', ')}: ${shown}/fixtures.yaml and ${shown}/credentials.yaml were kept as they are (yours to edit), so they have no test values for them; write them anew:\n` +
        `  npx authconform fixtures --profile ${shown}/profile.yaml --out ${shown}/fixtures.yaml\n` +
        `  npx authconform credentials --profile ${shown}/profile.yaml --fixtures ${shown}/fixtures.yaml --out ${shown}/credentials.yaml\n`,
    );
  }
  const todos = unansweredTodos(profileFile, text).length;
  out.write(
    `${todos} question(s) to answer: authconform validate ${relative(process.cwd(), dir) || '.'}\n`,
  );
  return 0;
}

/**
 * Beside the profile: what the last run generated from the document, and what earlier runs did
 * that the profile no longer has (profile-document.ts `Offered`, `Merged`), so that the next adds
 * only what the document gained, and an entry the user deleted or renamed (a scheme, an
 * operation, a placeholder) stays as the user left it.
 */
const OFFERED_FILE = 'init-offered.json';
const OFFERED_ABOUT =
  'What `authconform init` generated from the document, last and before (what of it profile.yaml no longer has): the next run adds to profile.yaml only what is not listed here. Keep it with the profile.';

/**
 * An earlier run's record, or undefined where there is none (a profile from an older
 * authconform), it cannot be read or it is not as init writes it: every entry the profile lacks
 * is then taken as new, which is said (an entry the user deleted comes back).
 */
function readOffered(file: string, out: NodeJS.WritableStream): Offered | undefined {
  const shown = relative(process.cwd(), file) || file;
  const without = (why: string) => {
    out.write(`${why}: every entry the profile lacks is taken as new to the document\n`);
    return undefined;
  };
  if (!existsSync(file))
    return without(`no ${OFFERED_FILE} beside the profile (one written by an older authconform?)`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return without(`${shown} could not be read (${(e as Error).message})`);
  }
  const offered = (data as { offered?: unknown } | null)?.offered;
  if (offered === null || typeof offered !== 'object' || Array.isArray(offered))
    return without(`${shown} is not what init writes (no "offered")`);
  for (const [section, ids] of Object.entries(offered))
    if (!OFFERED_SECTIONS.includes(section))
      return without(
        `${shown} is not what init writes ("offered".${section} is no section it lists)`,
      );
    else if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
      return without(
        `${shown} is not what init writes ("offered".${section} is not a list of ids)`,
      );
  return offered as Offered;
}

/** The schema file of an earlier run keeps its definitions (and the user's edits to them). */
function mergeSchemas(path: string, generated: Record<string, unknown>): Record<string, unknown> {
  if (!existsSync(path)) return generated;
  const before = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return { ...before, $defs: { ...(generated.$defs as object), ...(before.$defs as object) } };
}

/** The credentials and tokens a profile's text names: what its seeded world must hold values for. */
function schemesOf(text: string, file: string): Set<string> {
  const data = parseYamlSource(text, file).data as {
    credentials?: Record<string, unknown>;
    tokens?: Record<string, unknown>;
  };
  return new Set([
    ...Object.keys(data.credentials ?? {}),
    ...Object.keys(data.tokens ?? {}).map((t) => `token ${t}`),
  ]);
}
