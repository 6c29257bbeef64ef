/**
 * The denials a scenario accepts, first the one it states. A record of another party reached by
 * its id is answered as the profile's binding says (`otherRecords`): hidden (the default) is
 * not_found, as if it did not exist; denied is binding_mismatch for that binding. A scenario may
 * name one more denial the requirement also allows (`orDenial`: a malformed binding value refused
 * as malformed, or as naming another party than the key's).
 */
import { BINDING_KINDS, type BindingKind, type DenialReason } from '../model/profile.ts';
import type { ResolvedProfile } from '../model/resolved-profile.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { BINDING_OF_OTHER } from './jwt-party.ts';
import { signingById } from '../sign/signers.ts';

export interface ExpectedDenial {
  denial: DenialReason;
  binding?: BindingKind;
}

export function expectedDenials(profile: ResolvedProfile, scenario: Scenario): ExpectedDenial[] {
  const binding = scenario.expect.binding ? { binding: scenario.expect.binding } : {};
  const or = scenario.expect.orDenial;
  return [
    expectedDenial(profile, scenario),
    ...(or ? [{ denial: or, ...binding }] : []),
    ...keyIdBindings(profile, scenario),
  ];
}

/**
 * A signing key id that travels in a binding's header (LuxCore's X-Merchant-Id is the merchant
 * binding and the HMAC key id at once): a server may check the binding before the signature, so
 * naming an unknown key id may be refused as a binding mismatch as well as a bad signature.
 */
function keyIdBindings(profile: ResolvedProfile, scenario: Scenario): ExpectedDenial[] {
  if (!scenario.fault?.some((f) => 'wrongKeyId' in f)) return [];
  if (profile.denials.binding_mismatch === undefined) return [];
  const keyIdHeaders = Object.keys(profile.signing ?? {}).flatMap((id) => {
    const name = signingById(profile, id)?.parts.keyIdHeader;
    return name === undefined ? [] : [name.toLowerCase()];
  });
  return BINDING_KINDS.filter((kind) => {
    const b = profile.bindings?.[kind];
    return b?.from === 'header' && keyIdHeaders.includes((b.name ?? '').toLowerCase());
  }).map((kind) => ({ denial: 'binding_mismatch', binding: kind }));
}

export function expectedDenial(profile: ResolvedProfile, scenario: Scenario): ExpectedDenial {
  const stated = {
    denial: scenario.expect.denial!,
    ...(scenario.expect.binding ? { binding: scenario.expect.binding } : {}),
  };
  const step = scenario.fault?.find((f) => 'otherRecord' in f);
  if (!step || !('otherRecord' in step) || step.otherRecord === 'otherEnvironment') return stated;
  if (stated.denial !== 'not_found' && stated.denial !== 'binding_mismatch') return stated;
  const kind = BINDING_OF_OTHER[step.otherRecord];
  return profile.bindings?.[kind]?.otherRecords === 'denied'
    ? { denial: 'binding_mismatch', binding: kind }
    : { denial: 'not_found' };
}
