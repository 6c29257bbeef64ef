/**
 * Single realistic mistakes the server can be started with, one at a time, so the project's test
 * can show the harness catches each (principle 9: a scenario is proven on a strict server it did
 * not write, and by catching that server with one fault). A production start never sets one.
 */
export type Weakness =
  /** Nonces remembered per API key, although the profile scopes them to the merchant. */
  | 'nonce-per-key'
  /** DELETE of a webhook answers 204 but keeps the webhook. */
  | 'webhook-delete-keeps'
  /** Only the first 16 hex characters of X-Signature are compared. */
  | 'signature-prefix'
  /** A timestamp exactly 300 s off is refused: the window is exclusive, off by one at its edge. */
  | 'window-exclusive'
  /** Scopes compared literally: payments.view does not grant payments.read. */
  | 'alias-ignored'
  /** A payment is found by id in either environment: a test key reaches live payments. */
  | 'environment-blind'
  /** The HMAC secret is picked by X-Merchant-Id, never compared with the key's merchant. */
  | 'merchant-header-trusted';
