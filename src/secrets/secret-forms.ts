/**
 * Known secrets in the forms a server echoes them in by accident, found in a text:
 * - raw;
 * - escaped, any mix of raw and escaped characters, hex in either case: JSON string escapes
 *   (`\u0071`, `\/`, `\n`; a JSON string inside one: `\\u0071`), percent-encoding (`%71`, UTF-8
 *   bytes, encoded again: `%2571`), HTML/XML character references (`&#113;`, `&#x71;`, `&amp;`,
 *   encoded again: `&amp;#113;`);
 * - base64 or base64url of any text that holds the secret, at any offset (the secret alone,
 *   `user:secret` of HTTP Basic, a JSON document): the characters of the encoding that only the
 *   secret's bytes decide are found, so one or two characters at each end of that run are not
 *   (a few bits, never the secret); also when that base64 is percent-encoded.
 *
 * Not found (a disguise, not an accidental echo): base64 broken over lines, hex, base32 or any
 * other encoding, a secret split up, reversed or with characters put between; `+` for a space;
 * an echo that escapes some characters of a secret whose own raw characters look like an escape
 * (a password holding `%41`).
 *
 * Fast because it runs on every answer (the no-echo check) and every report string: a text is
 * decoded once, whatever the number of secrets, and each secret is then a few `indexOf`s; each
 * secret's base64 forms are computed once and kept.
 */
export type SecretForm = 'raw' | 'escaped' | 'base64';

export interface SecretMatch {
  secret: string;
  start: number;
  end: number;
  form: SecretForm;
}

/** Every occurrence of each secret, in any form; longer secrets first, none overlapping. */
export function findSecrets(text: string, secrets: readonly string[]): SecretMatch[] {
  const view = decodedView(text);
  const found: SecretMatch[] = [];
  const free = (start: number, end: number) => !found.some((m) => start < m.end && m.start < end);
  const add = (secret: string, start: number, end: number, form: SecretForm) => {
    if (free(start, end)) found.push({ secret, start, end, form });
  };
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length === 0) continue;
    for (const i of occurrences(text, secret)) add(secret, i, i + secret.length, 'raw');
    if (view) {
      for (const i of occurrences(view.text, secret)) {
        const start = view.starts[i]!;
        const end = view.ends[i + secret.length - 1]!;
        add(secret, start, end, text.slice(start, end) === secret ? 'raw' : 'escaped');
      }
    }
    for (const core of base64Cores(secret)) {
      for (const i of occurrences(text, core)) add(secret, i, i + core.length, 'base64');
      if (view)
        for (const i of occurrences(view.text, core))
          add(secret, view.starts[i]!, view.ends[i + core.length - 1]!, 'base64');
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** `text` with every secret, in any form, replaced by `replace(secret, form)`. */
export function replaceSecrets(
  text: string,
  secrets: readonly string[],
  replace: (secret: string, form: SecretForm) => string,
): string {
  const found = findSecrets(text, secrets);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of found) {
    out += text.slice(at, m.start) + replace(m.secret, m.form);
    at = m.end;
  }
  return out + text.slice(at);
}

/** The form the first occurrence of `secret` in `text` has, if there is one. */
export function secretFormIn(text: string, secret: string): SecretForm | undefined {
  return findSecrets(text, [secret])[0]?.form;
}

function occurrences(text: string, piece: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(piece); i >= 0; i = text.indexOf(piece, i + piece.length)) out.push(i);
  return out;
}

/**
 * A text with its escapes decoded, and for each decoded UTF-16 unit where it came from in the
 * text: [starts[i], ends[i]). Undefined when the text holds no escape.
 */
export interface DecodedView {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

const ESCAPE =
  /\\+u([0-9a-fA-F]{4})|\\+([\\/"bfnrt])|%(?:25)*([0-9a-fA-F]{2})|&(?:amp;)*(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g;

const JSON_SHORT: Record<string, string> = {
  '\\': '\\',
  '/': '/',
  '"': '"',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodedView(text: string): DecodedView | undefined {
  ESCAPE.lastIndex = 0;
  if (!ESCAPE.test(text)) return undefined;
  // Every escape is at least as long as what it decodes to: the view is never longer.
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  const pieces: string[] = [];
  let n = 0;
  const push = (s: string, start: number, end: number) => {
    pieces.push(s);
    for (let k = 0; k < s.length; k++, n++) {
      starts[n] = start;
      ends[n] = end;
    }
  };
  const pushRaw = (from: number, to: number) => {
    if (to <= from) return;
    pieces.push(text.slice(from, to));
    for (let i = from; i < to; i++, n++) {
      starts[n] = i;
      ends[n] = i + 1;
    }
  };
  // Percent-encoded bytes wait here until they make a whole UTF-8 character.
  let bytes: PercentByte[] = [];
  const flushBytes = () => {
    for (const c of utf8Characters(bytes)) push(c.text, c.start, c.end);
    bytes = [];
  };
  let at = 0;
  ESCAPE.lastIndex = 0;
  for (const m of text.matchAll(ESCAPE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (start > at || m[3] === undefined) flushBytes();
    pushRaw(at, start);
    const [, u, short, pct, dec, hex, named] = m;
    if (u !== undefined) push(String.fromCharCode(parseInt(u, 16)), start, end);
    else if (short !== undefined) push(JSON_SHORT[short]!, start, end);
    else if (pct !== undefined) bytes.push({ byte: parseInt(pct, 16), start, end });
    else if (named !== undefined) push(NAMED[named]!, start, end);
    else {
      const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
      // A reference past U+10FFFF decodes to nothing a secret holds: kept as it is.
      if (code <= 0x10ffff) push(String.fromCodePoint(code), start, end);
      else pushRaw(start, end);
    }
    at = end;
  }
  flushBytes();
  pushRaw(at, text.length);
  return { text: pieces.join(''), starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
}

interface PercentByte {
  byte: number;
  start: number;
  end: number;
}

/** Percent-decoded bytes as characters: whole UTF-8 sequences, any other byte as Latin-1. */
function utf8Characters(
  bytes: readonly PercentByte[],
): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!.byte;
    const len = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    const seq = bytes.slice(i, i + len);
    const whole =
      len > 1 && seq.length === len && seq.slice(1).every((x) => (x.byte & 0xc0) === 0x80);
    const take = whole ? len : 1;
    const text = whole
      ? Buffer.from(seq.map((x) => x.byte)).toString('utf8')
      : String.fromCharCode(b);
    out.push({ text, start: bytes[i]!.start, end: bytes[i + take - 1]!.end });
    i += take;
  }
  return out;
}

const MAX_KEPT = 1024;
const kept = new Map<string, string[]>();

/**
 * The base64 and base64url runs that only the secret's bytes decide, at each of the three
 * offsets of a 3-byte group it can start at: from ceil(8 offset / 6) to
 * floor(8 (offset + length) / 6). None for a secret so short a run could turn up by chance.
 */
export function base64Cores(secret: string): readonly string[] {
  let cores = kept.get(secret);
  if (!cores) {
    const bytes = Buffer.from(secret, 'utf8');
    const std = [0, 1, 2].map((offset) =>
      Buffer.concat([Buffer.alloc(offset), bytes])
        .toString('base64')
        .slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6)),
    );
    const url = std.map((c) => c.replace(/\+/g, '-').replace(/\//g, '_'));
    cores = std.some((c) => c.length < 8) ? [] : [...new Set([...std, ...url])];
    if (kept.size >= MAX_KEPT) kept.clear();
    kept.set(secret, cores);
  }
  return cores;
}
