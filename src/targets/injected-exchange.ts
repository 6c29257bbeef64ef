/**
 * One exchange through light-my-request, shared by the Node listener target (which injects with
 * it) and the Fastify target (whose `inject` is built on it): the request as its options, and its
 * response read as the HTTP target reads one, the body within the run's cap.
 */
import type { InjectOptions, Response as InjectResponse } from 'light-my-request';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { readCappedBody } from './bounded-exchange.ts';
import { flatHeaders, type ExchangeContext } from './in-process-target.ts';
import { parseBody } from './target.ts';

/** The request as light-my-request's options: the Host the target names, the body streamed back. */
export function injectOptions(req: OutgoingRequest, ctx: ExchangeContext): InjectOptions {
  return {
    method: req.method as InjectOptions['method'],
    url: req.pathWithQuery,
    headers: { host: ctx.host, ...req.headers },
    ...(req.body !== undefined ? { payload: req.body } : {}),
    payloadAsStream: true,
    signal: ctx.signal,
  };
}

/** The injected response, its body read up to the cap (a larger one ends the exchange). */
export async function injectedResponse(
  res: InjectResponse,
  ctx: ExchangeContext,
): Promise<ReceivedResponse> {
  const stream = res.stream();
  const rawBody = await readCappedBody(
    stream,
    {
      maxBytes: ctx.maxBodyBytes,
      declaredLength: Number(res.headers['content-length']),
      stop: () => stream.destroy(),
    },
    ctx.where,
  );
  return {
    status: res.statusCode,
    headers: flatHeaders(res.headers),
    body: parseBody(rawBody),
    rawBody,
  };
}
