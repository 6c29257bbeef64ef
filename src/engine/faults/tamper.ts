/**
 * `tamper`: change what the signature covers. The body and the query are changed after signing;
 * the method, the path and a covered header are signed as another value while the request
 * carries its own, so a server that checks what the signature covers must refuse it. N/A where
 * the route's signing scheme does not cover it.
 */
import { findHeader } from '../../request/header-edits.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import type { SignControls } from '../../sign/signer.ts';
import { signingOf } from '../../sign/signers.ts';
import { faultStep, type FaultContext } from './fault-step.ts';
import { requireSigning } from './route-signing.ts';

export const tamper = faultStep({
  name: 'tamper',
  rebuild(ctx, opts, step) {
    if (step.tamper === 'body' || step.tamper === 'query') return;
    opts.signControls = { ...opts.signControls, signAs: signedAs(ctx, step.tamper) };
  },
  edit(ctx, req, step) {
    if (step.tamper !== 'body' && step.tamper !== 'query') return req;
    const what = step.tamper;
    const signing = signingOf(ctx.route);
    if (signing && !signing.parts.covers[what])
      throw new MissingRoleError(`the ${what} among what the signature covers`);
    if (what === 'body') return { ...req, body: (req.body ?? '{}') + ' ' };
    return {
      ...req,
      pathWithQuery:
        req.pathWithQuery + (req.pathWithQuery.includes('?') ? '&' : '?') + 'tampered=1',
    };
  },
});

/** What the signature is made to cover instead of what is sent. */
function signedAs(
  ctx: FaultContext,
  what: 'method' | 'path' | 'header',
): NonNullable<SignControls['signAs']> {
  const signing = requireSigning(ctx);
  const { covers } = signing.parts;
  const sent = ctx.positive;
  if (what === 'method') {
    if (!covers.method) throw new MissingRoleError('the method among what the signature covers');
    return { method: sent.method === 'GET' ? 'POST' : 'GET' };
  }
  if (what === 'path') {
    if (!covers.path) throw new MissingRoleError('the path among what the signature covers');
    const q = sent.pathWithQuery.indexOf('?');
    const path = q < 0 ? sent.pathWithQuery : sent.pathWithQuery.slice(0, q);
    const query = q < 0 ? '' : sent.pathWithQuery.slice(q);
    return { pathWithQuery: `${path.replace(/\/?$/, '')}x${query}` };
  }
  const name = covers.headers.find((h) => findHeader(sent, h) !== undefined);
  if (name === undefined)
    throw new MissingRoleError('a header the signature covers, sent with the request');
  const value = sent.headers[findHeader(sent, name)!]!;
  return { headers: { ...sent.headers, [findHeader(sent, name)!]: `${value}x` } };
}
