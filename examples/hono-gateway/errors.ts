/**
 * Every error of this API in its one shape {statusCode, error, message, code}, built in one place
 * so no answer ever echoes a submitted key. 401s carry WWW-Authenticate: Bearer.
 */
import { HTTPException } from 'hono/http-exception';

const ERRORS = {
  MISSING_API_KEY: [
    401,
    'Unauthorized',
    'Missing API key. Send Authorization: Bearer sk_<id>.<secret>.',
  ],
  INVALID_API_KEY: [401, 'Unauthorized', 'Invalid API key.'],
  API_KEY_REVOKED: [401, 'Unauthorized', 'API key has been revoked.'],
  INSUFFICIENT_SCOPE: [403, 'Forbidden', 'API key lacks the required scope.'],
  WRONG_KEY_TYPE: [403, 'Forbidden', 'This API key type cannot call this route.'],
  NOT_FOUND: [404, 'Not Found', 'Resource not found.'],
  BAD_REQUEST: [400, 'Bad Request', 'Invalid request.'],
  RATE_LIMITED: [429, 'Too Many Requests', 'Rate limit exceeded.'],
} as const;

export type ErrorCode = keyof typeof ERRORS;

export function errorResponse(code: ErrorCode, retryAfterSeconds?: number): Response {
  const [statusCode, error, message] = ERRORS[code];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (statusCode === 401) headers['WWW-Authenticate'] = 'Bearer';
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  return new Response(JSON.stringify({ statusCode, error, message, code }), {
    status: statusCode,
    headers,
  });
}

/** Stops the request with the error; Hono's error handler sends the response as built. */
export function fail(code: ErrorCode, retryAfterSeconds?: number): never {
  const res = errorResponse(code, retryAfterSeconds);
  throw new HTTPException(res.status as 401, { res });
}
