/**
 * Text made safe for XML and HTML, in element content and in quoted attributes alike. Response
 * bodies of a target under test can hold anything (robustness scenarios send control characters
 * and huge values), so characters XML 1.0 forbids are written out as `\u{..}` instead of making
 * the whole JUnit file unreadable to the CI that loads it.
 */
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
  return text
    .replace(NOT_XML, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
