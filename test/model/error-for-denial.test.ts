/**
 * The mock answers, and the harness expects, a denial with `errorIdFor`. A profile built in code
 * rather than loaded from a file (`createAuthMock({ profile })`, a test's object) has no denials
 * filled in by the loader: one written as lean as a file may be (`denials: {}`, errors with their
 * statuses) is still answered by the error of each reason's default status, as loaded it would
 * be, and never makes the mock throw.
 */
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/model/profile.ts';
import { errorIdFor } from '../../src/model/error-for-denial.ts';
import { leanProfile } from '../support/lean-profile.ts';

const lean = (denials: Profile['denials'] = {}): Profile =>
  leanProfile(
    {
      badRequest: { status: 400 },
      unauthorized: { status: 401 },
      invalidClient: { status: 401 },
      notFound: { status: 404 },
    },
    denials,
  );

describe('errorIdFor a profile built in code', () => {
  it('answers a reason nothing maps with the error of its default status', () => {
    const p = lean({ invalid_login: 'invalidClient' });
    expect(errorIdFor(p, 'missing_credential', { credential: 'apiKey' })).toBe('unauthorized');
    expect(errorIdFor(p, 'not_found', {})).toBe('notFound');
    expect(errorIdFor(p, 'malformed_request', {})).toBe('badRequest');
  });

  it('keeps the closest mapped reason where the profile maps one, as before', () => {
    const p = lean({ malformed_request: 'badRequest', unknown_credential: 'invalidClient' });
    expect(errorIdFor(p, 'missing_credential', {})).toBe('invalidClient');
    expect(errorIdFor(p, 'not_found', {})).toBe('badRequest');
  });

  it("falls back to a closest reason's default, and says which reason has no answer where none can", () => {
    const p = lean();
    // No 429 error: a rate limit is answered as a malformed request would be.
    expect(errorIdFor(p, 'rate_limited', {})).toBe('badRequest');
    delete p.errors.badRequest;
    expect(() => errorIdFor(p, 'rate_limited', {})).toThrow(
      'profile "lean" has no answer for rate_limited: map it in denials, or give one error status 429',
    );
  });
});
