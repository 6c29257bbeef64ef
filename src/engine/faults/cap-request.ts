/** `capRequest`: the accepted body with one capped field set to the drawn value, or left out. */
import type { CapRequest } from '../../generate/arb-cap-request.ts';
import type { OutgoingRequest } from '../../request/outgoing-request.ts';
import { drawnValue, faultStep } from './fault-step.ts';

export const capRequest = faultStep({
  name: 'capRequest',
  rebuild(ctx, opts, step) {
    opts.body = bodyWithCapRequest(ctx.positive, drawnValue(ctx, step.capRequest) as CapRequest);
  },
});

function bodyWithCapRequest(positive: OutgoingRequest, cap: CapRequest): unknown {
  const parsed: unknown = positive.body === undefined ? {} : JSON.parse(positive.body);
  const body = { ...(parsed as Record<string, unknown>) };
  if (cap.sent === undefined) delete body[cap.field];
  else body[cap.field] = cap.sent;
  return body;
}
