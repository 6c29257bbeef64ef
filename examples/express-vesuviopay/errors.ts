/**
 * Every error this API answers, in the guide's one envelope {success: false, message, errorCode}.
 * Built in one place so a denial can never echo what the caller sent (no key, no token).
 */
import type { Response } from 'express';

const ERRORS = {
  INVALID_API_KEY: [401, 'Invalid API key'],
  API_KEY_INACTIVE: [401, 'API key has been revoked'],
  API_KEY_EXPIRED: [401, 'API key has expired'],
  INVALID_TOKEN: [401, 'JWT token is invalid'],
  TOKEN_EXPIRED: [401, 'JWT token has expired'],
  ACCESS_DENIED: [403, 'Insufficient permissions for this operation'],
  NO_STORE_ACCESS: [403, 'API key does not have access to this store'],
  NOT_FOUND: [404, 'Resource not found'],
  BAD_REQUEST: [400, 'Invalid request'],
  RATE_LIMITED: [429, 'Rate limit exceeded'],
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Thrown by handlers and middleware; the app's error handler renders it. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
  }
}

export function sendError(res: Response, code: ErrorCode, retryAfterSeconds?: number): void {
  const [status, message] = ERRORS[code];
  if (retryAfterSeconds !== undefined) res.set('Retry-After', String(retryAfterSeconds));
  res.status(status).json({ success: false, message, errorCode: code });
}
