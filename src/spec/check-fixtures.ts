/**
 * What fixtures must agree on with their profile: every key matches its format's pattern, names
 * a format, scopes and parties that exist; every role points at something defined; every
 * resource a route's params name is provided.
 */
import { placeholderNames } from '../model/resource-placeholders.ts';
import type { Fixtures } from '../model/fixtures.ts';
import { BINDING_KINDS, type Profile } from '../model/profile.ts';
import { scopeVocabulary } from '../model/scope-vocabulary.ts';
import type { SpecProblem } from './spec-error.ts';
import type { PathSegment, YamlSource } from './yaml-source.ts';
import { anchored } from '../model/anchored-pattern.ts';

export function checkFixtures(fx: Fixtures, profile: Profile, source: YamlSource): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const at = (path: PathSegment[], message: string, key = false) =>
    problems.push(source.problem(path, message, { key }));
  const list = (xs: Iterable<string>) => [...xs].join(', ') || '(none)';

  if (fx.profile !== profile.id)
    at(['profile'], `fixtures name profile "${fx.profile}", loaded against "${profile.id}"`);

  const parties = {
    tenant: new Set((fx.tenants ?? []).map((p) => p.id)),
    merchant: new Set((fx.merchants ?? []).map((p) => p.id)),
    store: new Set((fx.stores ?? []).map((p) => p.id)),
    organization: new Set((fx.organizations ?? []).map((p) => p.id)),
  };
  const formats = profile.keyFormats ?? {};
  const vocabulary = scopeVocabulary(profile.scopes);
  const keyIds = new Set<string>();
  const values = new Set<string>();

  fx.keys.forEach((key, i) => {
    const here = (...rest: PathSegment[]) => ['keys', i, ...rest];
    if (keyIds.has(key.id)) at(here('id'), `duplicate key id "${key.id}"`);
    keyIds.add(key.id);
    if (values.has(key.value)) at(here('value'), 'the same key value is used twice');
    values.add(key.value);
    const fmt = formats[key.format];
    if (!fmt) {
      at(
        here('format'),
        `unknown key format "${key.format}"; the profile defines: ${list(Object.keys(formats))}`,
      );
    } else if (!anchored(fmt.pattern).test(key.value)) {
      const prefixHint = key.value.startsWith(fmt.prefix)
        ? ''
        : ` (it must start with "${fmt.prefix}")`;
      at(here('value'), `key does not match format "${key.format}" /${fmt.pattern}/${prefixHint}`);
    } else {
      for (const b of fmt.boundTo ?? []) {
        if (key[b] === undefined)
          at(here(), `a key of format "${key.format}" is bound to a ${b}; give its "${b}"`);
      }
    }
    key.scopes?.forEach((s, j) => {
      if (!vocabulary.has(s))
        at(
          here('scopes', j),
          `unknown scope "${s}"; the profile's vocabulary has: ${list(vocabulary)}`,
        );
    });
    for (const b of ['tenant', 'merchant', 'store', 'organization'] as const) {
      const v = key[b];
      if (v !== undefined && !parties[b].has(v))
        at(here(b), `unknown ${b} "${v}"; fixtures define: ${list(parties[b])}`);
    }
    if (key.status === 'revoked' && key.revokedAt === undefined)
      at(here('status'), 'a revoked key needs revokedAt');
  });

  const userIds = new Set((fx.users ?? []).map((u) => u.id));
  const kids = new Set((fx.jwtKeys ?? []).map((k) => k.kid));
  const hmacMerchants = new Set((fx.hmacSecrets ?? []).map((h) => h.merchant));
  const tokenIds = new Set(Object.keys(profile.tokens ?? {}));

  (fx.jwtKeys ?? []).forEach((k, i) => {
    if (!tokenIds.has(k.token))
      at(
        ['jwtKeys', i, 'token'],
        `unknown token "${k.token}"; the profile defines: ${list(tokenIds)}`,
      );
    if (
      k.alg.startsWith('HS')
        ? k.secret === undefined
        : k.privateKeyPem === undefined || k.publicKeyPem === undefined
    ) {
      at(
        ['jwtKeys', i],
        k.alg.startsWith('HS')
          ? `${k.alg} needs a secret`
          : `${k.alg} needs privateKeyPem and publicKeyPem`,
      );
    }
  });
  (fx.hmacSecrets ?? []).forEach((h, i) => {
    if (!parties.merchant.has(h.merchant))
      at(['hmacSecrets', i, 'merchant'], `unknown merchant "${h.merchant}"`);
    if (h.key !== undefined && !keyIds.has(h.key))
      at(['hmacSecrets', i, 'key'], `unknown key id "${h.key}"`);
  });

  const roleKeys = fx.roles.keys ?? {};
  for (const [role, id] of Object.entries(roleKeys)) {
    if (role === 'byType') {
      for (const [type, typedId] of Object.entries(id as Record<string, string>)) {
        if (!keyIds.has(typedId))
          at(['roles', 'keys', 'byType', type], `unknown key id "${typedId}"`);
      }
    } else if (!keyIds.has(id as string)) {
      at(['roles', 'keys', role], `unknown key id "${String(id)}"; keys defined: ${list(keyIds)}`);
    }
  }
  if (fx.roles.hmac !== undefined && !hmacMerchants.has(fx.roles.hmac))
    at(['roles', 'hmac'], `no hmacSecrets entry for merchant "${fx.roles.hmac}"`);
  if (fx.roles.otherMerchantHmac !== undefined && !hmacMerchants.has(fx.roles.otherMerchantHmac)) {
    at(
      ['roles', 'otherMerchantHmac'],
      `no hmacSecrets entry for merchant "${fx.roles.otherMerchantHmac}"`,
    );
  }
  if (fx.roles.jwt !== undefined && !kids.has(fx.roles.jwt))
    at(['roles', 'jwt'], `no jwtKeys entry with kid "${fx.roles.jwt}"`);
  if (fx.roles.login !== undefined && !userIds.has(fx.roles.login))
    at(['roles', 'login'], `no user with id "${fx.roles.login}"`);
  if (fx.roles.client !== undefined && !fx.clients?.some((c) => c.id === fx.roles.client))
    at(['roles', 'client'], `no clients entry with id "${fx.roles.client}"`);

  const resources = fx.roles.resources ?? {};
  profile.routes.forEach((route) => {
    for (const [param, ref] of Object.entries(route.params ?? {})) {
      const names = typeof ref === 'string' ? [ref] : Object.values(ref);
      for (const name of names) {
        if (!(name in resources)) {
          at(
            ['roles', 'resources'],
            `route "${route.id}" needs resource "${name}" for {${param}}; add it to roles.resources`,
            true,
          );
        }
      }
    }
    for (const name of placeholderNames(route.requestBody)) {
      if (!(name in resources) && !(BINDING_KINDS as readonly string[]).includes(name)) {
        at(
          ['roles', 'resources'],
          `route "${route.id}" sends resource "${name}" in its request body (\${${name}}); add it to roles.resources`,
          true,
        );
      }
    }
  });
  return dedupe(problems);
}

function dedupe(problems: SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
