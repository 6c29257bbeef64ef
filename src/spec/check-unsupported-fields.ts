/**
 * Profile fields that state a requirement no scenario tests yet are refused at load (validate),
 * at the field, so a profile never claims something that would pass unchecked. Every field of
 * the profile format and what reads it is listed in docs/profile-fields.md.
 */
import type { Profile } from '../model/profile.ts';
import type { PathSegment } from './yaml-source.ts';

export function checkUnsupportedFields(
  profile: Profile,
  at: (path: PathSegment[], message: string) => void,
): void {
  profile.routes.forEach((route, i) => {
    for (const [param, ref] of Object.entries(route.params ?? {})) {
      if (typeof ref === 'object' && ref.otherTenant !== undefined) {
        at(
          ['routes', i, 'params', param, 'otherTenant'],
          `unsupported: no scenario reaches another tenant's record by its id yet (tenants are tested by key and header: other-tenant-key), so this would pass unchecked; see docs/profile-fields.md`,
        );
      }
    }
    if (route.environment === 'live' || route.environment === 'test') {
      at(
        ['routes', i, 'environment'],
        `unsupported: environment "${route.environment}" (a route fixed to one environment) drives no scenario, so a key of the other environment there would pass unchecked; omit it (the data reached is the key's environment) or see docs/profile-fields.md`,
      );
    }
  });
  for (const [id, limit] of Object.entries(profile.rateLimits ?? {})) {
    if (limit.per !== 'key') {
      at(
        ['rateLimits', id, 'per'],
        `unsupported: per "${limit.per}"; only limits counted per key are tested (rate-window-per-key), so counting per ${limit.per} would pass unchecked; see docs/profile-fields.md`,
      );
    }
  }
  for (const [id, signing] of Object.entries(profile.signing ?? {})) {
    if (signing.secretRole !== undefined && signing.secretRole !== 'hmac') {
      at(
        ['signing', id, 'secretRole'],
        `unsupported: secretRole "${signing.secretRole}"; the harness signs with the credentials' hmac role only`,
      );
    }
  }
}
