/**
 * Text made safe for XML and HTML, in element content and in quoted attributes alike. Response
 * bodies of a target under test can hold anything (robustness scenarios send control characters
 * and huge values, a hostile target sends terminal escapes and bidi overrides), so controls are
 * written out visibly (escape-controls.ts) and the characters XML 1.0 forbids besides (U+FFFE,
 * U+FFFF) as `\ufffe`, instead of making the whole JUnit file unreadable to the CI that loads it.
 */
import { escapeControls, visibleEscape } from './escape-controls.ts';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// Allowed in XML 1.0: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// With the u flag a lone surrogate is matched as one code point outside these ranges.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeMarkup(text: string): string {
  return escapeControls(text)
    .replace(NOT_XML, visibleEscape)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
