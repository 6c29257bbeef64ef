/**
 * `alterSignature`: change the valid signature through the scheme's signature slot (the labels
 * around it kept): its last character, its first half only, emptied, or removed.
 */
import { MissingRoleError } from '../../request/missing-role-error.ts';
import type { OutgoingRequest } from '../../request/outgoing-request.ts';
import { faultStep, type FaultContext } from './fault-step.ts';
import { outgoing, requireSigning, signable } from './route-signing.ts';

export const alterSignature = faultStep({
  name: 'alterSignature',
  edit: (ctx, req, step) => alteredSignature(ctx, req, step.alterSignature),
});

/**
 * The request with its valid signature changed where a prefix comparison would not look (the
 * last character replaced by another of its encoding, or only the first half sent), emptied, or
 * removed, through the scheme's signature slot: the labels around it are kept.
 */
function alteredSignature(
  ctx: FaultContext,
  req: OutgoingRequest,
  how: 'lastChar' | 'half' | 'empty' | 'remove',
): OutgoingRequest {
  const signing = requireSigning(ctx);
  const slot = signing.signer.signatureSlot(signing.config, signable(ctx, req));
  if (slot === undefined || slot.value.length < 2)
    throw new MissingRoleError(`a signature in the request on ${ctx.route.id} to alter`);
  if (how === 'remove') return outgoing(slot.remove());
  if (how === 'empty') return outgoing(slot.replace(''));
  const v = slot.value;
  if (how === 'half') return outgoing(slot.replace(v.slice(0, Math.floor(v.length / 2))));
  // The last character that carries bits (not base64 padding) changes to another of its
  // alphabet, spelled as the encoding spells it: an upper-case hex digit stays upper-case.
  const pad = v.match(/=*$/)![0].length;
  const at = v.length - pad - 1;
  const pool =
    slot.encoding === 'hex'
      ? /[A-F]/.test(v)
        ? '0123456789ABCDEF'
        : '0123456789abcdef'
      : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' +
        (slot.encoding === 'base64' ? '+/' : '-_');
  // Base64's last character carries the leftover bits of the last byte and some that decoders
  // ignore: step by 2^ignored so the change lands in bits that are decoded (a correct verifier
  // would otherwise see the same signature: a false alarm).
  const dataChars = v.length - pad;
  const ignoredBits = slot.encoding === 'hex' ? 0 : (6 * dataChars) % 8;
  const next = pool[(pool.indexOf(v[at]!) + 2 ** ignoredBits) % pool.length]!;
  return outgoing(slot.replace(v.slice(0, at) + next + v.slice(at + 1)));
}
