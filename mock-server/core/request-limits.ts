/**
 * What the mock reads of a request before it refuses it as malformed (a 4xx, never a 5xx): the
 * longest header value and the largest body. The Hapi adapter sets its payload limit from it.
 */
export const MAX_HEADER_VALUE = 8192;
export const MAX_BODY_BYTES = 1024 * 1024;
