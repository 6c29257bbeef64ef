/**
 * A profile pattern, anchored, matched in linear time. Patterns come from a profile anyone may
 * write and are matched against header values any client may send: with a backtracking engine a
 * pattern such as `qp_test_sk_([A-Za-z0-9]+)+$` let one crafted 8 KB header block the mock for
 * seconds. RE2 (re2js, a pure-JS port) matches in time linear in the value whatever the pattern,
 * and refuses at load the two features that have no linear-time match: backreferences and
 * lookaround. A pattern must also compile as a JavaScript RegExp, so the profile stays readable by
 * JavaScript tools and servers. Compiled once per distinct pattern and kept.
 */
import { RE2JS } from 're2js';
import { shortValueMemo } from './short-value-memo.ts';

export interface AnchoredPattern {
  /** Whether the whole value matches. */
  test(value: string): boolean;
  /** The named groups of a whole-value match, and where each ends; undefined without a match. */
  match(value: string): { groups: Record<string, string>; end(name: string): number } | undefined;
}

const cache = new Map<string, AnchoredPattern>();

/**
 * A literal prefix and then one character class repeated, nothing after it (`^[A-Za-z0-9_-]+$`,
 * `pk_test_[A-Za-z0-9]{24,128}`): the class holds letters, digits, `_` and ranges of them, and a
 * `-` only last. JavaScript's own RegExp matches such a pattern in linear time (one quantifier,
 * nothing after it to backtrack for) with the same answers as RE2, without re2js's microseconds:
 * a nonce is new on every signed request, so the memo below never helps it.
 */
const ONE_REPEATED_CLASS =
  /^\^?[A-Za-z0-9_-]*\[(?:[A-Za-z0-9_]-[A-Za-z0-9_]|[A-Za-z0-9_])+-?\](?:\+|\*|\{\d+(?:,\d*)?\})\$?$/;

export function anchored(pattern: string): AnchoredPattern {
  let compiled = cache.get(pattern);
  if (!compiled) {
    // Compiled by RE2 in every case: a pattern RE2 refuses stays refused (patternProblem).
    const re = RE2JS.compile(`^(?:${pattern})$`);
    const plain = ONE_REPEATED_CLASS.test(pattern) ? new RegExp(`^(?:${pattern})$`) : undefined;
    // Answers kept: the mock tests the same API key (and merchant id) against its format on every
    // request, and re2js takes microseconds where a Map takes nanoseconds.
    const matches = shortValueMemo((value) => re.matches(value));
    compiled = {
      test: plain !== undefined ? (value) => plain.test(value) : matches,
      // Matches kept as answers are (the harness reads each carried key's public head per request).
      match: shortValueMemo((value) => {
        const m = re.matcher(value);
        if (!m.matches()) return undefined;
        const groups: Record<string, string> = {};
        const ends: Record<string, number> = {};
        for (const [name, v] of Object.entries(m.getNamedGroups()))
          if (v !== null) {
            groups[name] = v;
            ends[name] = m.end(name);
          }
        return { groups, end: (name: string) => ends[name] ?? -1 };
      }),
    };
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Why a profile pattern cannot be used, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`);
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
  try {
    anchored(pattern);
  } catch (err) {
    return (
      `pattern /${pattern}/ cannot be matched in linear time (${(err as Error).message}); ` +
      'profile patterns are matched with RE2, which has no backreferences (\\1) and no ' +
      'lookaround ((?=, (?!, (?<=, (?<!): say the same with classes and alternatives'
    );
  }
  return undefined;
}
