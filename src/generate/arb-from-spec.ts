/** A scenario's named draw, as a fast-check arbitrary. */
import fc from 'fast-check';
import type { Credentials } from '../model/credentials.ts';
import { bindingOf, type ResolvedProfile, type ResolvedRoute } from '../model/resolved-profile.ts';
import type { ArbitrarySpec } from '../scenario/scenario-model.ts';
import { arbNonce, type NonceParts } from './arb-nonce.ts';
import { signingOf, windowSeconds } from '../sign/signers.ts';
import { arbHeaderCase } from './arb-header-case.ts';
import { arbMalformedJwt } from './arb-malformed-jwt.ts';
import { routeSchemeWord } from '../request/authorization-scheme.ts';
import { headerName } from '../request/header-reference.ts';
import { deniedKeyRoles } from '../scenario/denied-key-roles.ts';
import { arbCapRequest } from './arb-cap-request.ts';
import { arbOutsidePattern } from './arb-outside-pattern.ts';

export function arbFromSpec(
  spec: ArbitrarySpec,
  profile: ResolvedProfile,
  route: ResolvedRoute,
  creds: Credentials = { profile: profile.id },
): fc.Arbitrary<unknown> {
  switch (spec.arb) {
    case 'integer':
      return fc.integer({
        min: resolveNumber(spec.min, profile, route),
        max: resolveNumber(spec.max, profile, route),
      });
    case 'oneOf':
      return fc.constantFrom(
        ...spec.values.map((v) =>
          typeof v === 'string' && v.startsWith('=') ? resolveNumber(v, profile, route) : v,
        ),
      );
    case 'nonce':
      return arbNonce(signedNonce(profile, route), spec.length, spec.chars);
    case 'headerCase':
      return arbHeaderCase(headerName(profile, route, spec.header));
    case 'malformedJwt':
      return arbMalformedJwt();
    case 'schemeCase':
      return arbHeaderCase(routeSchemeWord(route));
    case 'outsidePattern':
      return arbOutsidePattern(bindingOf(profile, spec.binding).pattern!);
    case 'capRequest':
      return arbCapRequest(route, spec.range);
    case 'deniedKeyRole':
      return fc.constantFrom(...deniedKeyRoles(profile, creds, route));
  }
}

/**
 * A number, or an expression over the route's signing window: "=skew", "=window" (the largest
 * accepted skew: skew, or skew-1 for an exclusive boundary), "=-window", "=window+1", "=3*skew". Keeps windows in scenario YAML relative to each profile's own.
 */
function resolveNumber(v: number | string, profile: ResolvedProfile, route: ResolvedRoute): number {
  if (typeof v === 'number') return v;
  const ts = signingOf(route)?.parts.timestamp;
  const skew = ts?.skewSeconds ?? 0;
  const window = ts ? windowSeconds(ts) : 0;
  const m = /^=(-)?(?:(\d+)\*)?(skew|window)([+-]\d+)?$/.exec(v);
  if (!m) throw new Error(`cannot read number expression ${JSON.stringify(v)}`);
  // The sign belongs to the window term only: "=-window-2" is -(window) - 2.
  const term = (m[2] ? Number(m[2]) : 1) * (m[3] === 'skew' ? skew : window);
  return (m[1] ? -term : term) + Number(m[4] ?? 0);
}

/** The route's nonce bounds; a nonce drawn for a route whose scheme has none is N/A. */
function signedNonce(profile: ResolvedProfile, route: ResolvedRoute): NonceParts {
  const s = signingOf(route);
  if (!s?.parts.nonce) throw new Error(`route ${route.id}'s signing has no nonce to draw`);
  return s.parts.nonce;
}
