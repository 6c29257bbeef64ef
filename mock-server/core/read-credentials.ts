/** Where a credential travels (header, bearer, body field), read off a normalized request. */
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
    const v = readPlace(place.in, place.name, req, body);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

function readPlace(
  where: Credential['in'],
  name: string | undefined,
  req: MockRequest,
  body: unknown,
): string | undefined {
  if (where === 'bearer') {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers['authorization'] ?? '');
    return m?.[1];
  }
  if (where === 'header') return req.headers[name!.toLowerCase()]?.trim();
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const v = (body as Record<string, unknown>)[name!];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}
