/**
 * The secrets test's two halves: every secret the fixtures hold, and a search for them in
 * produced files that also looks through the encodings a report applies (JSON string escapes,
 * HTML/XML entities), so a private key written as "-----BEGIN...\n..." in JSON is still found.
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

function readingsOf(raw: string): string[] {
  const readings = [raw, decodeEntities(raw)];
  try {
    readings.push(stringsOf(JSON.parse(raw)).join('\n'));
  } catch {
    // not JSON
  }
  return readings;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
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
