/**
 * What a profile (with its credentials) can be tested for, read off the data: a scenario
 * applies where all its required capabilities hold. A capability whose credentials role is
 * missing is reported separately, so the scenario is SKIPPED with that reason, never passed.
 */
import type { Credentials } from '../model/credentials.ts';
import type { ResolvedProfile } from '../model/resolved-profile.ts';
import type { Capability } from './scenario-model.ts';
import { signingById } from '../sign/signers.ts';

/** Capabilities of the profile alone. */
export function profileCapabilities(p: ResolvedProfile): Set<Capability> {
  const out = new Set<Capability>();
  const kinds = new Set(Object.values(p.credentials).map((c) => c.kind));
  const formats = Object.values(p.keyFormats ?? {});
  if (kinds.has('api_key')) out.add('api-key');
  if (kinds.has('jwt')) out.add('bearer-jwt');
  // Forged tokens (expired, another alg, no scope...) are minted by the harness: a credentials
  // role only (missingRoleFor), so a target that trusts only its own identity provider SKIPs them.
  out.add('jwt-minting');
  if (kinds.has('session_token')) out.add('session-tokens');
  if (kinds.has('basic')) out.add('basic-auth');
  if (Object.values(p.credentials).some((c) => c.in === 'authorization'))
    out.add('authorization-scheme');
  const jwtAlgs = Object.values(p.tokens ?? {}).flatMap((t) =>
    t.kind === 'jwt' ? t.algorithms : [],
  );
  if (jwtAlgs.length > 0 && jwtAlgs.every((a) => !a.startsWith('HS'))) out.add('asymmetric-jwt');
  if (p.bindings?.tenant?.from === 'header') out.add('tenant-header');
  if (p.bindings?.merchant?.from === 'header') out.add('merchant-header');
  if (p.bindings?.store?.from === 'path') out.add('store-path');
  if (
    p.bindings?.organization &&
    (p.bindings.organization.from === 'key' || p.bindings.organization.onMismatch === 'ignore')
  ) {
    out.add('organization-from-key');
  }
  if (p.routes.some((r) => r.scope !== undefined)) out.add('scopes');
  if (Object.keys(p.scopes?.aliases ?? {}).length > 0) out.add('scope-aliases');
  if (p.scopes?.wildcard !== undefined) out.add('scope-wildcards');
  if (p.routes.some((r) => r.keyTypes !== undefined)) out.add('key-types');
  if (formats.some((f) => f.environment !== undefined)) out.add('environments');
  if (p.denials.revoked_credential !== undefined) out.add('revoked-key');
  if (p.denials.record_used_up !== undefined) out.add('used-up-records');
  if (p.denials.expired_credential !== undefined) out.add('expired-key');
  if (formats.some((f) => f.type === 'publishable')) out.add('publishable-key');
  if (p.routes.some((r) => r.signing !== undefined)) out.add('signing');
  const nonces = Object.keys(p.signing ?? {}).map((id) => signingById(p, id)?.parts.nonce);
  if (nonces.some((n) => n?.pattern !== undefined)) out.add('nonce-pattern');
  // A nonce spent by one key is spent for the merchant's other keys too (or for everyone): only
  // where an API key travels beside the signature. Where the signature is the credential (Hawk,
  // SigV4 on a public route) the signer has no other key to send it with.
  const keyBesideSignature = p.routes.some(
    (r) => r.signing !== undefined && r.credentials.some((c) => c.kind === 'api_key'),
  );
  if (keyBesideSignature && nonces.some((n) => n !== undefined && n.scope !== 'key'))
    out.add('nonce-shared-across-keys');
  if (p.routes.some((r) => r.rateClass !== undefined)) out.add('rate-limits');
  if (formats.some((f) => f.boundTo?.includes('tenant'))) out.add('other-tenant-key');
  if (formats.some((f) => f.boundTo?.includes('merchant'))) out.add('other-merchant-key');
  if (formats.some((f) => f.boundTo?.includes('store'))) out.add('other-store-key');
  if (formats.some((f) => f.boundTo?.includes('organization'))) out.add('other-organization-key');
  const lc = p.lifecycle;
  if (lc?.create && (lc.revoke || lc.rotate || lc.delete)) out.add('key-lifecycle');
  if (Object.values(p.tokens ?? {}).some((t) => t.kind === 'jwt' && t.issue && t.refresh))
    out.add('token-refresh');
  if (p.routes.some((r) => r.caps?.some((c) => c.at !== undefined))) out.add('capped-fields');
  if (Object.values(p.tokens ?? {}).some((t) => t.kind === 'jwt' && t.issue?.grant !== undefined))
    out.add('client-credentials');
  return out;
}

/** The credentials role a capability's scenarios need, if any: absent means SKIP. */
export function missingRoleFor(cap: Capability, creds: Credentials): string | undefined {
  const k = creds.keys ?? {};
  const need: Partial<Record<Capability, [boolean, string]>> = {
    'revoked-key': [!!k.revoked, 'keys.revoked'],
    'expired-key': [!!k.expired, 'keys.expired'],
    'other-tenant-key': [!!k.otherTenant, 'keys.otherTenant'],
    'other-merchant-key': [!!k.otherMerchant, 'keys.otherMerchant'],
    'other-store-key': [!!k.otherStore, 'keys.otherStore'],
    'other-organization-key': [
      !!k.otherOrganization || !!creds.resources?.['otherOrganization'],
      'resources.otherOrganization',
    ],
    'publishable-key': [!!k.publishable, 'keys.publishable'],
    'scope-wildcards': [!!k.wildcard, 'keys.wildcard (a key holding a resource:* scope)'],
    'token-refresh': [!!creds.login, 'login (an e-mail and password to log in with)'],
    signing: [!!creds.hmac, 'hmac'],
    'nonce-shared-across-keys': [
      !!k.sameMerchant,
      'keys.sameMerchant (a second key of the HMAC merchant)',
    ],
    // A token to send: minted from the jwt role, or obtained from the profile's issue route (a
    // login, or a client-credentials grant).
    'bearer-jwt': [
      !!creds.jwt || !!creds.login || !!creds.client,
      'jwt (signing material), or login or client (to obtain a token)',
    ],
    'client-credentials': [!!creds.client, 'client (an OAuth client id and secret)'],
    'jwt-minting': [
      creds.jwt?.secret !== undefined || creds.jwt?.privateKeyPem !== undefined,
      'jwt.secret or jwt.privateKeyPem (signing material): the scenario mints its own token; a target that trusts only its own identity provider is given a login or an OAuth client to obtain valid tokens, and this requirement cannot be tested with a token it issued',
    ],
    'basic-auth': [k.valid?.id !== undefined, "keys.valid.id (the valid key's Basic id)"],
  };
  const entry = need[cap];
  return entry && !entry[0] ? entry[1] : undefined;
}
