/**
 * Bearer tokens that are not JWTs at all: a word, random text without dots, too few or too many
 * segments, and three segments one of which is not base64url or decodes to something other than a
 * JSON object. A server must refuse each as an invalid token; parsing one must never be a 5xx.
 */
import fc from 'fast-check';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** A plausible header and payload, so that only the segment under test is broken. */
const HEADER = b64url('{"alg":"HS256","typ":"JWT"}');
const PAYLOAD = b64url('{"sub":"user","exp":4102444800}');

const base64urlText = (min: number, max: number) =>
  fc.array(fc.constantFrom(...B64URL), { minLength: min, maxLength: max }).map((cs) => cs.join(''));

/** Characters that base64url never uses. */
const notBase64url = fc
  .tuple(base64urlText(2, 12), fc.constantFrom('%', '!', '*', '~', '$', '(', '@'))
  .map(([s, bad]) => `${s}${bad}${s}`);

/** Base64url of something that is not a JSON object. */
const notJson = fc
  .constantFrom('not json', '{"alg":', '[1,2]', 'null', '"text"', '\u0000\u0001')
  .map(b64url);

export function arbMalformedJwt(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('not-a-jwt', 'null', 'undefined', 'Bearer', '...', 'a.b.c'),
    base64urlText(8, 64),
    fc.tuple(base64urlText(4, 40), base64urlText(4, 40)).map(([a, b]) => `${a}.${b}`),
    base64urlText(4, 40).map((s) => `${HEADER}.${PAYLOAD}.${s}.${s}`),
    fc.tuple(notBase64url, base64urlText(16, 43)).map(([h, sig]) => `${h}.${PAYLOAD}.${sig}`),
    fc.tuple(notBase64url, base64urlText(16, 43)).map(([p, sig]) => `${HEADER}.${p}.${sig}`),
    fc.tuple(notJson, base64urlText(16, 43)).map(([h, sig]) => `${h}.${PAYLOAD}.${sig}`),
    fc.tuple(notJson, base64urlText(16, 43)).map(([p, sig]) => `${HEADER}.${p}.${sig}`),
  );
}
