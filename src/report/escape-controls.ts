/**
 * Text a target wrote, made safe to show a person: every character that a terminal, an editor or
 * a browser would act on instead of showing is written out visibly (`\x1b`, `\r`, `\u202e`), so
 * an answer cannot clear the screen (ESC[2J), retitle the window (OSC 0), plant a hidden link
 * (OSC 8), overwrite a line (CR), ring the bell or reorder what a reader sees (bidi overrides,
 * CVE-2021-42574). Nothing is dropped: a reader sees that the answer held it.
 *
 * Escaped: C0 controls but newline and tab (a newline is a line of the report, a tab only moves
 * the cursor forward), DEL, C1 controls (U+0080-U+009F: some terminals take U+009B as CSI),
 * Unicode format characters (bidi embeddings, overrides, isolates and marks, zero-width
 * characters, tag characters: all invisible or reordering), the line and paragraph separators,
 * and lone surrogates. A backslash is left as it is, so a JSON body still reads as JSON; the exact
 * bytes are in report.json.
 */
const CONTROLS = /[\0-\x08\x0b-\x1f\x7f-\x9f\p{Cf}\u2028\u2029\p{Cs}]/gu;

/** `\x1b`, `\r`, `\u202e`, `\u{e0041}`: one character, visibly. */
export function visibleEscape(c: string): string {
  if (c === '\r') return '\\r';
  const n = c.codePointAt(0)!;
  const hex = n.toString(16);
  if (n < 0x100) return `\\x${hex.padStart(2, '0')}`;
  if (n < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\u{${hex}}`;
}

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, visibleEscape);
}

/** Whether `text` holds a character escapeControls would write out. */
export function hasControls(text: string): boolean {
  return ANY_CONTROL.test(text);
}

const ANY_CONTROL = new RegExp(CONTROLS.source, 'u');
