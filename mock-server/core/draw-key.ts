/**
 * A fresh key of a profile's format, drawn in the shape of the format's example (each letter or
 * digit replaced by a random one of its class) and checked against the format's pattern. For
 * `sk_<id>.<secret>` formats the id is read back from the pattern's `id` group.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyFormat } from '../../src/model/profile.ts';
import { anchored } from '../../src/model/anchored-pattern.ts';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGIT = '0123456789';

/** A drawn value; for a format with an `id` group, the id and where it ends in the value. */
export interface DrawnKey {
  value: string;
  id?: string;
  idEnd?: number;
}

export function drawKeyValue(format: KeyFormat): DrawnKey {
  const example = format.example!;
  const re = anchored(format.pattern);
  for (let attempt = 0; attempt < 20; attempt++) {
    const bytes = randomBytes(example.length);
    const body = [...example.slice(format.prefix.length)]
      .map((ch, i) => {
        const pool = DIGIT.includes(ch)
          ? DIGIT
          : LOWER.includes(ch)
            ? LOWER
            : UPPER.includes(ch)
              ? UPPER
              : undefined;
        return pool ? pool[bytes[i]! % pool.length] : ch;
      })
      .join('');
    const value = format.prefix + body;
    const m = re.match(value);
    if (m)
      return m.groups.id !== undefined ? { value, id: m.groups.id, idEnd: m.end('id') } : { value };
  }
  throw new Error(`cannot draw a key matching /${format.pattern}/ from its example`);
}

/** An id in the style of the fixtures' own key ids (UUIDs when they use UUIDs). */
export function drawKeyId(existingIds: readonly string[]): string {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (existingIds.length > 0 && existingIds.every((id) => uuid.test(id))) return randomUUID();
  return `key_${randomBytes(8).toString('hex')}`;
}

/** A bearer/session/refresh token: 32 random bytes, URL-safe. */
export function drawToken(): string {
  return randomBytes(32).toString('base64url');
}
