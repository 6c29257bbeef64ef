/**
 * The secrets test's two halves: every secret the fixtures hold, and a search for them in
 * produced files that also looks through the encodings a report applies (JSON string escapes,
 * HTML/XML entities), so a private key written as "-----BEGIN...\n..." in JSON is still found,
 * and those a target can echo a secret in: JSON `\u` escapes, percent-encoding (any mix of the
 * three, nested), and base64/base64url of any run of base64 characters (`Basic dXNlcjpx...`).
 * It decodes the text, the way a reader would, independently of how the masking finds them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FIXTURES_DIR } from '../../src/spec/spec-paths.ts';

export interface FixtureSecret {
  /** Where it is: fixtures/luxcore.yaml keys[2].value */
  where: string;
  value: string;
}

interface FixtureFile {
  keys?: { value: string }[];
  hmacSecrets?: { secret: string }[];
  jwtKeys?: { secret?: string; privateKeyPem?: string }[];
  users?: { password: string }[];
}

/** Every key value, HMAC secret, JWT secret, private key and password in fixtures/*.yaml. */
export function fixtureSecrets(dir: string = FIXTURES_DIR): FixtureSecret[] {
  const out: FixtureSecret[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const f = parse(readFileSync(join(dir, name), 'utf8')) as FixtureFile;
    const at = (path: string, value: string | undefined) => {
      if (value) out.push({ where: `fixtures/${name} ${path}`, value });
    };
    f.keys?.forEach((k, i) => at(`keys[${i}].value`, k.value));
    f.hmacSecrets?.forEach((h, i) => at(`hmacSecrets[${i}].secret`, h.secret));
    f.jwtKeys?.forEach((j, i) => {
      at(`jwtKeys[${i}].secret`, j.secret);
      at(`jwtKeys[${i}].privateKeyPem`, j.privateKeyPem);
      // Each line of a key's body is a secret on its own: a report must not carry one either.
      j.privateKeyPem
        ?.split('\n')
        .filter((l) => l.length >= 40 && !l.startsWith('-----'))
        .forEach((l, n) => at(`jwtKeys[${i}].privateKeyPem line ${n + 2}`, l));
    });
    f.users?.forEach((u, i) => at(`users[${i}].password`, u.password));
  }
  return out;
}

/** Every file under the paths given (folders walked). */
export function filesUnder(...paths: string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .sort()
          .flatMap((n) => filesUnder(join(p, n)))
      : [p],
  );
}

/** "file: where" for each secret found whole in a file, in any of the file's readings. */
export function secretsFoundIn(files: string[], secrets: readonly FixtureSecret[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const readings = readingsOf(readFileSync(file, 'utf8'));
    for (const s of secrets)
      if (readings.some((text) => text.includes(s.value))) found.push(`${file}: ${s.where}`);
  }
  return found;
}

export function readingsOf(raw: string): string[] {
  const readings = [raw, decodeEntities(raw)];
  try {
    readings.push(stringsOf(JSON.parse(raw)).join('\n'));
  } catch {
    // not JSON
  }
  for (const r of [...readings]) readings.push(unescapeAll(r));
  for (const r of [...readings]) readings.push(base64Runs(r));
  return readings;
}

/** JSON/JavaScript `\u` and short escapes, `%XX` and character references, decoded until none is left. */
function unescapeAll(text: string): string {
  let out = text;
  for (let i = 0; i < 4; i++) {
    const next = decodeEntities(
      out
        .replace(/\\+u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
        .replace(/\\+([\\/"nrtbf])/g, (_, c: string) => SHORT[c] ?? c)
        .replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
          try {
            return decodeURIComponent(run);
          } catch {
            return run.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) =>
              String.fromCharCode(parseInt(h, 16)),
            );
          }
        }),
    );
    if (next === out) break;
    out = next;
  }
  return out;
}

const SHORT: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** Each run of 12 or more base64 or base64url characters, decoded, one a line. */
function base64Runs(text: string): string {
  return (text.match(/[A-Za-z0-9+/_-]{12,}={0,2}/g) ?? [])
    .map((run) => Buffer.from(run, 'base64').toString('utf8'))
    .join('\n');
}

function decodeEntities(text: string): string {
  const at = (n: number) => (n <= 0x10ffff ? String.fromCodePoint(n) : '');
  return text
    .replace(/&#(\d{1,7});/g, (_, n: string) => at(Number(n)))
    .replace(/&#x([0-9a-f]{1,6});/gi, (_, n: string) => at(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  return [];
}
