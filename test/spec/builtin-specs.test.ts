import { describe, expect, it } from 'vitest';
import { validateSpecs } from '../../src/spec/validate-specs.ts';
import { formatProblem } from '../../src/spec/spec-error.ts';
import {
  builtInFixtures,
  builtInProfileIds,
  resolveProfile,
} from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { validateCredentialsSource } from '../../src/spec/load-credentials.ts';
import { parseYamlSource } from '../../src/spec/yaml-source.ts';
import { stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { scopeGrants } from '../../src/model/scope-vocabulary.ts';

const PROFILES = ['auxvault', 'gateway', 'luxcore', 'vaulera', 'vesuviopay'];

describe('built-in specs', () => {
  it('are the five profiles of the seed guides', () => {
    expect(builtInProfileIds()).toEqual(PROFILES);
  });

  it('all validate: every profile, fixtures, vector and scenario file', () => {
    const verdicts = validateSpecs();
    const problems = verdicts.flatMap((v) => v.problems.map(formatProblem));
    expect(problems).toEqual([]);
    const kinds = verdicts.map((v) => v.kind);
    expect(kinds.filter((k) => k === 'profile')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'fixtures')).toHaveLength(5);
    expect(kinds).toContain('vectors');
    expect(kinds.filter((k) => k === 'scenario').length).toBeGreaterThanOrEqual(6);
  });

  for (const id of PROFILES) {
    describe(id, () => {
      const { profile, file } = resolveProfile(id);
      const fixtures = builtInFixtures(profile);

      it('starts with the yaml-language-server modeline, as do its fixtures', () => {
        expect(readFileSync(file, 'utf8')).toMatch(
          /^# yaml-language-server: \$schema=\.\.\/schemas\/profile\.schema\.json\n/,
        );
        expect(readFileSync(`fixtures/${id}.yaml`, 'utf8')).toMatch(
          /^# yaml-language-server: \$schema=\.\.\/specs\/schemas\/fixtures\.schema\.json\n/,
        );
      });

      it('converts its fixtures to a credentials file that validates against the profile', () => {
        const creds = fixturesToCredentials(fixtures, profile);
        const source = parseYamlSource(stringify(creds), `${id}.credentials.yaml`);
        expect(() => validateCredentialsSource(source, profile)).not.toThrow();
        expect(creds.keys?.valid?.value).toBeTruthy();
      });

      it('gives the valid key every scope the routes it may call need', () => {
        const valid = fixtures.keys.find((k) => k.id === fixtures.roles.keys?.valid)!;
        const validType = profile.keyFormats?.[valid.format]?.type;
        for (const route of profile.routes) {
          if (!route.scope || route.auth === 'public') continue;
          if (route.keyTypes && validType && !route.keyTypes.includes(validType)) continue;
          const apiKeyRoute = route.auth.some((a) =>
            (Array.isArray(a) ? a : [a]).some((c) => profile.credentials[c]?.kind === 'api_key'),
          );
          if (!apiKeyRoute) continue;
          if (valid.scopes === undefined) continue; // unscoped: every scope
          expect(
            scopeGrants(profile.scopes, valid.scopes, route.scope),
            `${route.id} needs ${route.scope}`,
          ).toBe(true);
        }
      });

      it('has a revoked key that is revoked and a scope-limited key that lacks some route scope', () => {
        const roles = fixtures.roles.keys ?? {};
        if (roles.revoked)
          expect(fixtures.keys.find((k) => k.id === roles.revoked)?.status).toBe('revoked');
        if (roles.scopeLimited) {
          const limited = fixtures.keys.find((k) => k.id === roles.scopeLimited)!;
          const denied = profile.routes.filter(
            (r) => r.scope && !scopeGrants(profile.scopes, limited.scopes ?? [], r.scope),
          );
          expect(denied.length).toBeGreaterThan(0);
        }
      });
    });
  }
});
