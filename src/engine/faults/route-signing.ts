/** The route's request signing as the signing fault steps need it, or why they are N/A. */
import { DEFAULT_HOST } from '../../request/build-request.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import type { OutgoingRequest } from '../../request/outgoing-request.ts';
import type { SignableRequest } from '../../sign/signer.ts';
import { signingOf, schemeOf, type RouteSigning } from '../../sign/signers.ts';
import type { FaultContext } from './fault-step.ts';

/** The route's signing, or a MissingRoleError naming the part a fault needs and why it is N/A. */
export function requireSigning(
  ctx: Pick<FaultContext, 'profile' | 'route'>,
  part?: 'nonce' | 'version' | 'timestamp' | 'expires',
  what?: string,
): RouteSigning {
  const signing = signingOf(ctx.route);
  if (!signing) throw new MissingRoleError(`a signed route (${ctx.route.id} is not signed)`);
  if (part !== undefined && signing.parts[part] === undefined)
    throw new MissingRoleError(`${what ?? part} in the ${schemeOf(signing.config)} signing scheme`);
  return signing;
}

/** The request as the signer sees it: with the Host it is signed for (the target's, or the in-process default). */
export function signable(ctx: FaultContext, req: OutgoingRequest): SignableRequest {
  return { ...req, host: ctx.buildOptions.host ?? DEFAULT_HOST };
}

export function outgoing(req: SignableRequest): OutgoingRequest {
  const { host: _host, ...rest } = req;
  return rest;
}
