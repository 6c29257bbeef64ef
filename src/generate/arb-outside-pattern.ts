/**
 * A value a binding's `pattern` refuses: one of a few realistic malformed ids (a space, a slash,
 * a path escape, a wildcard, a quote, an over-long id, a leading dash), only those the pattern
 * does not match, never empty (an empty value is a missing binding, not a malformed one).
 */
import fc from 'fast-check';
import { anchored } from '../model/anchored-pattern.ts';

const CANDIDATES = [
  'a b',
  'a/b',
  '../x',
  '*',
  "a'b",
  'a;b',
  '{x}',
  '-x-',
  'x'.repeat(300),
  'A_B c',
];

export function arbOutsidePattern(pattern: string): fc.Arbitrary<string> {
  const re = anchored(pattern);
  const refused = CANDIDATES.filter((v) => !re.test(v));
  if (refused.length === 0)
    throw new Error(`no malformed value drawn for pattern ${JSON.stringify(pattern)}`);
  return fc.constantFrom(...refused);
}
