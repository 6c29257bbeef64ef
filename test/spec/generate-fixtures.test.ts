/**
 * The world `authconform fixtures` writes (src/spec/generate-fixtures.ts): it loads against its
 * profile for every built-in profile, its secrets are fresh each time, and a path parameter that
 * names a party (vesuviopay's {storeId}) gets the caller's party, not a record of its own.
 */
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { builtInProfileIds, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { validateFixturesSource } from '../../src/spec/load-fixtures.ts';
import { parseYamlSource } from '../../src/spec/yaml-source.ts';

describe('generateFixtures', () => {
  for (const id of builtInProfileIds())
    it(`gives ${id} a world that loads against the profile`, () => {
      const { profile } = resolveProfile(id);
      const text = stringify(generateFixtures(profile));
      expect(() =>
        validateFixturesSource(parseYamlSource(text, `${id}.yaml`), profile),
      ).not.toThrow();
    });

  it('draws fresh secrets and key values each time', () => {
    const { profile } = resolveProfile('luxcore');
    const [a, b] = [generateFixtures(profile), generateFixtures(profile)];
    expect(a.hmacSecrets![0]!.secret).not.toBe(b.hmacSecrets![0]!.secret);
    expect(a.keys[0]!.value).not.toBe(b.keys[0]!.value);
    expect(a.hmacSecrets![0]!.secret.length).toBeGreaterThanOrEqual(40);
  });

  it("gives a path parameter that names a party the caller's party", () => {
    const { profile } = resolveProfile('vesuviopay');
    const fx = generateFixtures(profile);
    const [home, other] = fx.stores!;
    expect(fx.roles.resources!.store).toBe(home!.id);
    expect(fx.roles.resources!.otherStore).toBe(other!.id);
    expect(fx.records?.store).toBeUndefined();
    expect(fx.keys.find((k) => k.id === fx.roles.keys!.valid)!.store).toBe(home!.id);
  });
});
