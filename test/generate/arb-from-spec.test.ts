import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbFromSpec } from '../../src/generate/arb-from-spec.ts';
import type { ArbitrarySpec } from '../../src/scenario/scenario-model.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';

// LuxCore: a signed route whose timestamp window is 300 s, inclusive; nonces of 8-128 characters.
const { profile } = resolveProfile('luxcore');
const signed = profile.routes.find((r) => r.signing !== undefined)!;
const unsigned = profile.routes.find((r) => r.signing === undefined && r.auth !== 'public')!;
const draws = (spec: ArbitrarySpec, route = signed) =>
  fc.sample(arbFromSpec(spec, profile, route), { numRuns: 200, seed: 4 });

describe("arbFromSpec: a scenario's named draw over the route's own profile", () => {
  it("reads window expressions against the route's signing window", () => {
    expect(new Set(draws({ arb: 'integer', min: '=window+1', max: '=window+1' }))).toEqual(
      new Set([301]),
    );
    expect(new Set(draws({ arb: 'integer', min: '=-window-2', max: '=-window-2' }))).toEqual(
      new Set([-302]),
    );
    expect(new Set(draws({ arb: 'oneOf', values: ['=3*skew', 7] }))).toEqual(new Set([900, 7]));
  });

  it('refuses an expression it cannot read, quoting it', () => {
    expect(() => draws({ arb: 'integer', min: '=twice', max: 1 })).toThrow(
      'cannot read number expression "=twice"',
    );
  });

  it("draws nonces within the route's nonce bounds", () => {
    for (const n of draws({ arb: 'nonce', length: { from: 'min', to: 'max' } }) as string[]) {
      expect(n.length).toBeGreaterThanOrEqual(8);
      expect(n.length).toBeLessThanOrEqual(128);
    }
  });

  it('refuses a nonce for a route whose signing has none, naming the route', () => {
    expect(() => draws({ arb: 'nonce', length: 'min' }, unsigned)).toThrow(
      `route ${unsigned.id}'s signing has no nonce to draw`,
    );
  });

  it("draws the route's key header in other cases", () => {
    for (const h of draws({ arb: 'headerCase', header: 'credential' }) as string[])
      expect(h.toLowerCase()).toBe('x-api-key');
  });
});
