/**
 * The credential values a request actually carries, read from the places the profile says they
 * travel (a header, the bearer, a body field, a query parameter, a cookie, and their `alsoIn` places) and from the route's HMAC
 * signature header: whatever the harness sent there, altered, forged or garbage included. Each
 * comes with the length of its public head (a key format's prefix and public id, a JWT's header
 * and claims, a signature's `v1=` label), which a correct server may show.
 */
import type { Credential, Profile } from '../model/profile.ts';
import type { ResolvedRoute } from '../model/resolved-profile.ts';
import { schemeWord } from './authorization-scheme.ts';
import { anchored } from '../model/anchored-pattern.ts';
import type { OutgoingRequest } from './outgoing-request.ts';
import { schemeOf, signingOf } from '../sign/signers.ts';
import { cookieOf, queryParamOf } from './query-cookie-credential.ts';

export interface CarriedSecret {
  /** Where it travelled, for a message: `X-API-Key header`, `bearer token`, `body field key`. */
  where: string;
  value: string;
  /** How many leading characters are public (a prefix, a key id, a JWT's header and claims). */
  publicLength: number;
  /** The key format's prefix, for masking. */
  prefix?: string;
  /** The kind of credential it was sent as (none: a signature). */
  kind?: Credential['kind'];
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function carriedSecrets(
  profile: Profile,
  route: ResolvedRoute,
  req: OutgoingRequest,
): CarriedSecret[] {
  const out: CarriedSecret[] = [];
  for (const cred of route.credentials) {
    const places = [{ in: cred.in, name: cred.name }, ...(cred.alsoIn ?? [])];
    for (const place of places) {
      const found =
        place.in === 'bearer' || place.in === 'authorization'
          ? afterScheme(req, schemeWord(cred)!)
          : place.in === 'header'
            ? headerOf(req, place.name!)
            : place.in === 'query'
              ? queryParamOf(req, place.name!)
              : place.in === 'cookie'
                ? cookieOf(req, place.name!)
                : bodyField(req, place.name!);
      if (found === undefined || found === '') continue;
      const where =
        place.in === 'bearer'
          ? 'bearer token'
          : place.in === 'authorization'
            ? `Authorization ${schemeWord(cred)!} credential`
            : place.in === 'header'
              ? `${place.name} header`
              : place.in === 'query' || place.in === 'cookie'
                ? `${place.name} ${place.in === 'query' ? 'query parameter' : 'cookie'}`
                : `body field ${place.name}`;
      out.push({ where, value: found, kind: cred.kind, ...publicHead(profile, cred.kind, found) });
    }
  }
  const signing = signingOf(route);
  if (signing) {
    // The signature itself, found by its scheme (its own header, or inside Authorization).
    const slot = signing.signer.signatureSlot(signing.config, { ...req, host: '' });
    if (slot && slot.value !== '')
      out.push({
        where: `${schemeOf(signing.config)} signature`,
        value: slot.value,
        publicLength: 0,
      });
  }
  return out;
}

function publicHead(
  profile: Profile,
  kind: Credential['kind'],
  value: string,
): { publicLength: number; prefix?: string } {
  if (kind === 'api_key') {
    let best: { publicLength: number; prefix?: string } = { publicLength: 0 };
    for (const format of Object.values(profile.keyFormats ?? {})) {
      if (!value.startsWith(format.prefix)) continue;
      // A format that names an `id` group (sk_<id>.<secret>) shows that id publicly.
      const m = anchored(format.pattern).match(value);
      const idEnd = m?.groups['id'] !== undefined ? m.end('id') : undefined;
      const publicLength = Math.max(format.prefix.length, idEnd ?? 0);
      if (publicLength > best.publicLength) best = { publicLength, prefix: format.prefix };
    }
    return best;
  }
  // A JWT's header and claims are base64url anyone can read; its signature is what it proves.
  if (JWT_SHAPE.test(value)) return { publicLength: value.lastIndexOf('.') + 1 };
  return { publicLength: 0 };
}

function headerOf(req: OutgoingRequest, name: string): string | undefined {
  return Object.entries(req.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/** What follows the scheme word in Authorization (the whole value when another word leads). */
function afterScheme(req: OutgoingRequest, scheme: string): string | undefined {
  const auth = headerOf(req, 'authorization');
  if (auth === undefined) return undefined;
  const [word, ...rest] = auth.split(/\s+/);
  return word?.toLowerCase() === scheme.toLowerCase() && rest.length > 0 ? rest.join(' ') : auth;
}

function bodyField(req: OutgoingRequest, name: string): string | undefined {
  if (req.body === undefined) return undefined;
  try {
    const v = (JSON.parse(req.body) as Record<string, unknown> | null)?.[name];
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
