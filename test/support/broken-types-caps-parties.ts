/**
 * Single-fault servers for requirements read off profile data rather than a family's fixed
 * pair: every key type a route leaves out, the caps a route puts on a requested value, and
 * logged-in users (bearer JWTs) held to the tenant, merchant or store their claims name.
 * Part of the teeth corpus (BROKEN_CORPUS): each must be caught by the scenarios it lists.
 */
import { importSPKI, jwtVerify, type JWTPayload } from 'jose';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';
import { mintJwt } from '../../src/request/mint-jwt.ts';
import { anchored } from '../../src/model/anchored-pattern.ts';
import {
  bearerOf,
  header,
  setHeader,
  swapValue,
  type BrokenContext,
  type BrokenServer,
} from './broken-targets.ts';

/**
 * The request with its bearer JWT re-signed with some claims changed, when the token verifies:
 * what a server that never compares those claims acts on. A token that does not verify is left
 * alone (the broken server still checks signatures, expiry, issuer and audience).
 */
async function jwtWithClaims(
  req: OutgoingRequest,
  ctx: BrokenContext,
  change: (claims: JWTPayload) => JWTPayload | undefined,
): Promise<OutgoingRequest> {
  const token = bearerOf(req);
  const material = ctx.creds.jwt;
  if (!token || !material) return req;
  let claims: JWTPayload;
  try {
    const alg = material.alg ?? 'HS256';
    const key = alg.startsWith('HS')
      ? new TextEncoder().encode(material.secret ?? '')
      : await importSPKI(material.publicKeyPem ?? '', alg);
    ({ payload: claims } = await jwtVerify(token, key, {
      algorithms: [alg],
      currentDate: new Date(ctx.clock.now()),
      ...(material.issuer !== undefined ? { issuer: material.issuer } : {}),
      ...(material.audience !== undefined ? { audience: material.audience } : {}),
    }));
  } catch {
    return req;
  }
  const changed = change(claims);
  if (!changed) return req;
  const { iat: _iat, exp: _exp, nbf: _nbf, iss: _iss, aud: _aud, ...rest } = changed;
  const fresh = await mintJwt(material, {
    nowSeconds: Math.floor(ctx.clock.now() / 1000),
    lifetimeSeconds: 600,
    claims: rest,
  });
  return swapValue(req, token, fresh);
}

/** A binding header outside its pattern set to `fallback`: what a lenient server acts on. */
function malformedBindingReplaced(
  req: OutgoingRequest,
  ctx: BrokenContext,
  kind: 'tenant' | 'merchant',
  fallback: string,
): OutgoingRequest {
  const b = ctx.profile.bindings?.[kind];
  const sent = b?.name ? header(req, b.name) : undefined;
  if (!b?.pattern || sent === undefined || anchored(b.pattern).test(sent)) return req;
  return setHeader(req, b.name!, fallback);
}

/** The path segment after `prefix` (a merchant id, a store id), decoded. */
function pathIdAfter(req: OutgoingRequest, prefix: string): string | undefined {
  const path = req.pathWithQuery.split('?')[0]!;
  if (!path.startsWith(prefix)) return undefined;
  const id = path.slice(prefix.length).split('/')[0];
  return id ? decodeURIComponent(id) : undefined;
}

export const TYPES_CAPS_PARTIES: readonly BrokenServer[] = [
  // Key types: every (route, key type) pair the profile declares, not only the two famous ones.
  {
    name: 'organization key accepted on system routes',
    profile: 'gateway',
    models:
      'the system routes guarded by "is this a valid key of ours" only: an organization key provisions organizations',
    caughtBy: ['key-type-refused-where-excluded'],
    mutateProfile: (p) =>
      p.routes
        .filter((r) => r.keyTypes?.includes('system'))
        .forEach((r) => r.keyTypes!.push('organization')),
  },
  {
    name: 'standard (reporting) key accepted for payment operations',
    profile: 'auxvault',
    models:
      'a key-type guard written for ERP and processing keys that lets every other prefix through',
    caughtBy: ['key-type-refused-where-excluded'],
    mutateProfile: (p) =>
      p.routes.filter((r) => r.keyTypes).forEach((r) => r.keyTypes!.push('standard')),
  },

  // Caps: a value the API holds at a policy limit.
  {
    name: 'portal link TTL not capped',
    profile: 'gateway',
    models:
      'ttlMinutes taken from the request as given (default 15 when absent): a client extends a link beyond platform policy',
    caughtBy: ['cap-holds-value-above-max'],
    mutateProfile: (p) =>
      p.routes.forEach((r) => r.caps?.forEach((c) => (c.max = Number.MAX_SAFE_INTEGER))),
  },
  {
    name: 'requested portal link TTL ignored',
    profile: 'gateway',
    models:
      'the handler never reads ttlMinutes: every link lives the system TTL, a shorter one asked for or not',
    caughtBy: ['cap-passes-value-up-to-max'],
    rewrite: (req) => {
      if (!req.pathWithQuery.startsWith('/api/v1/portal/magic-links') || req.body === undefined)
        return req;
      try {
        const { ttlMinutes: _ignored, ...rest } = JSON.parse(req.body) as Record<string, unknown>;
        return { ...req, body: JSON.stringify(rest) };
      } catch {
        return req;
      }
    },
  },

  {
    name: 'portal link TTL defaulted past the cap',
    profile: 'gateway',
    models:
      'ttlMinutes ?? 60 when absent: the cap applied only to values sent, the hard-coded default outlives platform policy',
    caughtBy: ['cap-default-when-absent'],
    mutateProfile: (p) => p.routes.forEach((r) => r.caps?.forEach((c) => (c.default = 4 * c.max))),
  },

  // Binding headers with a stated format.
  {
    name: "unreadable X-Tenant-ID replaced by the key's tenant",
    profile: 'auxvault',
    models:
      "a lenient tenant middleware: a header it cannot parse is dropped and the key's own tenant used",
    caughtBy: ['tenant-header-malformed'],
    rewrite: (req, creds, ctx) =>
      malformedBindingReplaced(req, ctx, 'tenant', creds.keys!.valid!.tenant!),
  },
  {
    name: 'unreadable X-Merchant-ID replaced by a default merchant',
    profile: 'auxvault',
    models:
      "a merchant header it cannot parse falls back to the tenant's first merchant instead of a 400",
    caughtBy: ['merchant-header-malformed'],
    rewrite: (req, creds, ctx) =>
      malformedBindingReplaced(req, ctx, 'merchant', creds.resources!['merchant']!),
  },

  // Every place a credential is documented to travel.
  {
    name: 'API key read from the header only',
    profile: 'auxvault',
    models:
      "req.headers['x-api-key'] only, though the missing-key message promises the request body too",
    caughtBy: ['api-key-accepted-in-body'],
    mutateProfile: (p) => delete p.credentials['apiKey']!.alsoIn,
  },

  // Token claims the profile states: issuer and audience.
  {
    name: 'JWT issuer never checked',
    profile: 'vesuviopay',
    models:
      'jwt.verify(token, publicKey, { algorithms }) with no issuer option: any issuer signing with a trusted key passes',
    caughtBy: ['jwt-wrong-issuer'],
    mutateProfile: (p) => delete (p.tokens!['customer'] as { issuer?: string }).issuer,
  },
  {
    name: 'JWT audience never checked',
    profile: 'vesuviopay',
    models:
      'a token minted for another service of the same issuer accepted: no audience option on verify',
    caughtBy: ['jwt-wrong-audience'],
    mutateProfile: (p) => delete (p.tokens!['customer'] as { audience?: string }).audience,
  },

  // Logged-in users are bound like keys.
  {
    name: 'merchant user reads any merchant',
    profile: 'auxvault',
    models:
      "GET /merchants/:id loading the merchant by id with the tenant check only, never the user's merchantId",
    caughtBy: ['other-merchant-record-jwt'],
    rewrite: (req, _creds, ctx) => {
      const merchant = pathIdAfter(req, '/api/v1/merchants/');
      if (merchant === undefined) return req;
      return jwtWithClaims(req, ctx, (c) =>
        typeof c['merchantId'] === 'string' && c['merchantId'] !== merchant
          ? { ...c, merchantId: merchant }
          : undefined,
      );
    },
  },
  {
    name: "token's tenant never compared with X-Tenant-ID",
    profile: 'auxvault',
    models:
      'the JWT guard verifies the signature and the tenant middleware reads the header, and nobody compares the two',
    caughtBy: ['jwt-of-other-tenant'],
    rewrite: (req, _creds, ctx) => {
      const tenant = header(req, 'x-tenant-id');
      if (tenant === undefined) return req;
      return jwtWithClaims(req, ctx, (c) =>
        typeof c['tenant'] === 'string' && c['tenant'] !== tenant ? { ...c, tenant } : undefined,
      );
    },
  },
  {
    name: 'customer JWT of another store accepted on the cart',
    profile: 'vesuviopay',
    models:
      "the cart checks the API key's store against the path and takes the customer from the token's sub, never its storeId",
    caughtBy: ['jwt-of-other-store'],
    rewrite: (req, _creds, ctx) => {
      const store = pathIdAfter(req, '/api/v1/sdk/cart/');
      if (store === undefined) return req;
      return jwtWithClaims(req, ctx, (c) =>
        typeof c['storeId'] === 'string' && c['storeId'] !== store
          ? { ...c, storeId: store }
          : undefined,
      );
    },
  },
];
