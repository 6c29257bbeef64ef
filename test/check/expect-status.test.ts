import { describe, expect, it } from 'vitest';
import { CheckFailure } from '../../src/check/check-failure.ts';
import { expectStatus } from '../../src/check/expect-status.ts';
import type { ReceivedResponse } from '../../src/request/outgoing-request.ts';

const answer = (status: number): ReceivedResponse => ({
  status,
  headers: {},
  body: undefined,
  rawBody: '',
});

describe('expectStatus: the answer has the status the profile states', () => {
  it('holds for that status', () => {
    expect(() => expectStatus(answer(401), 401, 'missing key')).not.toThrow();
  });

  it('fails any other status with a CheckFailure saying what was asked, expected and got', () => {
    let thrown: unknown;
    try {
      expectStatus(answer(200), 401, 'missing key');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CheckFailure);
    expect((thrown as CheckFailure).check).toBe('expectStatus');
    expect((thrown as CheckFailure).message).toBe('missing key: expected status 401, got 200');
  });

  it('does not take a status of the same class for the one stated (403 is not 401)', () => {
    expect(() => expectStatus(answer(403), 401, 'x')).toThrow(/expected status 401, got 403/);
  });
});
