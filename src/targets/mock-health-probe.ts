/**
 * Whether a URL target is evidently another API: the bundled mock (`authconform mock`) answers
 * GET /__mock/health with the id of the profile it serves. A run of one profile against a mock of
 * another fails everywhere for a reason no verdict names, so the run says so before it starts.
 * Anything else (a 404, no JSON, no answer within the timeout) says nothing: a real server has no
 * such route, and this look must never hold up or fail a run.
 */
import { request } from 'undici';

/** Largest /__mock/health answer read. */
const MAX_HEALTH_BYTES = 64 * 1024;

/** The profile id the target's /__mock/health names, if it answers one. */
export async function mockProfileAt(
  baseUrl: string,
  timeoutMs = 1500,
): Promise<string | undefined> {
  const url = `${baseUrl.replace(/\/+$/, '')}/__mock/health`;
  try {
    const res = await request(url, {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return undefined;
    }
    // The mock's health is a few hundred bytes: a larger answer is not the mock, and is not read
    // (a hostile target's 50 MB body must not reach memory before the run even starts).
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_HEALTH_BYTES) {
        res.body.destroy();
        return undefined;
      }
      chunks.push(chunk);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { profile?: unknown };
    return typeof body?.profile === 'string' ? body.profile : undefined;
  } catch {
    return undefined;
  }
}

/** The warning line for a target that serves another profile, or nothing. */
export async function otherProfileWarning(
  baseUrl: string,
  profileId: string,
  timeoutMs?: number,
): Promise<string | undefined> {
  const served = await mockProfileAt(baseUrl, timeoutMs);
  return served !== undefined && served !== profileId
    ? `warning: ${baseUrl} looks like the bundled mock serving profile "${served}" (GET /__mock/health), not "${profileId}": expect failures that say nothing about ${profileId}`
    : undefined;
}
