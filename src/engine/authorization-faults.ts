/**
 * Faults to a credential sent as `Authorization: <scheme> <value>`: the scheme word changed
 * (another letter case, another word, none at all), and HTTP Basic's value broken in each way
 * RFC 7617 §2 tells apart (wrong secret, unknown id, not base64, no colon).
 */
import type { ResolvedRoute, ResolvedProfile } from '../model/resolved-profile.ts';
import type { Credentials } from '../model/credentials.ts';
import {
  authorizationCredential,
  basicCredential,
  basicValue,
  routeSchemeWord,
  schemeWord,
} from '../request/authorization-scheme.ts';
import { defaultKeyRole, keyForRole } from '../request/build-request.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';
import type { OutgoingRequest } from '../request/outgoing-request.ts';

export type BasicFault = 'wrong-secret' | 'unknown-id' | 'malformed-base64' | 'missing-colon';

/**
 * The request with its Authorization scheme word replaced: `other` a word of another scheme
 * that no credential of the route uses (Bearer, else Token, else Key), `none` the value alone,
 * else the word given. A word another credential of the route uses would test that credential.
 */
export function withSchemeWord(
  route: ResolvedRoute,
  req: OutgoingRequest,
  word: string,
): OutgoingRequest {
  routeSchemeWord(route); // the route must have such a credential
  const [name, sent] = authorization(req, route);
  const value = sent.slice(sent.indexOf(' ') + 1);
  const used = routeSchemeWords(route);
  const other = ['Bearer', 'Token', 'Key'].find((w) => !used.has(w.toLowerCase()))!;
  const replaced = word === 'none' ? value : `${word === 'other' ? other : word} ${value}`;
  return { ...req, headers: { ...req.headers, [name]: replaced } };
}

/** The request with its Basic credentials broken as `how` says, the rest of it unchanged. */
export function withBasicFault(
  profile: ResolvedProfile,
  creds: Credentials,
  route: ResolvedRoute,
  req: OutgoingRequest,
  keyRole: string | undefined,
  how: BasicFault,
): OutgoingRequest {
  const cred = basicCredential(route);
  if (cred === undefined) throw new MissingRoleError(`a Basic credential on route ${route.id}`);
  const role = keyRole ?? defaultKeyRole(profile, creds, route);
  const key = keyForRole(creds, role);
  if (key.id === undefined) throw new MissingRoleError(`keys.${role}.id (its Basic id)`);
  const value =
    how === 'wrong-secret'
      ? basicValue(key.id, otherLastChar(key.value))
      : how === 'unknown-id'
        ? basicValue(otherLastChar(key.id), key.value)
        : how === 'malformed-base64'
          ? // The client that forgot to encode: `id:secret` as is (a colon is no base64).
            `${key.id}:${key.value}`
          : Buffer.from(`${key.id}${key.value}`.replaceAll(':', ''), 'utf8').toString('base64');
  const [name] = authorization(req, route);
  const scheme = schemeWord(cred)!;
  return { ...req, headers: { ...req.headers, [name]: `${scheme} ${value}` } };
}

/** The scheme words (lower case) of every credential of the route that travels in Authorization. */
function routeSchemeWords(route: ResolvedRoute): Set<string> {
  return new Set(route.credentials.flatMap((c) => schemeWord(c)?.toLowerCase() ?? []));
}

/** The last character replaced by the next one of its class (digit, lower, upper case). */
function otherLastChar(s: string): string {
  const last = s.at(-1)!;
  const pools = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const pool = pools.find((p) => p.includes(last)) ?? pools[0]!;
  return s.slice(0, -1) + pool[(pool.indexOf(last) + 1) % pool.length];
}

function authorization(req: OutgoingRequest, route: ResolvedRoute): [string, string] {
  const name = Object.keys(req.headers).find((k) => k.toLowerCase() === 'authorization');
  if (name === undefined)
    throw new MissingRoleError(`an Authorization header on route ${route.id}`);
  return [name, req.headers[name]!];
}
