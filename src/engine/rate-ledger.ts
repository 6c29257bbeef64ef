/**
 * What the run has spent of a guest target's rate limits: for each key and rate class (the
 * resolved routes' `rateLimit`), when its admitted requests were answered. From it the run is
 * paced below the profile's limits (a request that would go over waits for its window instead
 * of drawing a 429 and a Retry-After wait), a rate-limit scenario waits only as long as its key's
 * window is still spent (not a whole window every time), and a key the target never admitted is
 * known (waiting for its window would not help).
 *
 * Only admitted answers (below 400) are counted, as the bundled mock and most limiters count; a
 * target that counts more still answers 429, which the target's own Retry-After rule waits out,
 * and the ledger then holds the key back until that Retry-After has passed.
 */
import type { CredentialKey, Credentials } from '../model/credentials.ts';
import type { ResolvedProfile, ResolvedRateLimit } from '../model/resolved-profile.ts';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { retryAfterMs } from '../targets/honour-429.ts';

/**
 * Added to every window: the target counts a request when it arrives and may read its clock in
 * whole seconds, the ledger when the answer is back. A second more keeps every edge on the safe
 * side.
 */
export const WINDOW_SLACK_MS = 1000;

interface Window {
  limit: number;
  ms: number;
}

interface Spent {
  /** Admitted answers, ms (ledger clock), oldest first. */
  admitted: number[];
  /** A 429's Retry-After: nothing of this key and class is sent before. */
  blockedUntil: number;
}

export interface RateLedger {
  /** How long `req` must wait (ms) to stay inside its key's windows; 0: send now. */
  delayFor(req: OutgoingRequest, now: number): number;
  /** How long until the key's windows of this class have room for `n` more admitted requests (ms). */
  delayForRoom(keyValue: string, limit: ResolvedRateLimit, n: number, now: number): number;
  /** Counts an answer. */
  record(req: OutgoingRequest, res: ReceivedResponse, now: number): void;
  /**
   * When these keys can spend a whole budget of `limit` (every class where none is given): its
   * budget window (the one of smaller limit: a burst, else the limit's) holds no admitted request
   * of theirs, and each other window has room for the budget and one more. Requests sent before
   * the ledger began are not known: they are taken to have been sent at its start, so a key is
   * first fresh one longest window after the run began.
   */
  freshAt(keyValues: readonly string[], limit?: ResolvedRateLimit): number;
  /**
   * How full the key's windows on this rate class are now: the largest share of a window's limit
   * its admitted requests take (0: unspent, 1: a request would wait).
   */
  spentShare(keyValue: string, limit: ResolvedRateLimit, now: number): number;
  /** The key was answered, and never admitted (waiting for its window will not help). */
  neverAdmitted(keyValue: string): boolean;
  /** The credentials' role naming a key value, for reasons (never the value itself). */
  roleOf(keyValue: string): string;
  /** The key value a request carries (the first known key found in it), if any. */
  keyIn(req: OutgoingRequest): string | undefined;
}

export function rateLedger(
  profile: ResolvedProfile,
  creds: Credentials,
  startedMs: number,
): RateLedger {
  const routes = profile.routes
    .filter((r) => r.rateLimit)
    .map((r) => ({
      method: r.method.toUpperCase(),
      pattern: pathPattern(r.path),
      literal: r.path.replace(/\{[^}]+\}/g, '').length,
      limit: r.rateLimit!,
    }))
    // The most literal template first: /keys/rotate before /keys/{id}.
    .sort((a, b) => b.literal - a.literal);
  const roles = keyRoles(creds);
  const spent = new Map<string, Spent>();
  const answered = new Map<string, { answered: number; admitted: number }>();
  const classes = Object.values(profile.rateLimits ?? {});

  const limitOf = (req: OutgoingRequest): ResolvedRateLimit | undefined => {
    const path = req.pathWithQuery.split('?')[0]!;
    const method = req.method.toUpperCase();
    return routes.find((r) => r.method === method && r.pattern.test(path))?.limit;
  };
  const keyIn = (req: OutgoingRequest): string | undefined => {
    const text = requestText(req);
    for (const value of roles.keys()) if (text.includes(value)) return value;
    return undefined;
  };
  // Whom the target counts the request against (per key, or the key's party, or the caller).
  const subjectOfKey = (key: string, limit: ResolvedRateLimit): string => {
    if (limit.per === 'ip') return 'ip';
    const party = limit.per !== 'key' ? roles.get(key)?.key[limit.per] : undefined;
    return party !== undefined ? `${limit.per}:${party}` : key;
  };
  const subjectOf = (req: OutgoingRequest, limit: ResolvedRateLimit): string => {
    const key = keyIn(req);
    if (key !== undefined) return subjectOfKey(key, limit);
    if (limit.per === 'ip') return 'ip';
    // A JWT is counted against its subject (a limiter reads `sub`, not the token's bytes).
    const bearer = Object.entries(req.headers).find(
      ([h]) => h.toLowerCase() === 'authorization',
    )?.[1];
    const sub = bearer !== undefined ? jwtSubject(bearer) : undefined;
    return sub !== undefined ? `sub:${sub}` : `caller:${bearer ?? ''}`;
  };
  const spentOf = (bucket: string): Spent => {
    let s = spent.get(bucket);
    if (!s) spent.set(bucket, (s = { admitted: [], blockedUntil: 0 }));
    return s;
  };
  const bucketOf = (limit: ResolvedRateLimit, subject: string) => `${limit.id}\u0000${subject}`;
  // ms until the bucket's windows have room for n more (at most a whole window's limit).
  const roomIn = (bucket: string, limit: ResolvedRateLimit, n: number, now: number): number => {
    const s = spent.get(bucket);
    if (!s) return 0;
    let until = s.blockedUntil;
    for (const w of windowsOf(limit)) {
      const inside = s.admitted.filter((t) => t > now - w.ms - WINDOW_SLACK_MS);
      const keep = w.limit - Math.min(n, w.limit);
      // The newest of those that must leave for n more to fit.
      if (inside.length > keep)
        until = Math.max(until, inside[inside.length - keep - 1]! + w.ms + WINDOW_SLACK_MS);
    }
    return Math.max(0, until - now);
  };

  return {
    keyIn,
    roleOf: (value) => roles.get(value)?.role ?? 'a key',
    delayFor(req, now) {
      const limit = limitOf(req);
      return limit ? roomIn(bucketOf(limit, subjectOf(req, limit)), limit, 1, now) : 0;
    },
    delayForRoom: (keyValue, limit, n, now) =>
      roomIn(bucketOf(limit, subjectOfKey(keyValue, limit)), limit, n, now),
    record(req, res, now) {
      const key = keyIn(req);
      if (key !== undefined && res.status !== 429) {
        const a = answered.get(key) ?? { answered: 0, admitted: 0 };
        a.answered++;
        if (res.status < 400) a.admitted++;
        answered.set(key, a);
      }
      const limit = limitOf(req);
      if (!limit) return;
      const s = spentOf(bucketOf(limit, subjectOf(req, limit)));
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers['retry-after']);
        s.blockedUntil = Math.max(s.blockedUntil, now + wait + WINDOW_SLACK_MS);
        return;
      }
      if (res.status >= 400) return;
      s.admitted.push(now);
      // Only what a window can still see is kept.
      const longest = Math.max(...windowsOf(limit).map((w) => w.ms)) + WINDOW_SLACK_MS;
      while (s.admitted.length > 0 && s.admitted[0]! <= now - longest) s.admitted.shift();
    },
    freshAt(keyValues, only) {
      let at = 0;
      for (const limit of only ? [only] : classes) {
        const windows = windowsOf(limit);
        const longest = Math.max(...windows.map((w) => w.ms)) + WINDOW_SLACK_MS;
        const budget = Math.min(...windows.map((w) => w.limit));
        at = Math.max(at, startedMs + longest);
        for (const key of keyValues) {
          const s = spent.get(bucketOf(limit, subjectOfKey(key, limit)));
          if (!s) continue;
          at = Math.max(at, s.blockedUntil);
          for (const w of windows) {
            // Admitted requests this window may still hold while the budget is spent in it.
            const kept = w.limit === budget ? 0 : w.limit - budget - 1;
            const leaving = s.admitted.length - kept;
            if (leaving > 0) at = Math.max(at, s.admitted[leaving - 1]! + w.ms + WINDOW_SLACK_MS);
          }
        }
      }
      return at;
    },
    spentShare(keyValue, limit, now) {
      const s = spent.get(bucketOf(limit, subjectOfKey(keyValue, limit)));
      if (!s) return 0;
      if (s.blockedUntil > now) return 1;
      return Math.max(
        ...windowsOf(limit).map(
          (w) => s.admitted.filter((t) => t > now - w.ms - WINDOW_SLACK_MS).length / w.limit,
        ),
      );
    },
    neverAdmitted(keyValue) {
      const a = answered.get(keyValue);
      return a !== undefined && a.answered > 0 && a.admitted === 0;
    },
  };
}

function windowsOf(limit: ResolvedRateLimit): Window[] {
  return [
    { limit: limit.limit, ms: limit.windowSeconds * 1000 },
    ...(limit.burst ? [{ limit: limit.burst.limit, ms: limit.burst.windowSeconds * 1000 }] : []),
  ];
}

function pathPattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}/?$`);
}

/** Every key of the credentials by value, with the first role that names it. */
function keyRoles(creds: Credentials): Map<string, { role: string; key: CredentialKey }> {
  const out = new Map<string, { role: string; key: CredentialKey }>();
  const { byType, ...byRole } = creds.keys ?? {};
  const named: [string, CredentialKey | undefined][] = [
    ...Object.entries(byRole),
    ...Object.entries(byType ?? {}).map(([t, k]): [string, CredentialKey] => [`byType.${t}`, k]),
  ];
  for (const [role, key] of named)
    if (key?.value && !out.has(key.value)) out.set(key.value, { role, key });
  return out;
}

/** The `sub` claim of a bearer JWT, if the header carries one. */
function jwtSubject(authorization: string): string | undefined {
  const token = /^Bearer\s+([\w-]+)\.([\w-]+)\.[\w-]*$/i.exec(authorization);
  if (!token) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(token[2]!, 'base64url').toString('utf8')) as unknown;
    const sub = (claims as { sub?: unknown } | null)?.sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Where a key can be in a request: its headers (a Basic pair decoded), its path and query, its body. */
function requestText(req: OutgoingRequest): string {
  const parts: string[] = [req.pathWithQuery];
  for (const [name, value] of Object.entries(req.headers)) {
    parts.push(value);
    const basic = name.toLowerCase() === 'authorization' && /^Basic\s+(\S+)/i.exec(value);
    if (basic) parts.push(Buffer.from(basic[1]!, 'base64').toString('utf8'));
  }
  if (typeof req.body === 'string') parts.push(req.body);
  return parts.join('\n');
}
