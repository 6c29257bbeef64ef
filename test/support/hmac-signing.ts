/** A profile's header-HMAC signing entry, typed as such (the built-in HMAC profiles' `v1`). */
import type { HmacSigning, Profile } from '../../src/model/profile.ts';

export type HeaderHmac = HmacSigning & {
  nonce: NonNullable<HmacSigning['nonce']>;
  headers: Required<HmacSigning['headers']>;
  version: string;
};

export function hmacSigning(profile: Profile, id = 'v1'): HeaderHmac {
  const s = profile.signing?.[id];
  if (s === undefined || (s.scheme ?? 'hmac') !== 'hmac')
    throw new Error(`profile ${profile.id} has no header HMAC signing "${id}"`);
  return s as HeaderHmac;
}
