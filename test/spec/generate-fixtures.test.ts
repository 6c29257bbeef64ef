/**
 * The world `authconform fixtures` writes (src/spec/generate-fixtures.ts): it loads against its
 * profile for every built-in profile, its secrets are fresh each time, and a path parameter that
 * names a party (vesuviopay's {storeId}) gets the caller's party, not a record of its own. And
 * the mock, served that world, gives every built-in profile the verdicts of its own fixtures: ids
 * in the shapes the body schemas pin, records in the environment of the caller's key (issue 13
 * item 5: no false alarms on a world of your own).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
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
    expect(a.hmacSecrets![0]!.secret!.length).toBeGreaterThanOrEqual(40);
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

/** `N passed, N failed, N partial, N skipped, N errors` of a run's summary line. */
async function runOnMock(profile: string, fixtures?: string) {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  // Two draws per scenario: the verdicts of a world are compared (a role or record it lacks is a SKIP
  // or FAIL at the first case), not searched; run-engine.test.ts searches the mock in depth.
  // Without rate-limit-429: a burst of hundreds of requests per case (luxcore's 500, gateway's
  // 600) that needs only the valid key every other scenario uses; rate-window-per-key, which needs
  // the world's second key, still runs. run-engine.test.ts runs it on every profile's mock.
  const argv = [
    'run',
    '--profile',
    profile,
    '--target',
    'mock',
    '--runs',
    '2',
    '--seed',
    '1',
    '--exclude',
    'rate-limit-429',
  ];
  const code = await main(fixtures ? [...argv, '--fixtures', fixtures] : argv, sink, sink);
  const m = /^(\d+) passed, (\d+) failed, (\d+) partial, (\d+) skipped, (\d+) errors/m.exec(text);
  if (!m) throw new Error(`no summary line in:\n${text}`);
  const [passed, failed, partial, skipped, errors] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const failures = text.split('\n').filter((l) => /^(FAIL|ERROR) /.test(l));
  return { code, passed, failed, partial, skipped, errors, failures };
}

describe('a generated world on the mock gives the verdicts of the built-in fixtures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-generated-'));
  for (const id of builtInProfileIds())
    it(`${id}: 0 failed, no more skips than with the built-in fixtures`, async () => {
      const file = join(dir, `${id}.yaml`);
      writeFileSync(file, stringify(generateFixtures(resolveProfile(id).profile)));
      const [builtIn, generated] = [await runOnMock(id), await runOnMock(id, file)];
      expect(builtIn.failed).toBe(0);
      expect(generated.failures).toEqual([]);
      expect({ ...generated, code: generated.code }).toMatchObject({
        code: 0,
        failed: 0,
        errors: 0,
        partial: builtIn.partial,
      });
      expect(generated.skipped).toBeLessThanOrEqual(builtIn.skipped);
      expect(generated.passed).toBeGreaterThanOrEqual(builtIn.passed);
    }, 20_000);
});
