import type { ReceivedResponse } from '../request/outgoing-request.ts';
import { CheckFailure } from './check-failure.ts';

export function expectStatus(res: ReceivedResponse, expected: number, what: string): void {
  if (res.status !== expected) {
    throw new CheckFailure(
      'expectStatus',
      `${what}: expected status ${expected}, got ${res.status}`,
    );
  }
}
