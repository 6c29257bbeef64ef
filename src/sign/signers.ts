/**
 * The signers a profile can name: the built-in schemes by `scheme`, and a user's module by path
 * (`scheme: module`, `module: ./my-signer.ts`, loaded once when the profile is loaded). Every
 * caller reaches a route's signing through `signingOf`, so the engine and the mock never
 * know which scheme they run.
 */
import type { Profile, Signing } from '../model/profile.ts';
import { hmacSigner } from './schemes/hmac.ts';
import { sigv4Signer } from './schemes/sigv4.ts';
import { hawkSigner } from './schemes/hawk.ts';
import { rfc9421Signer } from './schemes/rfc9421.ts';
import type { Signer, SignerParts } from './signer.ts';

const BUILT_IN: Record<string, Signer<never>> = {
  hmac: hmacSigner as Signer<never>,
  sigv4: sigv4Signer as Signer<never>,
  hawk: hawkSigner as Signer<never>,
  rfc9421: rfc9421Signer as Signer<never>,
};

/** Signers of user modules, by the signing entry that names them (see load-signer-module.ts). */
const moduleSigners = new WeakMap<object, Signer<never>>();

export function builtInSchemes(): string[] {
  return Object.keys(BUILT_IN);
}

/** Attaches a loaded user module's signer to the signing entry that named it. */
export function attachModuleSigner(config: Signing, signer: Signer<never>): void {
  moduleSigners.set(config, signer);
}

/** The scheme name of a signing entry (an entry without one is the header HMAC scheme). */
export function schemeOf(config: Signing): string {
  return config.scheme ?? 'hmac';
}

export function signerOf(config: Signing): Signer<never> {
  const fromModule = moduleSigners.get(config);
  if (fromModule) return fromModule;
  const scheme = schemeOf(config);
  const signer = BUILT_IN[scheme];
  if (signer === undefined) {
    throw new Error(
      scheme === 'module'
        ? `the signer module ${JSON.stringify((config as { module?: string }).module)} was not loaded with its profile`
        : `unknown signing scheme "${scheme}"; built in: ${Object.keys(BUILT_IN).join(', ')}`,
    );
  }
  return signer;
}

/** A route's signing: its entry, its signer and what the scheme has. */
export interface RouteSigning {
  id: string;
  config: Signing;
  signer: Signer<unknown>;
  parts: SignerParts;
}

export function signingById(profile: Profile, id: string): RouteSigning | undefined {
  const config = profile.signing?.[id];
  if (config === undefined) return undefined;
  const signer = signerOf(config) as Signer<unknown>;
  // Not cached: parts are cheap, and a test's profile may be changed in place.
  return { id, config, signer, parts: signer.parts(config) };
}

/**
 * The signing of a resolved route (src/model/resolved-profile.ts), which carries its entry: no id
 * to look up. Its parts are read from the entry at each call, as it stands.
 */
export function signingOf(route: {
  signedWith?: { id: string; config: Signing };
}): RouteSigning | undefined {
  if (route.signedWith === undefined) return undefined;
  const { id, config } = route.signedWith;
  const signer = signerOf(config) as Signer<unknown>;
  return { id, config, signer, parts: signer.parts(config) };
}

/** The largest accepted skew in whole seconds: skew, or skew-1 for an exclusive boundary. */
export function windowSeconds(t: NonNullable<SignerParts['timestamp']>): number {
  return t.boundary === 'exclusive' ? t.skewSeconds - 1 : t.skewSeconds;
}
