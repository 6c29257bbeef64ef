/**
 * Single realistic mistakes the Skyhold server can be started with, one at a time, so the
 * project's test can show the harness catches each (principle 9). A production start sets none.
 */
export type Weakness =
  /** X-Amz-Date read but never compared with the clock: a captured request works forever. */
  | 'skew-ignored'
  /** A request exactly 300 s off is refused: the window is exclusive, off by one at its edge. */
  | 'window-exclusive'
  /** x-amz-content-sha256 taken as the payload hash without hashing the body it stands for. */
  | 'body-hash-trusted'
  /** The canonical request built from the URL's pathname: the query is not covered. */
  | 'query-not-signed'
  /** Only the first 16 hex characters of the signature are compared. */
  | 'signature-prefix'
  /** The secret looked up by the account, never by the access key id the request names. */
  | 'access-key-ignored';
