/**
 * A rate limit as a model-based test: fast-check draws spends and exhaustions of two keys' rate
 * windows (and, where the target's clock can move, waits past the window); the model counts each
 * key's requests in its window. Every request inside a key's budget must be accepted, whatever
 * the other key has spent (a limiter per IP or per tenant refuses too early), and the first one
 * past the budget must be 429 with the profile's Retry-After. Only limits counted per key are
 * modelled; the budget is the smaller of the limit and its burst, over that one's window, which
 * starts with its first request or, for `windowStart: clock`, at a whole multiple of its length.
 */
import { clockMover, DEFAULT_MAX_WAIT_SECONDS, unwaitedReason } from '../clock-mover.ts';
import { bindingWindow, countedWithin, passClock } from '../rate-window-on-clock.ts';
import { targetClockWindow } from '../target-clock.ts';
import fc from 'fast-check';
import type { CredentialKey, Credentials, KeyRole } from '../../model/credentials.ts';
import type { RateLimit } from '../../model/profile.ts';
import type { ClockWindow } from '../../targets/target.ts';
import type { ResolvedRoute } from '../../model/resolved-profile.ts';
import { keyForRole, keyOfRoleIfAny } from '../../request/build-request.ts';
import { MissingRoleError } from '../../request/missing-role-error.ts';
import { routesFor } from '../../scenario/route-filter.ts';
import { scopeGrants } from '../../model/scope-vocabulary.ts';
import { expectHeader } from '../../check/expect-header.ts';
import { expectStatus } from '../../check/expect-status.ts';
import { changesState } from '../../model/state-changing-routes.ts';
import type { EngineContext } from '../engine-context.ts';
import { callRoute, expectSuccess, type ModelSession } from './model-session.ts';
import type { PreparedModel } from './prepared-model.ts';

interface Spender {
  name: string;
  creds: Credentials;
  route: ResolvedRoute;
}

interface WindowState {
  /** Requests each spender made in its current window, and when (target clock) it began. */
  spent: number[];
  since: (number | undefined)[];
  refused: boolean[];
  /**
   * A window on the clock: where on the target's clock each spender's latest request was counted,
   * and whether the count of its current window is only a bound (that request may be in it or in
   * the one before), so that the request past the budget need not be refused.
   */
  counted: (ClockWindow | undefined)[];
  unsure: boolean[];
  /** A wait reset the windows in this run: an accepted request after it checks the reset. */
  afterWait?: boolean;
}

type Command = fc.AsyncCommand<WindowState, ModelSession>;

/** Seconds before a window's end after which the model no longer insists on the 429. */
const CLOCK_SLACK = 2;
// A second key of the same party and environment: another party's key would need that party's
// records in every path, which the credentials do not give.
const SECOND_KEY_ROLES: KeyRole[] = ['second', 'sameMerchant', 'scopeLimited', 'test', 'live'];

export function prepareRateWindow(ctx: EngineContext): PreparedModel<WindowState> | null {
  const { creds } = ctx;
  const valid = keyForRole(creds, 'valid');
  const mine = spenderRoutes(ctx, 'valid');
  if (!mine || mine.routes.length === 0) return null;
  // A second key of the same party whose calls are counted in the same class as the first's.
  let spenders: Spender[] = [];
  // Also a second key of the valid key's own type (keys.byType), where the credentials hold one.
  const roles = [...SECOND_KEY_ROLES, ...(valid.type ? [`byType.${valid.type}`] : [])];
  for (const role of roles) {
    const key = keyOfRoleIfAny(creds, role);
    const sameParty =
      key !== undefined &&
      key.value !== valid.value &&
      (['environment', 'tenant', 'merchant', 'store', 'organization'] as const).every(
        (f) => key[f] === valid[f],
      );
    const theirs = sameParty ? spenderRoutes(ctx, role) : null;
    // My route of the same per-key rate class as one of theirs.
    const sharing = (r: ResolvedRoute) =>
      r.rateLimit?.per === 'key'
        ? mine.routes.find((x) => x.rateLimit?.id === r.rateLimit?.id)
        : undefined;
    const shared = theirs?.routes.find((r) => sharing(r) !== undefined);
    const first = shared && sharing(shared);
    if (theirs && shared && first) {
      spenders = [
        { name: 'valid', creds: mine.creds, route: first },
        { name: role, creds: theirs.creds, route: shared },
      ];
      break;
    }
  }
  const second = spenders.length === 2;
  if (!second) {
    const first = mine.routes.find((r) => r.rateLimit?.per === 'key');
    if (!first) return null;
    spenders = [{ name: 'valid', creds: mine.creds, route: first }];
  }
  const limit = spenders[0]?.route.rateLimit;
  if (!limit) return null;
  const { budget, windowSeconds } = bindingWindow(limit);
  // Whether any run sent a request past the budget early enough in its window to require its 429.
  let limitChecked = false;
  const minute = minuteGuard(ctx, limit, spenders.length);
  const charge = async (s: ModelSession, m: WindowState, i: number, n: number) => {
    if (await spend(s, m, spenders[i]!, i, n, budget, windowSeconds, limit, minute))
      limitChecked = true;
  };

  const commands: fc.Arbitrary<Command>[] = [];
  spenders.forEach((sp, i) => {
    commands.push(
      fc.constant(
        command(
          `exhaust(${sp.name})`,
          (m) => !m.refused[i],
          (m, s) => charge(s, m, i, budget + 1 - m.spent[i]!),
        ),
      ),
      fc.integer({ min: 1, max: Math.max(1, Math.floor(budget / 2)) }).map((n) =>
        command(
          `spend(${sp.name}, ${n})`,
          (m) => !m.refused[i],
          (m, s) => charge(s, m, i, n),
        ),
      ),
    );
  });
  const maxWait = ctx.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const mover = clockMover(ctx.target, windowSeconds + 1, maxWait, ctx.guest?.clock);
  const waitOut = async (m: WindowState, s: ModelSession) => {
    // The key most refused before the wait is the one whose window reset says most.
    const i = Math.max(0, m.refused.indexOf(true));
    await mover!.move(windowSeconds + 1);
    m.spent = m.spent.map(() => 0);
    m.since = m.since.map(() => undefined);
    m.refused = m.refused.map(() => false);
    m.unsure = m.unsure.map(() => false);
    m.afterWait = true;
    // At once after the wait: a request of a fresh window must be accepted.
    await charge(s, m, i, 1);
  };
  if (mover) {
    commands.push(
      fc.constant(
        command(
          `wait out the ${windowSeconds} s window`,
          (m) => mover.available() && m.spent.some((n) => n > 0),
          waitOut,
        ),
      ),
    );
  }
  const notes = [
    second
      ? ''
      : 'per-key accounting not checked: the credentials have no second key for these routes',
    mover ? '' : unwaitedReason('the window reset', windowSeconds + 1, maxWait),
  ].filter(Boolean);
  return {
    commands,
    initial: () => {
      // A target reset for the run (the bundled mock) starts every window afresh.
      if (ctx.target.reset) minute?.forget();
      return {
        spent: spenders.map(() => 0),
        since: spenders.map(() => undefined),
        refused: spenders.map(() => false),
        counted: spenders.map(() => undefined),
        unsure: spenders.map(() => false),
      };
    },
    // Every run spends the first key's whole window: the limit itself is always exercised, and
    // the drawn commands then show whether the other key was charged for it.
    // A real wait is taken here too (within its budget), so the window reset is checked by the
    // first run whatever the drawn commands.
    preamble: async (m, s) => {
      await charge(s, m, 0, budget + 1);
      if (mover?.real && mover.available()) await waitOut(m, s);
    },
    maxCommands: 6,
    spends: { keys: spenders.map((sp) => keyForRole(sp.creds, 'valid').value), limit },
    ...(mover ? { movers: [mover] } : {}),
    ...(notes.length ? { unchecked: notes.join('; ') } : {}),
    uncheckedAfter: () =>
      limitChecked
        ? undefined
        : minute?.full
          ? `the limit itself was not checked: the ${limit.limit} requests per ${limit.windowSeconds} s left no room for a burst window's ${budget} and one more`
          : windowSeconds <= CLOCK_SLACK
            ? `the limit itself was not checked: the request past the budget (${budget + 1}) was accepted, and the ${windowSeconds} s window is within the ${CLOCK_SLACK} s the model allows for clock skew, so it never requires the 429`
            : `the limit itself was not checked: no run's request ${budget + 1} came within ${windowSeconds - CLOCK_SLACK} s of its window's start, so none had to be refused (a slow target or a loaded machine; the model allows ${CLOCK_SLACK} s for clock skew)`,
  };
}

/** The rate-limited calls a key role can make, with the credentials that make them as `valid`. */
function spenderRoutes(
  ctx: EngineContext,
  role: string,
): { creds: Credentials; routes: ResolvedRoute[] } | null {
  const { profile, creds } = ctx;
  let key: CredentialKey;
  try {
    key = keyForRole(creds, role);
  } catch (e) {
    if (e instanceof MissingRoleError) return null;
    throw e;
  }
  const as: Credentials = { ...creds, keys: { ...creds.keys, valid: key } };
  const routes = routesFor(profile, as, { auth: 'api_key', rateLimited: true }).filter(
    (r) =>
      !changesState(profile, r) &&
      (r.scope === undefined || !key.scopes || scopeGrants(profile.scopes, key.scopes, r.scope)) &&
      // A signed call is signed with the credentials' merchant secret: only that merchant's keys.
      (r.signing === undefined ||
        key.merchant === undefined ||
        key.merchant === creds.hmac?.merchant),
  );
  return { creds: as, routes };
}

/**
 * Where the burst binds, the limit's own window may refuse too: a run that waits out burst window
 * after burst window can reach it inside one of its windows, where a correct limiter refuses a
 * request the model, counting the burst alone, would require it to accept. The guard keeps each
 * spender's requests of the last window of the limit (its length and 2 s more, as many as the
 * target may still count, whichever kind of window it keeps) and lets none inside the burst's
 * budget be sent that would make them more than the limit.
 */
interface MinuteGuard {
  /** Whether spender `i` may send one more request now without the limit's window refusing it. */
  room(i: number): boolean;
  /** Counts a request of spender `i` sent now. */
  sent(i: number): void;
  /** Starts every spender afresh (the target was reset). */
  forget(): void;
  /** A request was held back for want of room. */
  readonly full: boolean;
}

function minuteGuard(
  ctx: EngineContext,
  limit: RateLimit,
  spenders: number,
): MinuteGuard | undefined {
  if (!limit.burst || limit.burst.limit >= limit.limit) return undefined;
  const spanMs = (limit.windowSeconds + 2) * 1000;
  let logs: number[][] = Array.from({ length: spenders }, () => []);
  let full = false;
  const nowMs = () => ctx.target.nowSeconds() * 1000;
  return {
    room(i) {
      const log = logs[i]!;
      // The latest instant it can be, against the earliest each earlier one was sent at.
      const from = nowMs() + 1000 - spanMs;
      while (log.length > 0 && log[0]! <= from) log.shift();
      if (log.length < limit.limit) return true;
      full = true;
      return false;
    },
    sent(i) {
      logs[i]!.push(nowMs());
    },
    forget() {
      logs = logs.map(() => []);
    },
    get full() {
      return full;
    },
  };
}

function command(
  name: string,
  check: (m: Readonly<WindowState>) => boolean,
  run: (m: WindowState, s: ModelSession) => Promise<void>,
): Command {
  return { check, run, toString: () => name };
}

/**
 * Sends up to n requests as one spender; stops at the first request past the budget. True when
 * that request's 429 was checked: it came early enough in its window for the 429 to be required,
 * or it was refused later in it.
 */
async function spend(
  s: ModelSession,
  m: WindowState,
  sp: Spender,
  i: number,
  n: number,
  budget: number,
  windowSeconds: number,
  limit: RateLimit,
  minute?: MinuteGuard,
): Promise<boolean> {
  const target = s.ctx.target;
  const onClock = limit.windowStart === 'clock';
  const win = windowSeconds * 1000;
  const see = target.seeing429 ? target.seeing429.bind(target) : <T>(fn: () => Promise<T>) => fn();
  return see(async () => {
    for (let j = 0; j < n; j++) {
      let now: number;
      let sentAt: ClockWindow | undefined;
      if (onClock) {
        // A window on the clock ends at the same instant for the model and the target, but the
        // target's clock is known only within bounds (exactly on the mock; to about a round trip
        // from a URL's Date header): where a request sent now may be counted on either side of a
        // window's end, that end is waited out (moved past, where the target's clock moves, by
        // whole seconds where they do not overshoot the next window).
        let c = targetClockWindow(target);
        for (let k = 0; k < 2 && Math.floor(c.loMs / win) !== Math.floor(c.hiMs / win); k++) {
          await passClock(
            s.ctx,
            (Math.floor(c.loMs / win) + 1) * win - c.loMs,
            'a rate window ending',
            win - (c.hiMs - c.loMs) - 1,
          );
          c = targetClockWindow(target);
        }
        sentAt = c;
        now = Math.floor(c.loMs / 1000);
        // The window began at the last whole multiple of its length.
        const start = Math.floor(c.loMs / win) * windowSeconds;
        if (m.since[i] !== start) {
          m.since[i] = start;
          // The spender's latest request may have been counted in this window (answered after it
          // began, later than the target's clock window allowed for): it is counted here too.
          const latest = m.counted[i];
          m.unsure[i] =
            latest !== undefined && Math.floor(latest.hiMs / win) * windowSeconds >= start;
          m.spent[i] = m.unsure[i] ? 1 : 0;
        }
      } else {
        // The target's clock is read in whole seconds, and the window's first request came up to
        // a second after the second it was read in: in the second the model's window ends, the
        // target's may still hold. That second is waited out (at most one, in the run's own time)
        // rather than guessed (moved past, where the target's clock moves), so the next request's
        // window is known.
        for (
          let k = 0;
          k < 2 && m.since[i] !== undefined && target.nowSeconds() - m.since[i]! === windowSeconds;
          k++
        )
          await passClock(s.ctx, 1000, 'a rate window ending');
        now = target.nowSeconds();
        if (m.since[i] === undefined || now - m.since[i]! >= windowSeconds) {
          m.since[i] = now;
          m.spent[i] = 0;
        }
      }
      // Inside the budget, a request the limit's own window would refuse is not sent.
      if (minute && m.spent[i]! < budget && !minute.room(i)) return false;
      minute?.sent(i);
      m.spent[i]!++;
      const count = m.spent[i]!;
      const label = `${sp.name} request ${count} of the window (budget ${budget} per ${windowSeconds} s)`;
      // Only the log keeps these: a thousand accepted requests would drown the counterexample.
      const { res } = await callRoute(s, label, sp.route, { creds: sp.creds, keyRole: 'valid' });
      if (sentAt) m.counted[i] = countedWithin(sentAt, targetClockWindow(target));
      if (s.log.length > 3) s.log.splice(0, s.log.length - 3);
      if (count <= budget) {
        expectSuccess(s, sp.route, res, `${label}: inside the budget`);
        if (m.afterWait) s.noteTimeChecked?.();
        continue;
      }
      // Early in its window the 429 is required; later (clock skew may have ended the window)
      // either answer is right, but a 429 there shows the limit as well.
      if ((!m.unsure[i] && now - m.since[i]! < windowSeconds - CLOCK_SLACK) || res.status === 429) {
        expectStatus(res, 429, `${label}: past the budget`);
        if (limit.retryAfter) expectHeader(res, 'Retry-After');
        m.refused[i] = true;
        return true;
      }
      return false;
    }
    return false;
  });
}
