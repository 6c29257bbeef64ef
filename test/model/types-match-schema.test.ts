// The model types in src/model/ are written by hand; this test reads them with the TypeScript
// compiler and compares each interface's fields (and which are optional) with the JSON Schema
// definition it mirrors, so the two cannot drift apart unnoticed.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type JsonSchema = {
  properties?: Record<string, unknown>;
  required?: string[];
  $defs?: Record<string, JsonSchema>;
};

function interfaces(file: string): Map<string, Map<string, boolean>> {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const out = new Map<string, Map<string, boolean>>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const fields = new Map<string, boolean>();
    for (const m of node.members) {
      if (ts.isPropertySignature(m) && ts.isIdentifier(m.name))
        fields.set(m.name.text, m.questionToken === undefined);
    }
    out.set(node.name.text, fields);
  });
  return out;
}

function schema(file: string): JsonSchema {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
}

const CASES: [string, string, Record<string, string>][] = [
  [
    'src/model/profile.ts',
    'specs/schemas/profile.schema.json',
    {
      Profile: '',
      Credential: 'credential',
      KeyFormat: 'keyFormat',
      Binding: 'binding',
      Scopes: 'scopes',
      JwtToken: 'jwtToken',
      SessionToken: 'sessionToken',
      HmacSigning: 'hmacSigning',
      RateLimit: 'rateLimit',
      Lifecycle: 'lifecycle',
      LifecycleOp: 'lifecycleOp',
      Route: 'route',
      ErrorSpec: 'error',
      ErrorShape: 'errorShape',
    },
  ],
  [
    'src/model/fixtures.ts',
    'specs/schemas/fixtures.schema.json',
    {
      Fixtures: '',
      Party: 'party',
      FixtureKey: 'key',
      FixtureUser: 'user',
      FixtureClient: 'client',
      FixtureJwtKey: 'jwtKey',
      FixtureHmacSecret: 'hmacSecret',
    },
  ],
  [
    'src/model/credentials.ts',
    'specs/schemas/credentials.schema.json',
    { Credentials: '', CredentialKey: 'key', HmacIdentity: 'hmac' },
  ],
];

/**
 * Fields a file may leave out that every loaded value has, because the loader fills them in (the
 * types describe what is loaded): test/spec/lean-profile-file.test.ts shows each one filled.
 */
const FILLED_BY_LOADER: Record<string, string[]> = { Profile: ['denials'] };

describe('model types match their JSON Schemas', () => {
  for (const [tsFile, schemaFile, map] of CASES) {
    const types = interfaces(tsFile);
    const root = schema(schemaFile);
    for (const [typeName, def] of Object.entries(map)) {
      it(`${typeName} has the fields of ${schemaFile}${def ? `#/$defs/${def}` : ''}, required alike`, () => {
        const s = def ? root.$defs![def]! : root;
        const fields = types.get(typeName);
        expect(fields, `interface ${typeName} not found in ${tsFile}`).toBeDefined();
        const schemaFields = Object.keys(s.properties ?? {}).sort();
        expect([...fields!.keys()].sort()).toEqual(schemaFields);
        const requiredInTs = [...fields!]
          .filter(([, req]) => req)
          .map(([k]) => k)
          .sort();
        const filled = FILLED_BY_LOADER[typeName] ?? [];
        for (const f of filled) expect(s.required ?? [], `${typeName}.${f}`).not.toContain(f);
        expect(requiredInTs).toEqual([...(s.required ?? []), ...filled].sort());
      });
    }
  }
});
