/**
 * The denial a scenario expects. A record of another party reached by its id is answered as the
 * profile's binding says (`otherRecords`): hidden (the default) is not_found, as if it did not
 * exist; denied is binding_mismatch for that binding. Every other scenario expects what it states.
 */
import type { BindingKind, DenialReason, Profile } from '../model/profile.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { BINDING_OF_OTHER } from './jwt-party.ts';

export function expectedDenial(
  profile: Profile,
  scenario: Scenario,
): { denial: DenialReason; binding?: BindingKind } {
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
