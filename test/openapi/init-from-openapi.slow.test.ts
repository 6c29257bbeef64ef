/**
 * Issue 17 item 1: `authconform init --from` on three real public OpenAPI documents of different
 * shapes (test/fixtures/openapi/README.md names their sources): each converts, the files it
 * writes validate as they are (its TODO questions listed as warnings at their lines), and the
 * bundled mock serves the profile so that a conformance run of it passes. A second run keeps the
 * user's answers; a malformed document is refused at its line.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createServer } from 'node:http';
import { parse } from 'yaml';
import { runMain as cli } from '../cli/run-main.ts';
import { runMock } from '../../src/cli/mock-command.ts';

const DOCS = join(import.meta.dirname, '../fixtures/openapi');
/** Not a public document: every other kind of scheme, in one OpenAPI 3.1 document of our own. */
const MIXED = `openapi: 3.1.0
info: { title: Mixed Auth, version: '1' }
paths:
  /reports:
    get:
      operationId: listReports
      security: [{ oauth: [reports:read] }]
      responses: { '200': { description: ok, content: { application/json: { schema: { type: object } } } } }
  /me:
    get:
      operationId: me
      security: [{ jwt: [] }, { oidc: [] }]
      responses: { '200': { description: ok } }
  /legacy:
    get:
      operationId: legacy
      security: [{ queryKey: [] }, { mtls: [] }]
      responses: { '200': { description: ok } }
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows: { clientCredentials: { tokenUrl: https://auth.example.com/oauth/token, scopes: { reports:read: read } } }
    jwt: { type: http, scheme: bearer, bearerFormat: JWT }
    oidc: { type: openIdConnect, openIdConnectUrl: https://id.example.com/.well-known/openid-configuration }
    queryKey: { type: apiKey, in: query, name: api_key }
    mtls: { type: mutualTLS }
`;
const fresh = () => mkdtempSync(join(tmpdir(), 'authconform-init-'));

/** `init` of an OpenAPI document written in a fresh folder, into its out/; the profile's text. */
async function initFrom(document: string): Promise<{ dir: string; profile: string }> {
  const dir = fresh();
  writeFileSync(join(dir, 'openapi.yaml'), document);
  const init = await cli('init', '--from', join(dir, 'openapi.yaml'), '--out', join(dir, 'out'));
  expect(init.code, init.stderr).toBe(0);
  return { dir, profile: readFileSync(join(dir, 'out/profile.yaml'), 'utf8') };
}
/** A run of the profile init wrote into `out` against the bundled mock on its fixtures. */
const runOnMock = (out: string, ...flags: string[]) =>
  cli(
    'run',
    '--profile',
    join(out, 'profile.yaml'),
    '--target',
    'mock',
    '--fixtures',
    join(out, 'fixtures.yaml'),
    '--runs',
    '1',
    '--seed',
    '3',
    ...flags,
  );
/** init --from a document of this text, refused: its stderr; nothing written to its --out. */
async function refusal(dir: string, name: string, text: string): Promise<string> {
  const doc = join(dir, name);
  writeFileSync(doc, text);
  const r = await cli('init', '--from', doc, '--out', join(dir, `out-${name}`));
  expect(r.code).toBe(2);
  expect(existsSync(join(dir, `out-${name}`, 'profile.yaml'))).toBe(false);
  return r.stderr;
}

describe('authconform init --from an OpenAPI document', () => {
  it.each([
    ['petstore-swagger-2.0.json', /kind: jwt[\s\S]*scope: write:pets/, /name: api_key/],
    ['stripe-3.0.yaml', /kind: basic/, /in: bearer/],
    ['train-travel-3.1.yaml', /auth: public/, /application\/problem|not-found/],
  ])(
    '%s: converts, validates as written, and passes against the mock',
    async (doc, a, b) => {
      const dir = fresh();
      const made = await cli('init', '--from', join(DOCS, doc), '--out', dir);
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      const profile = readFileSync(join(dir, 'profile.yaml'), 'utf8');
      expect(profile).toMatch(a);
      expect(profile).toMatch(b);

      const checked = await cli('validate', dir);
      expect(checked.stdout).toMatch(/ok\s+profile/);
      expect(checked.stdout).toMatch(/ok\s+fixtures/);
      expect(checked.stdout).toMatch(/ok\s+credentials/);
      expect(checked.stdout).toMatch(/warning: .*profile\.yaml:\d+:\d+: unanswered: /);
      expect(checked.code).toBe(0);

      const run = await runOnMock(dir);
      expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed, 0 partial, 0 skipped, 0 errors/m);
      expect(run.code).toBe(0);
    },
    60_000,
  );

  // Issue 17's aim: a new API's profile, schemas and fixtures in under 200 lines in all (the
  // credentials file is the template a user fills in for their server, not counted).
  it.each(['petstore-swagger-2.0.json', 'stripe-3.0.yaml', 'train-travel-3.1.yaml'])(
    '%s: the profile, its schemas and its fixtures total under 200 lines',
    async (doc) => {
      const dir = fresh();
      expect((await cli('init', '--from', join(DOCS, doc), '--out', dir)).code).toBe(0);
      const files = ['profile.yaml', 'fixtures.yaml', 'schemas'].flatMap((f) =>
        f === 'schemas' ? readdirSync(join(dir, f)).map((s) => join(f, s)) : [f],
      );
      const lines = Object.fromEntries(
        files.map((f) => [f, readFileSync(join(dir, f), 'utf8').split('\n').length - 1]),
      );
      const total = Object.values(lines).reduce((a, b) => a + b, 0);
      expect(total, JSON.stringify(lines)).toBeLessThan(200);
    },
  );

  it('maps OAuth 2.0 scopes, security alternatives and an operation that needs no credential', async () => {
    const dir = fresh();
    await cli('init', '--from', join(DOCS, 'train-travel-3.1.yaml'), '--out', dir);
    const profile = readFileSync(join(dir, 'profile.yaml'), 'utf8');
    expect(profile).toMatch(/vocabulary: \[read, write\]/);
    expect(profile).toMatch(/id: createBooking[\s\S]*?scope: write/);
    expect(profile).toMatch(/id: getStations[\s\S]*?auth: public/);
    // The 4xx answers share one schema: the error shape once, each error its code and message.
    expect(profile).toMatch(
      /^errorShape:\n  schema: train-travel-api\.json#\/\$defs\/Problem\n  codeAt: \/type\n/m,
    );
    expect(profile).toMatch(
      /^  unauthorized:\n    code: https:\/\/example\.com\/errors\/unauthorized\n    message: You do not have the necessary permissions\.\n/m,
    );
    const stripe = fresh();
    await cli('init', '--from', join(DOCS, 'stripe-3.0.yaml'), '--out', stripe);
    // Top-level security: Basic or Bearer, either one.
    const stripeProfile = readFileSync(join(stripe, 'profile.yaml'), 'utf8');
    expect(stripeProfile).toMatch(/auth: \[basicAuth, bearerAuth\]/);
    // The document names no 429: whether requests are limited is still asked.
    expect(stripeProfile).toMatch(/# TODO\(authconform\): does your API limit requests/);
  }, 30_000);

  it('maps a bearer JWT, OpenID Connect and a client-credentials flow, and notes what cannot be tested', async () => {
    const dir = fresh();
    const doc = join(dir, 'openapi.yaml');
    writeFileSync(doc, MIXED);
    expect((await cli('init', '--from', doc, '--out', join(dir, 'out'))).code).toBe(0);
    const profile = readFileSync(join(dir, 'out/profile.yaml'), 'utf8');
    expect(profile).toMatch(/issue: \{grant: client_credentials, route: accessTokenEndpoint\}/);
    expect(profile).toMatch(/id: accessTokenEndpoint\n\s+method: POST\n\s+path: \/oauth\/token/);
    expect(profile).toMatch(/id: me\n[\s\S]*?auth: \[jwt, oidc\]/);
    expect(profile).toMatch(/# TODO\(authconform\): mtls: mutual TLS .* cannot be tested yet/);
    // An API key in the query is a credential; the mutual-TLS alternative is left out.
    expect(profile).toMatch(/queryKey: \{kind: api_key, in: query, name: api_key/);
    expect(profile).toMatch(/id: legacy\n[\s\S]*?auth: \[queryKey\]\n/);
    expect((await cli('validate', join(dir, 'out'))).code).toBe(0);
    const run = await runOnMock(join(dir, 'out'));
    expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed/m);
  }, 30_000);

  it('turns API keys in a query parameter and in a cookie into credentials that validate and pass against the mock', async () => {
    const { dir, profile } = await initFrom(
      "openapi: 3.0.3\ninfo: { title: Tiles, version: '1' }\ncomponents:\n  securitySchemes:\n    q: { type: apiKey, in: query, name: api_key }\n    c: { type: apiKey, in: cookie, name: session_key }\npaths:\n  /tiles:\n    get:\n      security: [{ q: [] }]\n      responses: { '200': { description: ok } }\n  /account:\n    get:\n      security: [{ c: [] }]\n      responses: { '200': { description: ok } }\n",
    );
    expect(profile).toMatch(/ q: \{kind: api_key, in: query, name: api_key/);
    expect(profile).toMatch(/ c: \{kind: api_key, in: cookie, name: session_key/);
    expect(profile).not.toMatch(/cannot be tested/);
    expect((await cli('validate', join(dir, 'out'))).code).toBe(0);
    const run = await runOnMock(join(dir, 'out'));
    expect(run.stdout).toMatch(/^tiles\s+missing-key\s+MUST\s+PASS/m);
    expect(run.stdout).toMatch(/^tiles\s+unknown-key\s+MUST\s+PASS/m);
    expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed/m);
  }, 30_000);

  it('writes an operation callable with or without a credential as public, asking whether a wrong one must be refused', async () => {
    const { dir, profile } = await initFrom(
      "openapi: 3.0.3\ninfo: { title: Opt, version: '1' }\ncomponents:\n  securitySchemes:\n    key: { type: apiKey, in: header, name: X-Key }\npaths:\n  /things:\n    get:\n      security: [{}, { key: [] }]\n      responses: { '200': { description: ok } }\n  /mine:\n    get:\n      security: [{ key: [] }]\n      responses: { '200': { description: ok } }\n",
    );
    expect(profile).toMatch(
      /# TODO\(authconform\): the document lets GET \/things be called with no credential or with key: written as public[^\n]*\n\s+auth: public\n/,
    );
    // Only the optional one is asked about.
    expect(profile.match(/be called with no credential/g)).toHaveLength(1);
    const validate = await cli('validate', join(dir, 'out'));
    expect(validate.stdout + validate.stderr).toMatch(/unanswered: the document lets GET \/things/);
  }, 30_000);

  it('authconform mock serves the generated profile over HTTP with the generated credentials', async () => {
    const dir = fresh();
    await cli('init', '--from', join(DOCS, 'stripe-3.0.yaml'), '--out', dir);
    const credentials = parse(readFileSync(join(dir, 'credentials.yaml'), 'utf8')) as {
      keys: { valid: { value: string } };
    };
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const stop = new AbortController();
    const serving = runMock(
      [
        '--profile',
        join(dir, 'profile.yaml'),
        '--fixtures',
        join(dir, 'fixtures.yaml'),
        '--port',
        '0',
      ],
      out,
      stop.signal,
    );
    await expect.poll(() => printed, { timeout: 5000 }).toContain('Ctrl-C stops');
    const url = /listening on (http:\/\/\S+)/.exec(printed)![1]!;
    try {
      const key = credentials.keys.valid.value;
      const ok = await fetch(`${url}/v1/balance`, { headers: { authorization: `Bearer ${key}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ object: 'balance' });
      const refused = await fetch(`${url}/v1/balance`);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { type: expect.any(String) } });
    } finally {
      stop.abort();
    }
    expect(await serving).toBe(0);
  });

  it('a second run keeps the answer the user wrote and adds what the document gained', async () => {
    const dir = fresh();
    const doc = join(dir, 'openapi.yaml');
    const text = readFileSync(join(DOCS, 'train-travel-3.1.yaml'), 'utf8');
    writeFileSync(doc, text);
    await cli('init', '--from', doc, '--out', join(dir, 'out'));
    const file = join(dir, 'out/profile.yaml');
    // The user answers one question: the tokens are RS256, and the TODO comment goes.
    const answered = readFileSync(file, 'utf8')
      .replace(
        /\n\s*# TODO\(authconform\): which signing algorithms[^\n]*/,
        '\n    # ours: RS256 (ops runbook)',
      )
      .replace('algorithms: [HS256]', 'algorithms: [RS256]');
    writeFileSync(file, answered);
    writeFileSync(
      doc,
      text.replace(
        '  /bookings/{bookingId}:',
        "  /trips:\n    get:\n      operationId: get-trips\n      responses:\n        '200':\n          description: OK\n  /bookings/{bookingId}:",
      ),
    );
    const again = await cli('init', '--from', doc, '--out', join(dir, 'out'));
    expect(again.stdout).toMatch(/merged into/);
    const merged = readFileSync(file, 'utf8');
    expect(merged).toMatch(/# ours: RS256 \(ops runbook\)\n\s+algorithms: \[RS256\]/);
    expect(merged).not.toMatch(/which signing algorithms/);
    expect(merged).toMatch(/id: getTrips/);
    expect((await cli('validate', join(dir, 'out'))).code).toBe(0);
  }, 30_000);

  it('a second run brings back no placeholder the user renamed, and the profile still validates', async () => {
    const dir = fresh();
    await cli('init', '--from', join(DOCS, 'stripe-3.0.yaml'), '--out', dir);
    const file = join(dir, 'profile.yaml');
    // The answers: keys are sk_live_ keys (the format renamed "live"), and the API's 401 is its
    // invalidKey error (the placeholder "unauthorized" renamed); their questions deleted.
    const answered = readFileSync(file, 'utf8')
      .replace(/\n\s*# TODO\(authconform\): what does a key in[^\n]*/, '')
      .replace(
        'key: {prefix: basicauth_, pattern: "basicauth_[A-Za-z0-9]{32}", type: secret}',
        'live: {prefix: sk_live_, pattern: "sk_live_[A-Za-z0-9]{32}", type: secret}',
      )
      .replaceAll('formats: [key]', 'formats: [live]')
      .replace(/\n\s*# TODO\(authconform\): the document gives no example of its 401[^\n]*/, '')
      .replace(
        'unauthorized: {code: api_error, status: 401}',
        'invalidKey: {code: invalid_request_error, status: 401}',
      );
    expect(answered).toMatch(/live: \{prefix: sk_live_/);
    expect(answered).toMatch(/invalidKey: \{code: invalid_request_error/);
    writeFileSync(file, answered);
    for (const name of ['fixtures.yaml', 'credentials.yaml'])
      writeFileSync(
        join(dir, name),
        readFileSync(join(dir, name), 'utf8')
          .replaceAll('basicauth_', 'sk_live_')
          .replaceAll('format: key', 'format: live'),
      );
    expect((await cli('validate', dir)).code).toBe(0);

    expect((await cli('init', '--from', join(DOCS, 'stripe-3.0.yaml'), '--out', dir)).code).toBe(0);
    const merged = readFileSync(file, 'utf8');
    expect(merged).not.toMatch(/basicauth_|what does a key in|unauthorized/);
    expect(merged).toMatch(/live: \{prefix: sk_live_/);
    const checked = await cli('validate', dir);
    expect(checked.stdout + checked.stderr).not.toMatch(/denials must map/);
    expect(checked.code).toBe(0);
  }, 30_000);

  it('a second run brings back no scheme or operation the user deleted, and adds those the document gained', async () => {
    const dir = fresh();
    const doc = join(dir, 'openapi.yaml');
    // The API as its document first stood: a legacy key in the query, accepted beside the header.
    const text = readFileSync(
      join(import.meta.dirname, '../../docs/tutorial/bookshelf-openapi.yaml'),
      'utf8',
    )
      .replace('security:\n  - apiKey: []\n', 'security:\n  - apiKey: []\n  - legacyKey: []\n')
      .replace(
        '  securitySchemes:\n',
        '  securitySchemes:\n    legacyKey: { type: apiKey, in: query, name: api_key }\n',
      );
    writeFileSync(doc, text);
    const out = join(dir, 'out');
    expect((await cli('init', '--from', doc, '--out', out)).code).toBe(0);
    const file = join(out, 'profile.yaml');
    const first = readFileSync(file, 'utf8');
    expect(first).toMatch(/legacyKey: \{kind: api_key, in: query/);
    expect(first).toMatch(/- id: getBook\n/);
    // The team tests only the header key, and not the book route it retired.
    const edited = first
      .replace(/\n {2}legacyKey: \{[^\n]*/, '')
      .replaceAll('auth: [apiKey, legacyKey]', 'auth: [apiKey]')
      .replace(/\n {2}- id: getBook\n(?: {4}[^\n]*\n)+/, '\n');
    expect(edited).not.toMatch(/legacyKey|getBook/);
    writeFileSync(file, edited);
    // The document since: the same, and an operation more.
    writeFileSync(
      doc,
      text.replace(
        '  /v1/books/{bookId}:',
        "  /v1/authors:\n    get:\n      operationId: listAuthors\n      responses:\n        '200':\n          description: OK\n          content: { application/json: { schema: { type: object }, example: { data: [] } } }\n  /v1/books/{bookId}:",
      ),
    );
    const again = await cli('init', '--from', doc, '--out', out);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const merged = readFileSync(file, 'utf8');
    expect(merged).not.toMatch(/legacyKey|getBook/);
    // The operation the document gained, on the credential the profile kept.
    expect(merged).toMatch(/- id: listAuthors\n(?: {4}[^\n]*\n)*? {4}auth: \[apiKey\]\n/);
    const checked = await cli('validate', out);
    expect(checked.stdout).toMatch(/3 file\(s\) checked, 0 with problems/);
    expect(checked.code).toBe(0);
    // A record that cannot be read is said, and the run goes on as one without it.
    writeFileSync(join(out, 'init-offered.json'), '{"offered": ');
    const unread = await cli('init', '--from', doc, '--out', out);
    expect(unread.stdout).toMatch(
      /init-offered\.json could not be read \(.*JSON.*\): every entry the profile lacks is taken as new/,
    );
    expect(unread.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/legacyKey: \{kind: api_key/);
  }, 30_000);

  it('a scheme the user deleted stays gone when the document drops it and brings it back', async () => {
    const dir = fresh();
    const doc = join(dir, 'openapi.yaml');
    const bookshelf = readFileSync(
      join(import.meta.dirname, '../../docs/tutorial/bookshelf-openapi.yaml'),
      'utf8',
    );
    const withLegacy = bookshelf
      .replace('security:\n  - apiKey: []\n', 'security:\n  - apiKey: []\n  - legacyKey: []\n')
      .replace(
        '  securitySchemes:\n',
        '  securitySchemes:\n    legacyKey: { type: apiKey, in: query, name: api_key }\n',
      );
    const out = join(dir, 'out');
    const file = join(out, 'profile.yaml');
    const init = async (text: string) => {
      writeFileSync(doc, text);
      const r = await cli('init', '--from', doc, '--out', out);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      return readFileSync(file, 'utf8');
    };
    // The team deletes the legacy key; the document drops it for a release, then has it again.
    const first = await init(withLegacy);
    writeFileSync(
      file,
      first
        .replace(/\n {2}legacyKey: \{[^\n]*/, '')
        .replaceAll('auth: [apiKey, legacyKey]', 'auth: [apiKey]'),
    );
    expect(await init(bookshelf)).not.toMatch(/legacyKey/);
    expect(await init(withLegacy)).not.toMatch(/legacyKey/);
  }, 30_000);

  it('says where there is no record of the last run (an older authconform), or one not as init writes it, and takes every entry the profile lacks as new', async () => {
    const dir = fresh();
    const doc = join(import.meta.dirname, '../../docs/tutorial/bookshelf-openapi.yaml');
    expect((await cli('init', '--from', doc, '--out', dir)).code).toBe(0);
    const file = join(dir, 'profile.yaml');
    const record = join(dir, 'init-offered.json');
    const withoutGetBook = readFileSync(file, 'utf8').replace(
      /\n {2}- id: getBook\n(?: {4}[^\n]*\n)+/,
      '\n',
    );
    for (const [text, said] of [
      [
        undefined,
        /^no init-offered\.json beside the profile \(one written by an older authconform\?\)/m,
      ],
      ['[]', /init-offered\.json is not what init writes \(no "offered"\)/m],
      [
        '{"offered": {"toString": ["getBook"]}}',
        /init-offered\.json is not what init writes \("offered"\.toString is no section it lists\)/m,
      ],
      [
        '{"offered": {"routes": "getBook"}}',
        /init-offered\.json is not what init writes \("offered"\.routes is not a list of ids\)/m,
      ],
    ] as const) {
      writeFileSync(file, withoutGetBook);
      if (text === undefined) rmSync(record);
      else writeFileSync(record, text);
      const again = await cli('init', '--from', doc, '--out', dir);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(said);
      expect(again.stdout).toMatch(
        /: every entry the profile lacks is taken as new to the document\n/,
      );
      expect(readFileSync(file, 'utf8')).toMatch(/- id: getBook\n/);
    }
  }, 30_000);

  it('a second run that adds a scheme says the kept fixtures and credentials lack it, and how to write them anew', async () => {
    const dir = fresh();
    const doc = join(dir, 'openapi.yaml');
    const text = readFileSync(
      join(import.meta.dirname, '../../docs/tutorial/bookshelf-openapi.yaml'),
      'utf8',
    );
    writeFileSync(doc, text);
    const first = await cli('init', '--from', doc, '--out', join(dir, 'out'));
    expect(first.stdout).not.toMatch(/gained/);
    writeFileSync(
      doc,
      text
        .replace(
          '  securitySchemes:\n',
          '  securitySchemes:\n    jwt: { type: http, scheme: bearer, bearerFormat: JWT }\n',
        )
        .replace(
          '  /v1/books/{bookId}:',
          "  /v1/me:\n    get:\n      operationId: me\n      security: [{ jwt: [] }]\n      responses:\n        '200':\n          description: ok\n          content: { application/json: { schema: { $ref: '#/components/schemas/Book' } } }\n  /v1/books/{bookId}:",
        ),
    );
    const again = await cli('init', '--from', doc, '--out', join(dir, 'out'));
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(
      /the profile gained jwt, token access: .*fixtures\.yaml and .*credentials\.yaml were kept/,
    );
    const commands = [...again.stdout.matchAll(/^ {2}npx authconform (.*)$/gm)].map((m) => m[1]!);
    expect(commands).toHaveLength(2);
    for (const c of commands) expect((await cli(...c.split(' '))).code).toBe(0);
    const run = await runOnMock(join(dir, 'out'), '--scenario', 'jwt-missing,expired-jwt');
    expect(run.stdout).toMatch(/^2 passed, 0 failed, 0 partial, 0 skipped/m);
  }, 30_000);

  it('reads a document from a URL of localhost, as a framework serves its own', async () => {
    const text = readFileSync(
      join(import.meta.dirname, '../../docs/tutorial/bookshelf-openapi.yaml'),
      'utf8',
    );
    const server = createServer((req, res) =>
      req.url === '/openapi.yaml' ? res.end(text) : res.writeHead(404).end(),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/openapi.yaml`;
    try {
      const dir = fresh();
      const made = await cli('init', '--from', url, '--out', dir);
      expect(made.stderr).toBe('');
      expect(readFileSync(join(dir, 'profile.yaml'), 'utf8')).toContain(`url: ${url}`);
      expect((await cli('validate', dir)).code).toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses an --out that is a file or cannot be made, naming the flag', async () => {
    const dir = fresh();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const doc = join(DOCS, 'stripe-3.0.yaml');
    const onFile = await cli('init', '--from', doc, '--out', file);
    expect([onFile.code, onFile.stderr]).toEqual([
      2,
      `authconform init: --out ${file}: a file, not a folder: give the folder to write into\n`,
    ]);
    const below = await cli('init', '--from', doc, '--out', join(file, 'sub'));
    expect(below.code).toBe(2);
    expect(below.stderr).toBe(
      `authconform init: --out ${join(file, 'sub')}: cannot create ${join(file, 'sub', 'schemas')} (ENOTDIR)\n`,
    );
  });

  it('refuses a malformed document with its file, line and column', async () => {
    const dir = fresh();
    expect(
      await refusal(
        dir,
        'broken.yaml',
        'openapi: 3.1.0\ninfo: {title: x, version: "1"\npaths: {}\n',
      ),
    ).toMatch(/broken\.yaml:\d+:\d+: invalid YAML/);

    const b = await refusal(
      dir,
      'invalid.yaml',
      'openapi: 3.0.3\ninfo:\n  title: x\n  version: "1"\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: strnig\n',
    );
    expect(b).toMatch(
      /invalid\.yaml:14:23: invalid OpenAPI 3\.0: .*must be equal to one of the allowed values/,
    );

    expect(await refusal(dir, 'other.yaml', 'asyncapi: 2.6.0\n')).toMatch(
      /other\.yaml:1:1: not an OpenAPI 3\.0, 3\.1 or Swagger 2\.0 document/,
    );
  });

  it('reads a document split over files, its refs beside it; a $ref that leads nowhere is refused at that $ref', async () => {
    const dir = fresh();
    const doc = join(dir, 'api.yaml');
    const api = (response: string) =>
      `openapi: 3.0.3\ninfo: { title: Split, version: '1' }\ncomponents:\n  securitySchemes:\n    key: { type: apiKey, in: header, name: X-Key }\nsecurity: [{ key: [] }]\npaths:\n  /a:\n    get:\n      responses:\n        '200': { $ref: '${response}' }\n`;
    writeFileSync(doc, api('responses.yaml#/Ok'));
    writeFileSync(
      join(dir, 'responses.yaml'),
      'Ok:\n  description: ok\n  content: { application/json: { schema: { type: object, properties: { a: { type: string } } } } }\n',
    );
    // The test's working directory is not the document's.
    const made = await cli('init', '--from', doc, '--out', join(dir, 'out'));
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(readFileSync(join(dir, 'out/schemas/split.json'), 'utf8')).toMatch(
      /"a": \{"type": "string"\}/,
    );

    writeFileSync(doc, api('missing.yaml#/Ok'));
    const missing = await cli('init', '--from', doc, '--out', join(dir, 'o2'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/api\.yaml:11:\d+: cannot resolve a \$ref: .*missing\.yaml/);
    writeFileSync(doc, api('#/components/responses/Nope'));
    const pointer = await cli('init', '--from', doc, '--out', join(dir, 'o3'));
    expect(pointer.code).toBe(2);
    expect(pointer.stderr).toMatch(/api\.yaml:11:\d+: .*#\/components\/responses\/Nope/);
  });

  it('refuses a document with no scheme or no operation it can test, where it says so, writing nothing', async () => {
    const dir = fresh();
    const a = await refusal(
      dir,
      'none.yaml',
      "openapi: 3.0.3\ninfo: { title: x, version: '1' }\npaths:\n  /a:\n    get:\n      responses: { '200': { description: ok } }\n",
    );
    expect(a).toMatch(/none\.yaml:1:1: no security scheme the harness can test/);

    const b = await refusal(
      dir,
      'mtls.yaml',
      "openapi: 3.1.0\ninfo: { title: x, version: '1' }\ncomponents:\n  securitySchemes:\n    m: { type: mutualTLS }\n    h: { type: apiKey, in: header, name: X-K }\npaths:\n  /a:\n    get:\n      security: [{ m: [] }]\n      responses: { '200': { description: ok } }\n",
    );
    expect(b).toMatch(
      /mtls\.yaml:8:3: no operation the harness can call \(GET \/a is left out: mutual TLS/,
    );
  });

  it("puts each route below the server's base path, on the origin its token endpoint is on", async () => {
    const dir = fresh();
    const swagger = join(dir, 'swagger.json');
    writeFileSync(
      swagger,
      JSON.stringify({
        swagger: '2.0',
        info: { title: 'Base', version: '1' },
        basePath: '/v2',
        securityDefinitions: {
          app: {
            type: 'oauth2',
            flow: 'application',
            tokenUrl: 'https://api.example.com/v2/oauth/token',
            scopes: { read: 'r' },
          },
        },
        paths: {
          '/items': {
            get: { security: [{ app: ['read'] }], responses: { '200': { description: 'ok' } } },
          },
        },
      }),
    );
    await cli('init', '--from', swagger, '--out', join(dir, 'a'));
    const a = readFileSync(join(dir, 'a/profile.yaml'), 'utf8');
    expect(a).toMatch(/method: GET\n\s+path: \/v2\/items\n/);
    expect(a).toMatch(/method: POST\n\s+path: \/v2\/oauth\/token\n/);
    expect((await cli('validate', join(dir, 'a'))).code).toBe(0);

    const openapi = join(dir, 'openapi.yaml');
    writeFileSync(
      openapi,
      "openapi: 3.1.0\ninfo: { title: Base, version: '1' }\nservers: [{ url: 'https://{region}.example.com/{version}/', variables: { region: { default: eu }, version: { default: v3 } } }]\ncomponents:\n  securitySchemes:\n    key: { type: apiKey, in: header, name: X-Key }\nsecurity: [{ key: [] }]\npaths:\n  /items/{id}:\n    get:\n      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]\n      responses: { '200': { description: ok } }\n",
    );
    await cli('init', '--from', openapi, '--out', join(dir, 'b'));
    expect(readFileSync(join(dir, 'b/profile.yaml'), 'utf8')).toMatch(
      /path: \/v3\/items\/\{id\}\n/,
    );
  });
});
