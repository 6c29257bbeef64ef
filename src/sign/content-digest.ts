/**
 * The Content-Digest field of RFC 9530: a structured-field dictionary of hash algorithm to the
 * digest of the message content as a byte sequence (`sha-256=:…:`). An RFC 9421 signature that
 * covers `content-digest` covers the body only if the verifier also checks the field against the
 * body it received; `contentDigestMatches` is that check. Checked against RFC 9530 Appendix D
 * (specs/vectors/rfc9421/rfc9421-appendix-b.json).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDictionary } from 'structured-headers';

export type DigestAlgorithm = 'sha-256' | 'sha-512';

const NODE_HASH: Record<DigestAlgorithm, string> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };

/** The field value for `body` under `algorithm`: `sha-256=:<base64>:`. */
export function contentDigest(algorithm: DigestAlgorithm, body: string | undefined): string {
  const digest = createHash(NODE_HASH[algorithm])
    .update(body ?? '', 'utf8')
    .digest('base64');
  return `${algorithm}=:${digest}:`;
}

/**
 * Whether a received Content-Digest value holds a digest of `body` under at least one algorithm
 * this harness knows, and no known algorithm's digest that differs. Algorithms it does not know
 * are ignored (RFC 9530 §2: a recipient MAY ignore any digest). Unparseable: false.
 */
export function contentDigestMatches(value: string, body: string | undefined): boolean {
  let members;
  try {
    members = parseDictionary(value);
  } catch {
    return false;
  }
  let matched = false;
  for (const [name, member] of members) {
    if (name !== 'sha-256' && name !== 'sha-512') continue;
    const sent = member[0];
    if (!(sent instanceof ArrayBuffer)) return false;
    const expected = createHash(NODE_HASH[name])
      .update(body ?? '', 'utf8')
      .digest();
    const got = Buffer.from(sent);
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return false;
    matched = true;
  }
  return matched;
}
