/**
 * Where a credential travels (header, `Authorization: <scheme>`, body field), read off a
 * normalized request. The scheme word is matched in any letter case (RFC 9110 §11.1).
 */
import type { Credential } from '../../src/model/profile.ts';
import type { MockRequest } from './mock-types.ts';

/** The credential's value as sent, or undefined when it is absent or empty. */
export function readCredential(
  cred: Credential,
  req: MockRequest,
  body: unknown,
): string | undefined {
  const places = [{ in: cred.in, name: cred.name }, ...(cred.alsoIn ?? [])];
  for (const place of places) {
    // In Authorization the name to match is the scheme word.
    const name =
      place.in === 'bearer' || place.in === 'authorization' ? schemeOf(cred) : place.name;
    const v = readPlace(place.in, name, req, body);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

function schemeOf(cred: Credential): string | undefined {
  if (cred.in === 'bearer') return 'Bearer';
  return cred.in === 'authorization' ? (cred.scheme ?? 'Basic') : undefined;
}

function readPlace(
  where: Credential['in'],
  name: string | undefined,
  req: MockRequest,
  body: unknown,
): string | undefined {
  if (where === 'bearer' || where === 'authorization') {
    const m = /^(\S+)[ \t]+(\S+)[ \t]*$/.exec(req.headers['authorization'] ?? '');
    return m?.[1]!.toLowerCase() === name!.toLowerCase() ? m[2] : undefined;
  }
  if (where === 'header') return req.headers[name!.toLowerCase()]?.trim();
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const v = (body as Record<string, unknown>)[name!];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}
