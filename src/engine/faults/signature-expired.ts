/**
 * `signatureExpired`: a signature created inside the window and expired before the target checks
 * it: created half the window before the target's clock, expiring one second later. Only the
 * expiry is wrong, and by far: a server that grants the expiry a leeway short of half the window
 * refuses it too. N/A where the scheme has no expiry.
 */
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { schemeOf } from '../../sign/signers.ts';
import { clockOf, faultStep, type FaultContext } from './fault-step.ts';
import { requireSigning } from './route-signing.ts';

export const signatureExpired = faultStep({
  name: 'signatureExpired',
  rebuild(ctx, opts) {
    const { createdMs, expiresMs } = expiredSignature(ctx);
    opts.signTimeMs = createdMs;
    opts.signControls = { ...opts.signControls, expiresAs: expiresMs };
  },
});

function expiredSignature(ctx: FaultContext): { createdMs: number; expiresMs: number } {
  const signing = requireSigning(ctx, 'expires', 'an expiry');
  const timestamp = signing.parts.timestamp;
  if (timestamp === undefined)
    throw new MissingRoleError(`a timestamp in the ${schemeOf(signing.config)} signing scheme`);
  const w = clockOf(ctx);
  const lo = Math.floor(w.loMs / 1000);
  const created = lo - Math.floor(timestamp.skewSeconds / 2);
  const expires = created + 1;
  // Inside the window and past the expiry wherever in its window the target's clock is.
  if (Math.ceil(w.hiMs / 1000) - created >= timestamp.skewSeconds || expires >= lo)
    throw new Error(
      `a ${timestamp.skewSeconds} s window is too narrow to sign inside it with an expiry already past`,
    );
  return { createdMs: created * 1000, expiresMs: expires * 1000 };
}
