/**
 * Every fault step of the scenario format, one module each. Adding a step is a file here, a line
 * below, and its shape in specs/schemas/scenario.schema.json ($defs/faultStep) and in
 * scenario-model.ts's FaultStep: the type below refuses a registry that misses a name of
 * FaultStep, and test/engine/faults/registry.test.ts one that disagrees with the schema.
 */
import type { FaultStep } from '../../scenario/scenario-model.ts';
import type { FaultStepDefinition, FaultStepName } from './fault-step.ts';
import { acceptedNonce } from './accepted-nonce.ts';
import { advanceClock } from './advance-clock.ts';
import { alterKey } from './alter-key.ts';
import { alterSignature } from './alter-signature.ts';
import { basic } from './basic.ts';
import { capRequest } from './cap-request.ts';
import { clientSecret } from './client-secret.ts';
import { exhaustRate } from './exhaust-rate.ts';
import { jwtValue } from './jwt-value.ts';
import { jwt } from './jwt.ts';
import { moveCredential } from './move-credential.ts';
import { nonce } from './nonce.ts';
import { otherRecord } from './other-record.ts';
import { removeHeader } from './remove-header.ts';
import { renameHeader } from './rename-header.ts';
import { repeat } from './repeat.ts';
import { replay } from './replay.ts';
import { schemeWord } from './scheme-word.ts';
import { sessionTokenScope } from './session-token-scope.ts';
import { setBody } from './set-body.ts';
import { setHeader } from './set-header.ts';
import { signTwinAt } from './sign-twin-at.ts';
import { signatureExpired } from './signature-expired.ts';
import { signatureVersion } from './signature-version.ts';
import { tamper } from './tamper.ts';
import { timestampEdge } from './timestamp-edge.ts';
import { timestampOffset } from './timestamp-offset.ts';
import { useKey } from './use-key.ts';
import { wrongKeyId } from './wrong-key-id.ts';

export const FAULT_STEPS: { [N in FaultStepName]: FaultStepDefinition<N> } = {
  acceptedNonce,
  advanceClock,
  alterKey,
  alterSignature,
  basic,
  capRequest,
  clientSecret,
  exhaustRate,
  jwtValue,
  jwt,
  moveCredential,
  nonce,
  otherRecord,
  removeHeader,
  renameHeader,
  repeat,
  replay,
  schemeWord,
  sessionTokenScope,
  setBody,
  setHeader,
  signTwinAt,
  signatureExpired,
  signatureVersion,
  tamper,
  timestampEdge,
  timestampOffset,
  useKey,
  wrongKeyId,
};

/** A step of a scenario with its definition. */
export interface StepUse {
  step: FaultStep;
  definition: FaultStepDefinition<FaultStepName, FaultStep>;
}

/** The definition of each step, in the scenario's order. */
export function stepUses(fault: readonly FaultStep[] | undefined): StepUse[] {
  return (fault ?? []).map((step) => ({ step, definition: definitionOf(step) }));
}

/** Whether a step of the fault says so of itself (it moves the clock, spends the rate window...). */
export function faultHas(
  fault: readonly FaultStep[] | undefined,
  flag: 'sendsAcceptedRequest' | 'keepsTwinRecord' | 'movesClock' | 'spendsRateWindow',
): boolean {
  return stepUses(fault).some(({ definition }) => definition[flag] === true);
}

function definitionOf(step: FaultStep): FaultStepDefinition<FaultStepName, FaultStep> {
  const name = Object.keys(step).find((k): k is FaultStepName => Object.hasOwn(FAULT_STEPS, k));
  if (name === undefined)
    throw new Error(`a fault step of no known kind: ${JSON.stringify(Object.keys(step))}`);
  // Each definition takes the step of its own name; this is the one place the name is looked up.
  return FAULT_STEPS[name] as unknown as FaultStepDefinition<FaultStepName, FaultStep>;
}
