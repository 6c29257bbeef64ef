/**
 * An API key in a query parameter or a cookie (OpenAPI's `apiKey` `in: query | cookie`), read,
 * set and removed on an outgoing request. The parameter's value is URL-encoded
 * (`encodeURIComponent`); the cookie is `name=value` in the Cookie header, its value encoded the
 * same way (RFC 6265 §4.1.1 allows no space, comma, semicolon or quote in it).
 */
import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import { findHeader, withHeader, withoutHeader } from './header-edits.ts';
import type { OutgoingRequest } from './outgoing-request.ts';

/** `pathWithQuery` split at its `?` (the query without it, '' when none). */
function split(pathWithQuery: string): { path: string; query: string } {
  const at = pathWithQuery.indexOf('?');
  return at < 0
    ? { path: pathWithQuery, query: '' }
    : { path: pathWithQuery.slice(0, at), query: pathWithQuery.slice(at + 1) };
}

/** The query parameter's decoded value, or undefined when the request has none of that name. */
export function queryParamOf(req: OutgoingRequest, name: string): string | undefined {
  return new URLSearchParams(split(req.pathWithQuery).query).get(name) ?? undefined;
}

/** `pathWithQuery` with the query parameter appended (its value URL-encoded). */
export function withQueryParam(pathWithQuery: string, name: string, value: string): string {
  const { path, query } = split(pathWithQuery);
  const pair = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  return `${path}?${query === '' ? pair : `${query}&${pair}`}`;
}

/** The request without the query parameter (every occurrence); the rest of the query as sent. */
export function withoutQueryParam(req: OutgoingRequest, name: string): OutgoingRequest {
  const { path, query } = split(req.pathWithQuery);
  const kept = query
    .split('&')
    .filter((pair) => pair !== '' && decodeName(pair.split('=')[0]!) !== name);
  return { ...req, pathWithQuery: kept.length === 0 ? path : `${path}?${kept.join('&')}` };
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** The cookie's decoded value, or undefined when the request sends no cookie of that name. */
export function cookieOf(req: OutgoingRequest, name: string): string | undefined {
  const sent = findHeader(req, 'cookie');
  return sent === undefined ? undefined : parseCookie(req.headers[sent]!)[name];
}

/** A Cookie header value with the cookie added to those already sent (if any). */
export function withCookie(sent: string | undefined, name: string, value: string): string {
  const pair = serializeCookie(name, value);
  return sent === undefined || sent === '' ? pair : `${sent}; ${pair}`;
}

/** The request without the cookie; without the Cookie header when it was the only one. */
export function withoutCookie(req: OutgoingRequest, name: string): OutgoingRequest {
  const sent = findHeader(req, 'cookie');
  if (sent === undefined) return req;
  const kept = req.headers[sent]!.split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '' && pair.split('=')[0]!.trim() !== name);
  return kept.length === 0 ? withoutHeader(req, sent) : withHeader(req, sent, kept.join('; '));
}
