/**
 * Loads a credentials file (YAML or JSON: JSON is YAML). Keys must match a format of the
 * profile: a typo in a provisioned key is caught before a single request is sent.
 */
import type { CredentialKey, Credentials } from '../model/credentials.ts';
import { scopeVocabulary } from '../model/scope-vocabulary.ts';
import type { Profile } from '../model/profile.ts';
import { SpecError, type SpecProblem } from './spec-error.ts';
import { readYamlSource, type PathSegment, type YamlSource } from './yaml-source.ts';
import { schemaRegistry, type SchemaRegistry } from './schema-registry.ts';
import { ajvProblems } from './ajv-problems.ts';
import { maskSecret } from '../secrets/mask.ts';
import { anchored } from '../model/anchored-pattern.ts';

/**
 * Loads a credentials file (YAML or JSON) for `profile`: validated against the credentials
 * schema, and each key checked against the profile's key formats, so a typo in a provisioned key
 * is caught before a request is sent. `verify({ credentials: path })` calls it for you.
 *
 * Throws `SpecError` with each problem at its file:line:col (a key shown masked).
 *
 * @example
 * ```ts
 * import { loadCredentials, resolveProfile, verify } from 'authconform';
 *
 * const luxcore = resolveProfile('luxcore');
 * const credentials = loadCredentials('credentials.yaml', luxcore.profile);
 * await verify({ profile: luxcore, target: 'https://staging.example.test', credentials });
 * ```
 */
export function loadCredentials(
  absPath: string,
  profile: Profile,
  registry: SchemaRegistry = schemaRegistry(),
): Credentials {
  return validateCredentialsSource(readYamlSource(absPath), profile, registry);
}

export function validateCredentialsSource(
  source: YamlSource,
  profile: Profile,
  registry: SchemaRegistry = schemaRegistry(),
): Credentials {
  const validate = registry.validator('credentials.schema.json');
  if (!validate(source.data))
    throw new SpecError(
      ajvProblems(source, validate.errors ?? [], source.data, { maskValues: true }),
    );
  const creds = source.data as Credentials;
  const problems: SpecProblem[] = [];
  const at = (path: PathSegment[], message: string) => problems.push(source.problem(path, message));
  if (creds.profile !== profile.id)
    at(
      ['profile'],
      `credentials are for profile "${creds.profile}", the run is for "${profile.id}"`,
    );
  const formats = Object.entries(profile.keyFormats ?? {});
  const check = (path: PathSegment[], value: string, format: string | undefined) => {
    const candidates = format ? formats.filter(([id]) => id === format) : formats;
    if (format && candidates.length === 0) {
      at([...path, 'format'], `unknown key format "${format}"`);
      return;
    }
    if (candidates.length > 0 && !candidates.some(([, f]) => anchored(f.pattern).test(value))) {
      at(
        [...path, 'value'],
        `key ${maskSecret(value)} matches no key format of profile "${profile.id}"${format ? ` (expected format "${format}")` : ''}`,
      );
    }
  };
  for (const [role, key] of Object.entries(creds.keys ?? {})) {
    if (role === 'byType') {
      for (const [type, k] of Object.entries(
        key as Record<string, { value: string; format?: string }>,
      )) {
        check(['keys', 'byType', type], k.value, k.format);
      }
    } else {
      const k = key as { value: string; format?: string };
      check(['keys', role], k.value, k.format);
    }
  }
  const vocabulary = scopeVocabulary(profile.scopes);
  const keyRoles = Object.keys(creds.keys ?? {}).filter((r) => r !== 'byType');
  for (const role of ['scopeLimited', 'wildcard'] as const) {
    if (creds.keys?.[role] && creds.keys[role].scopes === undefined) {
      at(
        ['keys', role],
        `a ${role} key needs its "scopes": scope-denial scenarios call routes outside them`,
      );
    }
  }
  for (const [role, key] of Object.entries(creds.keys ?? {})) {
    const entries =
      role === 'byType'
        ? Object.entries(key as Record<string, CredentialKey>).map(
            ([t, k]) => [['keys', 'byType', t], k] as const,
          )
        : [[['keys', role], key as CredentialKey] as const];
    for (const [path, k] of entries) {
      k.scopes?.forEach((scope, i) => {
        if (vocabulary.size > 0 && !vocabulary.has(scope))
          at(
            [...path, 'scopes', i],
            `unknown scope "${scope}"; the profile's vocabulary has: ${[...vocabulary].join(', ')}`,
          );
      });
    }
  }
  for (const which of ['hmac', 'otherMerchantHmac'] as const) {
    const role = creds[which]?.keyRole;
    if (role !== undefined && !keyRoles.includes(role))
      at(
        [which, 'keyRole'],
        `no key role "${role}" in keys; roles given: ${keyRoles.join(', ') || '(none)'}`,
      );
  }
  if (problems.length > 0) throw new SpecError(problems);
  return creds;
}

export type { YamlSource };
