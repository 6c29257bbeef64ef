// A nonce pattern the harness cannot draw from is refused at load, at its line, not a crash later.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { PROFILES_DIR } from '../../src/spec/spec-paths.ts';
import { SpecError, formatProblem } from '../../src/spec/spec-error.ts';
import { schemaRegistry } from '../../src/spec/schema-registry.ts';

describe('a structured nonce pattern', () => {
  it('is refused by validate at its line: nonces are drawn over a character class', () => {
    const text = readFileSync(join(PROFILES_DIR, 'luxcore.yaml'), 'utf8');
    const uuid = '"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"';
    const changed = text.replace('pattern: "^[A-Za-z0-9_-]+$"', `pattern: ${uuid}`);
    expect(changed).not.toBe(text);
    const file = join(mkdtempSync(join(tmpdir(), 'nonce-pattern-')), 'luxcore.yaml');
    writeFileSync(file, changed);
    let error: unknown;
    try {
      loadProfile(file, schemaRegistry());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const rendered = (error as SpecError).problems.map(formatProblem).join('\n');
    const line = text.slice(0, text.indexOf('pattern: "^[A-Za-z0-9_-]+$"')).split('\n').length;
    expect(rendered).toMatch(
      new RegExp(`luxcore\\.yaml:${line}:\\d+: .*structured nonce .* is not supported`),
    );
  });
});
