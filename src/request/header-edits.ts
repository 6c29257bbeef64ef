/** A request's headers read and changed by name, without regard to the name's letter case. */
import type { OutgoingRequest } from './outgoing-request.ts';

/** The name the request spells the header with, if it carries it. */
export function findHeader(req: OutgoingRequest, name: string): string | undefined {
  return Object.keys(req.headers).find((k) => k.toLowerCase() === name.toLowerCase());
}

export function withoutHeader(req: OutgoingRequest, name: string): OutgoingRequest {
  const headers = { ...req.headers };
  const k = findHeader(req, name);
  if (k !== undefined) delete headers[k];
  return { ...req, headers };
}

export function withHeader(req: OutgoingRequest, name: string, value: string): OutgoingRequest {
  const out = withoutHeader(req, name);
  return { ...out, headers: { ...out.headers, [name]: value } };
}
