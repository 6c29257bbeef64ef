/**
 * What the auth core takes and gives: a request normalized by an adapter (Hapi, msw) and a
 * response the adapter writes back. The core never sees a runtime's own request object.
 */
export interface MockRequest {
  method: string;
  /** Path as sent, without the query. */
  path: string;
  /** Path and query exactly as sent on the wire (what HMAC signs). */
  pathWithQuery: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Raw body bytes (empty when none). */
  body: Uint8Array;
  /** Client address, for per-IP rate limits. */
  remoteAddress?: string;
}

export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; undefined for an empty body (204). */
  body?: unknown;
}

/** The time the core decides by: milliseconds since the epoch. */
export interface Clock {
  now(): number;
}
