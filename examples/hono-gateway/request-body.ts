/**
 * Reading and checking JSON request bodies: a body that does not parse, or a field of the wrong
 * kind, is BAD_REQUEST (never a 5xx, never an echo of what was sent).
 */
import type { Context } from 'hono';
import { fail } from './errors.ts';

export type Body = Record<string, unknown>;

export async function jsonBody(c: Context): Promise<Body> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    fail('BAD_REQUEST');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('BAD_REQUEST');
  return body as Body;
}

/** The named fields, each passing its check, or BAD_REQUEST. */
export function fields<K extends string>(
  body: Body,
  checks: Record<K, (v: unknown) => boolean>,
): Record<K, unknown> {
  for (const [name, ok] of Object.entries(checks) as [K, (v: unknown) => boolean][])
    if (!ok(body[name])) fail('BAD_REQUEST');
  return body as Record<K, unknown>;
}

export const positiveInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
export const currency = (v: unknown) => typeof v === 'string' && /^[A-Z]{3}$/.test(v);
export const text = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
export const optionalText = (v: unknown) => v === undefined || text(v);
export const email = (v: unknown) => typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
export const isoDate = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
export const oneOf =
  (...values: string[]) =>
  (v: unknown) =>
    typeof v === 'string' && values.includes(v);
