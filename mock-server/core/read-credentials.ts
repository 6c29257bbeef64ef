/**
 * Where a credential travels (header, `Authorization: <scheme>`, body field, query parameter,
 * cookie), read off a normalized request. The scheme word is matched in any letter case
 * (RFC 9110 §11.1).
 */
import { parse as parseCookie } from 'cookie';
import type { Credential } from '../../src/model/profile.ts';
import type { MockRequest } from './mock-types.ts';

/** The credential's value as sent, or undefined when it is absent or empty. */
export function readCredential(
  cred: Credential,
  req: MockRequest,
  body: unknown,
): string | undefined {
  // Its own place first, then the others it may travel in; no list built: this runs per request.
  const v = readNamedPlace(cred, cred.in, cred.name, req, body);
  if (v !== undefined || cred.alsoIn === undefined) return v;
  for (const place of cred.alsoIn) {
    const w = readNamedPlace(cred, place.in, place.name, req, body);
    if (w !== undefined) return w;
  }
  return undefined;
}

/** The value at one place, or undefined when it is absent or empty. */
function readNamedPlace(
  cred: Credential,
  where: Credential['in'],
  placeName: string | undefined,
  req: MockRequest,
  body: unknown,
): string | undefined {
  // In Authorization the name to match is the scheme word.
  const name = where === 'bearer' || where === 'authorization' ? schemeOf(cred) : placeName;
  const v = readPlace(where, name, req, body);
  return v !== undefined && v !== '' ? v : undefined;
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
  if (where === 'query') return queryParam(req.pathWithQuery, name!);
  if (where === 'cookie') {
    const sent = req.headers['cookie'];
    return sent === undefined ? undefined : parseCookie(sent)[name!];
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const v = (body as Record<string, unknown>)[name!];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/** The first value of a query parameter, decoded (`+` a space); undefined when not sent. */
function queryParam(pathWithQuery: string, name: string): string | undefined {
  const at = pathWithQuery.indexOf('?');
  if (at < 0) return undefined;
  // URLSearchParams never throws: a malformed escape is kept as sent.
  return new URLSearchParams(pathWithQuery.slice(at + 1)).get(name) ?? undefined;
}
