/**
 * Every LuxCore error, built in one place. The guide's "Example Error Response" is cut off, so the
 * shape is the profile's decision: {"error": {"code", "message"}}, one status per code
 * (specs/profiles/luxcore.yaml, `errors`). Messages never repeat what the caller sent.
 */
import type { ServerResponse } from 'node:http';

const ERRORS = {
  missing_api_key: [401, 'API key is required. Send it in the X-API-Key header.'],
  invalid_api_key: [401, 'Invalid API key.'],
  api_key_revoked: [401, 'This API key has been deactivated.'],
  insufficient_scope: [403, 'API key lacks the required scope for this operation.'],
  merchant_mismatch: [403, 'X-Merchant-Id does not match the merchant of this API key.'],
  missing_signature: [
    401,
    'Signed request headers are missing (X-Merchant-Id, X-Timestamp, X-Nonce, X-Signature-Version, X-Signature).',
  ],
  invalid_signature: [401, 'Request signature is invalid.'],
  unsupported_signature_version: [
    401,
    'Unsupported X-Signature-Version; the supported version is v1.',
  ],
  timestamp_out_of_window: [
    401,
    'X-Timestamp differs from the current time by more than 300 seconds.',
  ],
  invalid_nonce: [401, "X-Nonce must be 8-128 characters of letters, digits, '_' or '-'."],
  nonce_replayed: [401, 'X-Nonce has already been used within the 300-second replay window.'],
  rate_limit_exceeded: [429, 'Rate limit exceeded. Retry after the time given in Retry-After.'],
  not_found: [404, 'Resource not found.'],
  bad_request: [400, 'Malformed request.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

/** Thrown anywhere in a request; rendered by `sendError`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
  }
}

export function sendError(res: ServerResponse, error: ApiError): void {
  const [status, message] = ERRORS[error.code];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(error.retryAfterSeconds);
  res.writeHead(status, headers).end(JSON.stringify({ error: { code: error.code, message } }));
}
