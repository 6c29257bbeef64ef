// A profile cites its own guide for any scenario (`cites: { <scenario-id>: "sentence" }`): its
// entry wins over the scenario file's, an old id of a renamed scenario means the new one, and an
// id that names no scenario of the run is refused at its place in the profile file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { checkProfileCites, citeFor } from '../../src/scenario/profile-cites.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { SpecError } from '../../src/spec/spec-error.ts';

const scenarios = loadScenarios();
const byId = (id: string) => scenarios.find((s) => s.id === id)!;
const luxcore = resolveProfile('luxcore').profile;

/** Luxcore's profile as a user's own (id acme), with these `cites` lines appended. */
function acmeProfile(cites: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-cites-'));
  const text = readFileSync(join(import.meta.dirname, '../../specs/profiles/luxcore.yaml'), 'utf8')
    .replace(/^id: luxcore$/m, 'id: acme')
    .concat(['', 'cites:', ...cites.map((c) => `  ${c}`), ''].join('\n'));
  writeFileSync(join(dir, 'profile.yaml'), text);
  return join(dir, 'profile.yaml');
}

function problemsOf(fn: () => void): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e.problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('citeFor', () => {
  it("takes the profile's own sentence first, then the scenario file's for the profile, then the default", () => {
    const revoked = byId('revoked-key-refused');
    expect(citeFor(luxcore, revoked)).toBe(revoked.cites.luxcore);
    const own = {
      ...luxcore,
      cites: { 'revoked-key-refused': 'Acme guide §4: revoked keys fail.' },
    };
    expect(citeFor(own, revoked)).toBe('Acme guide §4: revoked keys fail.');
    expect(citeFor({ ...luxcore, id: 'acme' }, revoked)).toBe(revoked.cites.default);
  });

  it('reads an entry under the old id of a renamed scenario as the new one', () => {
    const own = {
      ...luxcore,
      cites: { 'hmac-body-tampered': 'Acme guide §7: the body is signed.' },
    };
    expect(citeFor(own, byId('signature-body-tampered'))).toBe(
      'Acme guide §7: the body is signed.',
    );
  });
});

describe('checkProfileCites', () => {
  it('accepts ids of built-in scenarios, of user scenarios and old ids', () => {
    const file = acmeProfile([
      'missing-key: "Acme guide §2: every call carries X-Api-Key."',
      'hmac-body-tampered: "Acme guide §7: the body is signed."',
      'team-revoked-on-writes: "Acme guide §4: revoked keys fail on writes too."',
    ]);
    const team = { ...byId('revoked-key-refused'), id: 'team-revoked-on-writes' };
    expect(problemsOf(() => checkProfileCites([loadProfile(file)], [...scenarios, team]))).toEqual(
      [],
    );
  });

  it('refuses an id that names no scenario, at its line and column, with the nearest ids', () => {
    const file = acmeProfile(['missing-key: "Acme guide §2."', 'revoked-key: "Acme guide §4."']);
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.indexOf('  revoked-key: "Acme guide §4."') + 1;
    expect(problemsOf(() => checkProfileCites([loadProfile(file)], scenarios))).toEqual([
      `${line}:3: cites "revoked-key", which names no scenario: neither a built-in one nor one of the scenario files given with --scenarios; nearest: revoked-key-refused`,
    ]);
  });

  it('refuses a scenario cited under both its old and its new id', () => {
    const file = acmeProfile([
      'signature-body-tampered: "Acme guide §7."',
      'hmac-body-tampered: "Acme guide §7, again."',
    ]);
    expect(problemsOf(() => checkProfileCites([loadProfile(file)], scenarios))).toEqual([
      expect.stringMatching(
        /:3: cites "hmac-body-tampered", the old id of "signature-body-tampered", which it cites too/,
      ),
    ]);
  });
});
