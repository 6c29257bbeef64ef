import type { ReceivedResponse } from '../request/outgoing-request.ts';
import type { CarriedSecret } from '../request/carried-credentials.ts';
import { maskSecret } from '../secrets/mask.ts';
import { decodedView, findSecrets } from '../secrets/secret-forms.ts';
import { CheckFailure } from './check-failure.ts';

/**
 * No submitted secret may come back in a body or a header: neither a known secret of the
 * credentials, nor any credential value the request carried (an altered key, a forged token, a
 * signature), nor a long piece of one. A piece counts from 16 characters (3/4 of a shorter secret
 * part, at least 8) taken from past the value's public head, so a masked `prefix…last4` or a key's
 * public id shown by a correct server never does. An echo counts in any form a server can give it
 * back in: a known secret raw, escaped (JSON, percent, HTML) or base64 (secret-forms.ts); a
 * carried value's piece raw or in the JSON-, percent- or entity-decoded reading of the answer.
 */
export function expectNoSecretEcho(
  res: ReceivedResponse,
  secrets: readonly string[],
  carried: readonly CarriedSecret[] = [],
): void {
  const haystack = res.rawBody + '\n' + Object.values(res.headers).join('\n');
  // One search for all of them: the answer is decoded once, whatever the number of secrets.
  const echoed = findSecrets(
    haystack,
    secrets.filter((s) => s.length >= 8),
  )[0];
  if (echoed) {
    const { secret, form } = echoed;
    throw new CheckFailure(
      'expectNoSecretEcho',
      `the ${res.status} answer echoes the submitted secret ${maskSecret(secret)}${form === 'raw' ? '' : ` (${FORM_WORDS[form]})`}`,
    );
  }
  const readings = carried.length > 0 ? readingsOf(haystack) : [];
  for (const c of carried) {
    const secretPart = c.value.slice(c.publicLength);
    const length = Math.max(...readings.map((r) => echoedLength(secretPart, r)));
    if (length === 0) continue;
    const part = c.publicLength === 0 ? 'characters' : 'characters past the public prefix';
    throw new CheckFailure(
      'expectNoSecretEcho',
      `the ${res.status} answer echoes ${length} of the ${secretPart.length} ${part} of the ${c.where} the request carried (${maskSecret(c.value, c.prefix)}); an answer must not repeat a submitted credential, not even in part`,
    );
  }
}

const FORM_WORDS = {
  escaped: 'escaped: JSON \\u, percent or HTML character references',
  base64: 'base64-encoded',
} as const;

/** The answer as read, and with its JSON, percent and HTML escapes decoded (secret-forms.ts). */
function readingsOf(text: string): string[] {
  const view = decodedView(text);
  return view ? [text, view.text] : [text];
}

/** The smallest run of a secret part that counts as an echo of it. */
export function echoRunLength(secretLength: number): number {
  return Math.min(16, Math.max(8, Math.ceil((secretLength * 3) / 4)));
}

/** The length of the longest run of `secret` found in `haystack`, 0 when under the threshold. */
function echoedLength(secret: string, haystack: string): number {
  if (secret.length < 8) return 0;
  const run = echoRunLength(secret.length);
  // Every window of the secret, looked up from every window of the answer: linear in both, so a
  // huge header value costs no more than reading it.
  const windows = new Set<string>();
  for (let i = 0; i + run <= secret.length; i++) windows.add(secret.slice(i, i + run));
  let hit = -1;
  for (let i = 0; i + run <= haystack.length; i++) {
    if (windows.has(haystack.slice(i, i + run))) {
      hit = i;
      break;
    }
  }
  if (hit < 0) return 0;
  // Extend the first hit as far as it goes, for the message.
  let best = run;
  const start = secret.indexOf(haystack.slice(hit, hit + run));
  while (
    start + best < secret.length &&
    hit + best < haystack.length &&
    secret[start + best] === haystack[hit + best]
  )
    best++;
  return best;
}
