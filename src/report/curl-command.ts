/**
 * A curl command that replays a request, with every known secret masked. An argument that holds
 * a control character (a target can put one in an id the harness then sends) is quoted as
 * `$'...'` with the character escaped: the command still replays the exact request in bash and
 * zsh, and pasting it into a terminal shows the escape instead of running it.
 */
import type { OutgoingRequest } from '../request/outgoing-request.ts';
import { hasControls } from './escape-controls.ts';
import { maskKnownSecrets } from '../secrets/mask-known-secrets.ts';

const q = (s: string) => (hasControls(s) ? ansiC(s) : `'${s.replace(/'/g, `'\\''`)}'`);

const ANSI_C: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\t': '\\t' };

function ansiC(s: string): string {
  let out = '';
  for (const c of s) {
    const n = c.codePointAt(0)!;
    if (ANSI_C[c]) out += ANSI_C[c];
    else if (!hasControls(c)) out += c;
    else if (n < 0x80) out += `\\x${n.toString(16).padStart(2, '0')}`;
    else if (n < 0x10000) out += `\\u${n.toString(16).padStart(4, '0')}`;
    else out += `\\U${n.toString(16).padStart(8, '0')}`;
  }
  return `$'${out}'`;
}

export function curlCommand(
  baseUrl: string,
  req: OutgoingRequest,
  secrets: readonly string[],
): string {
  // Masked before quoting: a quote inside a secret (a password) would otherwise split it.
  const arg = (s: string) => q(maskKnownSecrets(s, secrets));
  const parts = [`curl -i -X ${req.method} ${arg(baseUrl + req.pathWithQuery)}`];
  for (const [k, v] of Object.entries(req.headers)) parts.push(`-H ${arg(`${k}: ${v}`)}`);
  if (req.body !== undefined) parts.push(`--data-raw ${arg(req.body)}`);
  return parts.join(' \\\n  ');
}
