/**
 * The denials a profile must answer, and their defaults. Every feature the profile has can deny
 * a request, and the API's answer to each reason it gives must be known, or it would be a guess:
 * mapped in `denials`, or else by default the one error of the reason's default status
 * (DEFAULT_STATUS: 401 for a credential, a token or a signature, 403 for a key type, a scope or a
 * binding, 404 for a record not found, 400 for a malformed request, 429 for a rate limit). So a
 * profile whose errors say their statuses maps a reason only where its API differs from most.
 */
import { referencedFields } from '../model/resource-placeholders.ts';
import { signingById } from '../sign/signers.ts';
import type { SignerParts } from '../sign/signer.ts';
import type { DenialReason, Profile } from '../model/profile.ts';
import { DEFAULT_STATUS, defaultAnswer, reasonsByError } from '../model/derive-errors.ts';
import type { PathSegment } from './yaml-source.ts';

export interface ProducedDenial {
  reason: DenialReason;
  because: string;
  at: PathSegment[];
}

/** A reason the profile must answer that it leaves out and that has no default, and why not. */
export interface UnansweredDenial extends ProducedDenial {
  why: string;
}

/**
 * Fills in `profile.denials` every produced reason it leaves out with its default: the error of
 * the reason's default status, where exactly one error has that status, or exactly one of those
 * that no denial names. An error's status is its own, or the one the reasons mapped to it give.
 * Returns the produced reasons left without an answer.
 */
export function fillDefaultDenials(profile: Profile): UnansweredDenial[] {
  // What the file maps, before any default is filled in: the defaults do not depend on each other.
  const mapped = reasonsByError(profile);
  const left: UnansweredDenial[] = [];
  for (const produced of producedDenials(profile)) {
    if (profile.denials[produced.reason] !== undefined) continue;
    const status = DEFAULT_STATUS[produced.reason];
    const { id, of, free } = defaultAnswer(profile, produced.reason, mapped);
    if (id !== undefined) profile.denials[produced.reason] = id;
    else
      left.push({
        ...produced,
        why:
          of.length === 0
            ? `no error has its default status ${status}, to answer it by default`
            : free.length > 1
              ? `errors ${listed(free)} have status ${status}, its default, and no denial names them: say which answers it`
              : `errors ${listed(of)} have status ${status}, its default, and each answers another denial: say which answers it`,
      });
  }
  return left;
}

/** `a and b`, `a, b and c`. */
function listed(ids: string[]): string {
  return ids.length < 2 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/** What a signing scheme has, or undefined where its signer cannot be had (a module not loaded). */
export function signingPartsOf(profile: Profile, signingId: string): SignerParts | undefined {
  try {
    return signingById(profile, signingId)?.parts;
  } catch {
    return undefined;
  }
}

/**
 * The reasons the profile's routes and features can produce, each with why and where (a reason
 * once for every place that produces it). Only those must be answered: a reason no route or
 * feature can produce need not be (a profile without a record in any path has no not_found).
 * malformed_request always: any request can be malformed, and it answers the reasons the profile
 * leaves out (src/model/error-for-denial.ts).
 */
export function producedDenials(profile: Profile): ProducedDenial[] {
  const out: ProducedDenial[] = [];
  const need = (reason: DenialReason, because: string, at: PathSegment[]) => {
    out.push({ reason, because, at });
  };
  need('malformed_request', 'any request can be malformed', ['denials']);
  profile.routes.forEach((route, i) => {
    // A credential can be left out or made up on any route that asks for one.
    if (route.auth !== 'public') {
      need('missing_credential', `route "${route.id}" needs a credential`, ['routes', i, 'auth']);
      need('unknown_credential', `route "${route.id}" needs a credential`, ['routes', i, 'auth']);
    }
    // A route that names a record (a path id, or an id in its body) can name one that is not there.
    if (Object.keys(route.params ?? {}).length > 0)
      need('not_found', `route "${route.id}" names a record in its path`, ['routes', i, 'params']);
    else if (Object.keys(referencedFields(route.requestBody)).length > 0)
      need('not_found', `route "${route.id}" names a record in its body`, [
        'routes',
        i,
        'requestBody',
      ]);
    if (route.scope !== undefined)
      need('insufficient_scope', `route "${route.id}" needs a scope`, ['routes', i, 'scope']);
    if (route.keyTypes !== undefined)
      need('wrong_key_type', `route "${route.id}" allows only some key types`, [
        'routes',
        i,
        'keyTypes',
      ]);
    if (route.rateClass !== undefined)
      need('rate_limited', `route "${route.id}" is rate-limited`, ['routes', i, 'rateClass']);
    // A signer module that did not load is reported at its `module`; what its parts would need
    // is unknown, so nothing more is said of it.
    const unloadedModule =
      route.signing !== undefined &&
      profile.signing?.[route.signing]?.scheme === 'module' &&
      signingPartsOf(profile, route.signing) === undefined;
    if (route.signing !== undefined && !unloadedModule) {
      // Only the reasons the scheme can give: SigV4 has no nonce, so no nonce denial to map.
      const parts = signingPartsOf(profile, route.signing);
      for (const r of [
        'signature_missing',
        'signature_invalid',
        ...(parts === undefined || parts.version !== undefined
          ? (['signature_version'] as const)
          : []),
        ...(parts === undefined || parts.timestamp !== undefined
          ? (['timestamp_skew'] as const)
          : []),
        ...(parts === undefined || parts.nonce !== undefined
          ? (['nonce_invalid', 'nonce_replay'] as const)
          : []),
      ] as const) {
        need(r, `route "${route.id}" is signed`, ['routes', i, 'signing']);
      }
    }
  });
  for (const [kind, b] of Object.entries(profile.bindings ?? {})) {
    // A path parameter cannot be missing (the route would not match); a header can.
    if (b.from === 'header' && (b.required === 'always' || b.required === 'routes'))
      need('missing_binding', `binding "${kind}" can be required`, ['bindings', kind, 'required']);
    if (b.onMismatch !== 'ignore' && b.from !== 'key')
      need('binding_mismatch', `binding "${kind}" can name another ${kind}`, ['bindings', kind]);
  }
  for (const [id, t] of Object.entries(profile.tokens ?? {})) {
    need('token_expired', `token "${id}" expires`, ['tokens', id, 'lifetimeSeconds']);
    if (t.kind === 'jwt')
      need('token_invalid', `token "${id}" is a JWT`, ['tokens', id, 'algorithms']);
    if (t.kind === 'jwt' && (t.issue || t.refresh))
      need(
        'invalid_login',
        t.issue?.grant === 'client_credentials'
          ? `token "${id}" is issued to a client (a wrong client secret is invalid_client)`
          : `token "${id}" is issued for a login`,
        ['tokens', id],
      );
  }
  if (profile.lifecycle?.revoke)
    need('revoked_credential', 'keys can be revoked', ['lifecycle', 'revoke']);
  for (const [id, f] of Object.entries(profile.keyFormats ?? {})) {
    if (
      f.environment !== undefined &&
      profile.routes.some((r) =>
        Object.values(r.params ?? {}).some((p) => typeof p === 'object' && p.otherEnvironment),
      )
    ) {
      need(
        'wrong_environment',
        `key format "${id}" belongs to an environment and routes reach records of one`,
        ['keyFormats', id, 'environment'],
      );
    }
  }
  return out;
}
