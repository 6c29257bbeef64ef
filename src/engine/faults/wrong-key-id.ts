/** `wrongKeyId`: sign naming a key id the target does not hold: the signing key's own id with its last character changed. */
import { signingKeyOf } from '../../request/build-request.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { faultStep, type FaultContext } from './fault-step.ts';
import { requireSigning } from './route-signing.ts';

export const wrongKeyId = faultStep({
  name: 'wrongKeyId',
  rebuild(ctx, opts) {
    opts.signControls = { ...opts.signControls, keyIdAs: otherKeyId(ctx) };
  },
});

function otherKeyId(ctx: FaultContext): string {
  const signing = requireSigning(ctx);
  if (!signing.parts.keyId) throw new MissingRoleError('a key id in the signing scheme');
  const id = signingKeyOf(ctx.creds).keyId;
  const last = id.at(-1)!;
  const pool = /[0-9]/.test(last)
    ? '0123456789'
    : /[A-Z]/.test(last)
      ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
      : 'abcdefghijklmnopqrstuvwxyz';
  return id.slice(0, -1) + pool[(pool.indexOf(last) + 1) % pool.length];
}
