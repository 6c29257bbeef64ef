import type { ReceivedResponse } from '../request/outgoing-request.ts';
import { CheckFailure } from './check-failure.ts';

export function expectHeader(res: ReceivedResponse, name: string): void {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined || value.trim() === '') {
    throw new CheckFailure(
      'expectHeader',
      `expected a ${name} header on the ${res.status} answer, found none`,
    );
  }
  if (
    name.toLowerCase() === 'retry-after' &&
    !/^\d+$/.test(value.trim()) &&
    Number.isNaN(Date.parse(value))
  ) {
    throw new CheckFailure(
      'expectHeader',
      `Retry-After must be seconds or an HTTP date, found ${JSON.stringify(value)}`,
    );
  }
}
