/** A curl command that replays a request, with every known secret masked. */
import type { OutgoingRequest } from '../request/outgoing-request.ts';
import { maskKnownSecrets } from './mask-known-secrets.ts';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlCommand(
  baseUrl: string,
  req: OutgoingRequest,
  secrets: readonly string[],
): string {
  const parts = [`curl -i -X ${req.method} ${q(baseUrl + req.pathWithQuery)}`];
  for (const [k, v] of Object.entries(req.headers)) parts.push(`-H ${q(`${k}: ${v}`)}`);
  if (req.body !== undefined) parts.push(`--data-raw ${q(req.body)}`);
  return maskKnownSecrets(parts.join(' \\\n  '), secrets);
}
