// `authconform list` says of each rate limit what a profile says of it, when its windows start
// included: two limits alike but for windowStart are not shown alike.
import { describe, expect, it } from 'vitest';
import { describeProfile } from '../../src/cli/list-command.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';

describe('describeProfile', () => {
  it("says where a rate limit's windows start on the clock", () => {
    const profile = structuredClone(resolveProfile('luxcore').profile);
    expect(describeProfile(profile)).toContain(
      '  rate payment: 5000/60s per key (burst 500/10s)\n',
    );
    profile.rateLimits!.payment!.windowStart = 'clock';
    expect(describeProfile(profile)).toContain(
      '  rate payment: 5000/60s per key (burst 500/10s), windows on the clock\n',
    );
  });
});
