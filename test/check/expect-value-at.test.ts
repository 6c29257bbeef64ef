import { describe, expect, it } from 'vitest';
import { CheckFailure } from '../../src/check/check-failure.ts';
import { expectValueAt } from '../../src/check/expect-value-at.ts';
import type { ReceivedResponse } from '../../src/request/outgoing-request.ts';

const answer = (body: unknown): ReceivedResponse => ({
  status: 200,
  headers: {},
  body,
  rawBody: JSON.stringify(body),
});

describe('expectValueAt: the JSON body holds the expected value at a JSON pointer', () => {
  const body = { data: { amount: 4999, owner: { id: 'm_1' } }, 'a/b': { '~x': true } };

  it('holds when the value at the pointer is the one expected', () => {
    expect(() => expectValueAt(answer(body), '/data/amount', 4999, 'cap')).not.toThrow();
    expect(() => expectValueAt(answer(body), '/data/owner/id', 'm_1', 'owner')).not.toThrow();
  });

  it('reads escaped pointer segments as RFC 6901 writes them (~1 is /, ~0 is ~)', () => {
    expect(() => expectValueAt(answer(body), '/a~1b/~0x', true, 'escaped')).not.toThrow();
  });

  it('fails another value, saying what the answer shows, where, and what was expected', () => {
    expect(() => expectValueAt(answer(body), '/data/amount', 5000, 'cap holds')).toThrow(
      new CheckFailure(
        'expectValueAt',
        'cap holds: the answer shows 4999 at /data/amount, expected 5000',
      ),
    );
  });

  it('fails a value of another type with the same text (the string "4999" is not 4999)', () => {
    expect(() => expectValueAt(answer({ n: '4999' }), '/n', 4999, 'x')).toThrow(
      /the answer shows "4999" at \/n, expected 4999/,
    );
  });

  it('fails when nothing is there, or the body is not JSON', () => {
    expect(() => expectValueAt(answer(body), '/data/missing', 1, 'x')).toThrow(
      /the answer shows undefined at \/data\/missing, expected 1/,
    );
    expect(() => expectValueAt(answer(undefined), '/data', 1, 'x')).toThrow(CheckFailure);
  });
});
