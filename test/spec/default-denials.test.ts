/**
 * Issue 17's lean profiles: a denial the profile's routes and features produce and `denials`
 * leaves out is answered by the one error of its default status (401 for a credential, 403 for a
 * scope, 404 for a record, 400 for a malformed request), so a profile whose errors state their
 * statuses maps only where its API differs; with no such error, or several, it must be mapped.
 */
import { describe, expect, it } from 'vitest';
import { fillDefaultDenials } from '../../src/spec/default-denials.ts';
import { leanProfile } from '../support/lean-profile.ts';

const STATUSES = {
  badRequest: { status: 400 },
  unauthorized: { status: 401 },
  forbidden: { status: 403 },
  notFound: { status: 404 },
};

describe('denials a profile leaves out', () => {
  it('are answered by the error of their default status, each that the routes produce', () => {
    const p = leanProfile(STATUSES);
    expect(fillDefaultDenials(p)).toEqual([]);
    expect(p.denials).toEqual({
      malformed_request: 'badRequest',
      missing_credential: 'unauthorized',
      unknown_credential: 'unauthorized',
      not_found: 'notFound',
      insufficient_scope: 'forbidden',
    });
  });

  it('say nothing the API was not said to do: no revoked or expired key, no rate limit', () => {
    const p = leanProfile({ ...STATUSES, tooManyRequests: { status: 429 } });
    fillDefaultDenials(p);
    expect(p.denials.revoked_credential).toBeUndefined();
    expect(p.denials.expired_credential).toBeUndefined();
    expect(p.denials.rate_limited).toBeUndefined();
  });

  it('keep what is mapped, and take an error status from the denials mapped to it', () => {
    // keyMissing gets 401 from missing_credential; denied (no status of its own) is the other 401.
    const p = leanProfile(
      { ...STATUSES, keyMissing: {}, denied: { status: 401 } },
      { missing_credential: 'keyMissing' },
    );
    const left = fillDefaultDenials(p);
    expect(p.denials.missing_credential).toBe('keyMissing');
    // Three errors of 401; the two no denial names (unauthorized, denied) are both candidates,
    // and the reason names those two (keyMissing answers another denial: it is none).
    expect(left.map((u) => [u.reason, u.why])).toEqual([
      [
        'unknown_credential',
        'errors unauthorized and denied have status 401, its default, and no denial names them: say which answers it',
      ],
    ]);
  });

  it('say why no default answers where every error of the status answers another denial', () => {
    const { unauthorized: _, ...without401 } = STATUSES;
    const p = leanProfile(
      { ...without401, keyMissing: { status: 401 }, clientRefused: { status: 401 } },
      { missing_credential: 'keyMissing', invalid_login: 'clientRefused' },
    );
    expect(fillDefaultDenials(p).map((u) => [u.reason, u.why])).toEqual([
      [
        'unknown_credential',
        'errors keyMissing and clientRefused have status 401, its default, and each answers another denial: say which answers it',
      ],
    ]);
  });

  it('among errors of one status, pick the one no denial names', () => {
    const p = leanProfile({ ...STATUSES, invalidClient: {} }, { invalid_login: 'invalidClient' });
    expect(fillDefaultDenials(p)).toEqual([]);
    expect(p.denials.unknown_credential).toBe('unauthorized');
  });

  it('must be mapped where no error has the status, said where the reason comes from', () => {
    const { notFound: _, ...without404 } = STATUSES;
    const left = fillDefaultDenials(leanProfile(without404));
    expect(left).toEqual([
      {
        reason: 'not_found',
        because: 'route "order" names a record in its path',
        at: ['routes', 0, 'params'],
        why: 'no error has its default status 404, to answer it by default',
      },
    ]);
  });
});
