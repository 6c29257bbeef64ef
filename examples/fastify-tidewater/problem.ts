/**
 * Every error of this API as an RFC 9457 problem details object (application/problem+json),
 * built in one place: `type` is the error's documentation page, `code` its stable name, and no
 * problem ever echoes a submitted key, token or signature.
 */
import type { FastifyReply } from 'fastify';

const PROBLEMS = {
  key_missing: [401, 'API key required', 'Send your API key in the Tidewater-Key header.'],
  key_invalid: [401, 'Invalid API key', 'The API key is not valid.'],
  key_revoked: [401, 'API key revoked', 'This API key was revoked.'],
  key_expired: [401, 'API key expired', 'This API key has expired.'],
  key_type_forbidden: [
    403,
    'Key type not allowed',
    'Publishable keys can only quote rates and track parcels.',
  ],
  scope_missing: [403, 'Missing scope', 'The API key does not hold the scope this call needs.'],
  account_required: [
    400,
    'Account header required',
    'Name your account in the Tidewater-Account header.',
  ],
  account_mismatch: [
    403,
    'Account mismatch',
    'The credential belongs to another account than Tidewater-Account names.',
  ],
  token_invalid: [401, 'Invalid driver token', 'Sign in to the driver app again.'],
  token_expired: [401, 'Driver token expired', 'The driver token has expired; sign in again.'],
  signature_required: [401, 'Signature required', 'This call must be signed.'],
  signature_invalid: [401, 'Invalid signature', 'The signature does not match the request.'],
  signature_version_unsupported: [
    400,
    'Unsupported signature version',
    'Tidewater-Signature-Version must be 2024-06-01.',
  ],
  timestamp_out_of_range: [
    401,
    'Timestamp out of range',
    "Tidewater-Timestamp must be within 120 seconds of the server's time.",
  ],
  nonce_invalid: [400, 'Invalid nonce', 'Tidewater-Nonce must be 16 to 64 letters and digits.'],
  nonce_reused: [
    409,
    'Nonce already used',
    'This nonce was already used; sign the request again with a new one.',
  ],
  not_found: [404, 'Not found', 'No such resource in this account and mode.'],
  invalid_request: [400, 'Invalid request', 'The request body is not valid.'],
  rate_limited: [429, 'Too many requests', 'Slow down; see Retry-After.'],
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

/** Thrown by hooks and handlers; the app's error handler sends it. */
export class Problem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
  }
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  const [status, title, detail] = PROBLEMS[p.code];
  if (p.retryAfterSeconds !== undefined) reply.header('Retry-After', String(p.retryAfterSeconds));
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `https://docs.tidewater.example/problems/${p.code}`,
      title,
      status,
      detail,
      code: p.code,
    });
}
