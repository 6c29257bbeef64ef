/**
 * The token endpoint of an OAuth 2.0 client-credentials grant (RFC 6749 §4.4): the client is
 * authenticated by its id and secret (HTTP Basic over the form-encoded pair, or client_id and
 * client_secret form fields, §2.3.1), and gets a JWT naming it as the subject, holding the scopes
 * it asked for (all of its own when it asked for none).
 */
import { timingSafeEqual } from 'node:crypto';
import type { JwtToken } from '../../src/model/profile.ts';
import type { FixtureClient } from '../../src/model/fixtures.ts';
import { scopeGrants, scopeVocabulary } from '../../src/model/scope-vocabulary.ts';
import type { MockRequest } from './mock-types.ts';
import type { MockWorld } from './mock-world.ts';
import { Denial } from './deny.ts';
import { MAX_BODY_BYTES } from './request-limits.ts';

export interface ClientGrant {
  client: FixtureClient;
  scopes: string[];
}

/** Who asks and for what, or the denial: a wrong or missing client is invalid_client (§5.2). */
export function clientGrant(
  world: MockWorld,
  spec: JwtToken,
  req: MockRequest,
  body: Record<string, unknown>,
): ClientGrant {
  if (body['grant_type'] !== 'client_credentials') throw new Denial('malformed_request');
  const basic = basicPair(req.headers['authorization']);
  const inBody = body['client_id'] !== undefined || body['client_secret'] !== undefined;
  // §2.3: a client MUST NOT use more than one authentication method in each request.
  if (basic && inBody) throw new Denial('malformed_request');
  const pair = basic ?? (spec.issue?.clientAuth === 'body' ? bodyPair(body) : undefined);
  if (!pair) throw new Denial('invalid_login');
  const client = world.fixtures.clients?.find((c) => c.id === pair.id);
  if (!client || !sameSecret(client.secret, pair.secret)) throw new Denial('invalid_login');
  const held = client.scopes ?? [...scopeVocabulary(world.profile.scopes)];
  const asked = body['scope'];
  if (asked === undefined) return { client, scopes: held };
  if (typeof asked !== 'string') throw new Denial('malformed_request');
  const scopes = asked.split(' ').filter((s) => s !== '');
  // §5.2 invalid_scope: a scope beyond what the client was granted is refused, not trimmed.
  if (!scopes.every((s) => scopeGrants(world.profile.scopes, held, s)))
    throw new Denial('malformed_request');
  return { client, scopes };
}

/** The fields of an application/x-www-form-urlencoded body; undefined for another media type. */
export function formBody(req: MockRequest): Record<string, string> | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  if (req.body.length > MAX_BODY_BYTES) throw new Denial('malformed_request');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(req.body);
  } catch {
    throw new Denial('malformed_request');
  }
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    // §3.2: parameters sent without a value are omitted; none may be repeated.
    if (value === '') continue;
    if (name in out) throw new Denial('malformed_request');
    out[name] = value;
  }
  return out;
}

function basicPair(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^basic[ ]+([A-Za-z0-9+/]+=*)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  // §2.3.1: the id and secret were form-encoded before they were joined.
  try {
    return { id: formDecode(text.slice(0, colon)), secret: formDecode(text.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function bodyPair(body: Record<string, unknown>): { id: string; secret: string } | undefined {
  const id = body['client_id'];
  const secret = body['client_secret'];
  return typeof id === 'string' && typeof secret === 'string' ? { id, secret } : undefined;
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
