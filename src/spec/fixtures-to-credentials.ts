/**
 * Writes the credentials file for a fixtures world: what the mock hands the harness, so the
 * mock and a real target are driven through exactly the same roles.
 */
import type { Credentials, CredentialKey, HmacIdentity } from '../model/credentials.ts';
import type { Fixtures, FixtureKey } from '../model/fixtures.ts';
import type { Profile } from '../model/profile.ts';

export function fixturesToCredentials(fx: Fixtures, profile: Profile): Credentials {
  const keysById = new Map(fx.keys.map((k) => [k.id, k]));
  const toKey = (id: string): CredentialKey => credentialKey(keysById.get(id)!, profile);
  const out: Credentials = { profile: profile.id };

  const roleKeys = fx.roles.keys ?? {};
  const keys: NonNullable<Credentials['keys']> = {};
  for (const [role, id] of Object.entries(roleKeys)) {
    if (role === 'byType') {
      keys.byType = Object.fromEntries(
        Object.entries(id as Record<string, string>).map(([t, kid]) => [t, toKey(kid)]),
      );
    } else {
      (keys as Record<string, CredentialKey>)[role] = toKey(id as string);
    }
  }
  if (Object.keys(keys).length > 0) out.keys = keys;

  const hmacOf = (merchant: string | undefined): HmacIdentity | undefined => {
    const entry = fx.hmacSecrets?.find((h) => h.merchant === merchant);
    if (!entry) return undefined;
    const role = entry.key ? roleOfKey(roleKeys, entry.key) : undefined;
    return {
      merchant: entry.merchant,
      ...(entry.keyId !== undefined ? { keyId: entry.keyId } : {}),
      ...(entry.secret !== undefined ? { secret: entry.secret } : {}),
      ...(entry.privateKeyPem !== undefined ? { privateKeyPem: entry.privateKeyPem } : {}),
      ...(entry.publicKeyPem !== undefined ? { publicKeyPem: entry.publicKeyPem } : {}),
      ...(role ? { keyRole: role } : {}),
    };
  };
  const hmac = hmacOf(fx.roles.hmac);
  if (hmac) out.hmac = hmac;
  const other = hmacOf(fx.roles.otherMerchantHmac);
  if (other) out.otherMerchantHmac = other;

  const jwtKey = fx.jwtKeys?.find((k) => k.kid === fx.roles.jwt);
  if (jwtKey) {
    const token = profile.tokens?.[jwtKey.token];
    out.jwt = {
      token: jwtKey.token,
      alg: jwtKey.alg,
      kid: jwtKey.kid,
      ...(jwtKey.secret !== undefined ? { secret: jwtKey.secret } : {}),
      ...(jwtKey.privateKeyPem !== undefined ? { privateKeyPem: jwtKey.privateKeyPem } : {}),
      ...(jwtKey.publicKeyPem !== undefined ? { publicKeyPem: jwtKey.publicKeyPem } : {}),
      ...(token?.kind === 'jwt' && token.issuer !== undefined ? { issuer: token.issuer } : {}),
      ...(token?.kind === 'jwt' && token.audience !== undefined
        ? { audience: token.audience }
        : {}),
    };
  }
  const user = fx.users?.find((u) => u.id === fx.roles.login);
  if (user)
    out.login = {
      email: user.email,
      password: user.password,
      ...(user.tenant ? { tenant: user.tenant } : {}),
    };
  const client = fx.clients?.find((c) => c.id === fx.roles.client);
  if (client) out.client = { id: client.id, secret: client.secret };
  if (fx.roles.resources) out.resources = { ...fx.roles.resources };
  return out;
}

function credentialKey(k: FixtureKey, profile: Profile): CredentialKey {
  const fmt = profile.keyFormats?.[k.format];
  const out: CredentialKey = { value: k.value, id: k.id, format: k.format };
  if (fmt) out.type = fmt.type;
  if (fmt?.environment) out.environment = fmt.environment;
  for (const b of ['tenant', 'merchant', 'store', 'organization'] as const) {
    const v = k[b];
    if (v !== undefined) out[b] = v;
  }
  if (k.scopes) out.scopes = [...k.scopes];
  return out;
}

function roleOfKey(
  roleKeys: NonNullable<Fixtures['roles']['keys']>,
  keyId: string,
): string | undefined {
  for (const [role, id] of Object.entries(roleKeys))
    if (role !== 'byType' && id === keyId) return role;
  return undefined;
}
