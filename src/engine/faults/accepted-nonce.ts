/** `acceptedNonce`: sign afresh with the nonce the accepted request used (its nonce replayed). */
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { faultStep } from './fault-step.ts';
import { requireSigning } from './route-signing.ts';

export const acceptedNonce = faultStep({
  name: 'acceptedNonce',
  rebuild(ctx, opts) {
    requireSigning(ctx, 'nonce', 'a nonce');
    if (ctx.acceptedNonce === undefined)
      throw new MissingRoleError('the nonce of the accepted request');
    opts.nonce = ctx.acceptedNonce;
  },
});
