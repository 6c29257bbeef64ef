/** The answer's JSON body holds `expected` at a JSON pointer. */
import type { ReceivedResponse } from '../request/outgoing-request.ts';
import { jsonPointer } from '../model/json-pointer.ts';
import { CheckFailure } from './check-failure.ts';

export function expectValueAt(
  res: ReceivedResponse,
  pointer: string,
  expected: unknown,
  what: string,
): void {
  const shown = jsonPointer(res.body, pointer);
  if (shown !== expected) {
    throw new CheckFailure(
      'expectValueAt',
      `${what}: the answer shows ${JSON.stringify(shown)} at ${pointer}, expected ${JSON.stringify(expected)}`,
    );
  }
}
