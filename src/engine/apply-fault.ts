/**
 * Turns a scenario's fault steps into the faulty request. Each step is a module of faults/ (the
 * registry lists them): rebuild steps (another key, a skewed timestamp, a chosen nonce, a faulty
 * JWT, another record) change how the request is built and it is signed afresh; edit steps
 * (remove/rename/set a header, tamper, a wrong signature) change it after signing. A step that
 * sends the accepted request itself (`replay`) leaves nothing for the others to change.
 */
import { buildRequest, type BuildOptions } from '../request/build-request.ts';
import type { OutgoingRequest } from '../request/outgoing-request.ts';
import type { FaultStep } from '../scenario/scenario-model.ts';
import type { FaultContext } from './faults/fault-step.ts';
import { stepUses } from './faults/registry.ts';

export async function applyFault(
  ctx: FaultContext,
  steps: readonly FaultStep[],
): Promise<OutgoingRequest> {
  const uses = stepUses(steps);
  if (uses.some(({ definition }) => definition.sendsAcceptedRequest))
    return structuredClone(ctx.positive);
  const opts: BuildOptions = {
    ...ctx.buildOptions,
    tokens: { ...(ctx.buildOptions.tokens ?? {}) },
  };
  for (const { step, definition } of uses) await definition.rebuild?.(ctx, opts, step);
  let req = await buildRequest(ctx.profile, ctx.creds, ctx.route, opts);
  for (const { step, definition } of uses)
    if (definition.edit) req = definition.edit(ctx, req, step, opts);
  return req;
}
