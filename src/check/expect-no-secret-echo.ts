import type { ReceivedResponse } from '../request/outgoing-request.ts';
import { maskSecret } from '../secrets/mask.ts';
import { CheckFailure } from './check-failure.ts';

/** No submitted secret may come back in an error body or header. */
export function expectNoSecretEcho(res: ReceivedResponse, secrets: readonly string[]): void {
  const haystack = res.rawBody + '\n' + Object.values(res.headers).join('\n');
  for (const s of secrets) {
    if (s.length >= 8 && haystack.includes(s)) {
      throw new CheckFailure(
        'expectNoSecretEcho',
        `the response echoes the submitted secret ${maskSecret(s)}`,
      );
    }
  }
}
