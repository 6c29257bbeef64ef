/**
 * Login, token use and refresh as a model-based test: fast-check draws logins, uses of an access
 * token, refreshes (with a token's current or an already spent refresh token) and, where the
 * target's clock can move, waits past the access token's or the refresh token's lifetime. The
 * model holds what the profile states: an access token works until its lifetime (plus leeway)
 * and is refused as expired after; a refresh token gives a new access token until its own
 * lifetime; a rotating refresh token works once.
 */
import { clockMover, DEFAULT_MAX_WAIT_SECONDS, unwaitedReason } from '../clock-mover.ts';
import fc from 'fast-check';
import type { JwtToken } from '../../model/profile.ts';
import type { ResolvedRoute } from '../../model/resolved-profile.ts';
import { CheckFailure } from '../../check/check-failure.ts';
import { jsonPointer } from '../../model/json-pointer.ts';
import { changesState } from '../../model/state-changing-routes.ts';
import type { EngineContext } from '../engine-context.ts';
import { callRoute, expectDenial, expectSuccess, type ModelSession } from './model-session.ts';
import type { PreparedModel } from './prepared-model.ts';

interface Grant {
  n: number;
  access: string;
  accessUntil: number;
  refresh?: string;
  refreshUntil: number;
  /** Refresh tokens this grant has used up (rotation). */
  spent: string[];
}

interface TokenState {
  grants: Grant[];
}

type Command = fc.AsyncCommand<TokenState, ModelSession>;

/** Seconds either side of a deadline in which the model asserts nothing (clock reads). */
const CLOCK_SLACK = 2;

export function prepareTokenRefresh(ctx: EngineContext): PreparedModel<TokenState> | null {
  const { profile } = ctx;
  const found = Object.entries(profile.tokens ?? {}).find(
    (e): e is [string, JwtToken] => e[1].kind === 'jwt' && !!e[1].issue && !!e[1].refresh,
  );
  if (!found) return null;
  const [tokenId, spec] = found;
  const cred = Object.values(profile.credentials).find((c) => c.tokenSpec?.id === tokenId);
  const loginRoute = cred?.tokenSpec?.issueRoute;
  const refreshRoute = cred?.tokenSpec?.refreshRoute;
  if (!cred || !loginRoute || !refreshRoute) return null;
  const credId = cred.id;
  // Routes the token alone authenticates (an alternative of that credential only).
  const useRoutes = profile.routes.filter(
    (r) =>
      r.alternatives.some((alt) => alt.length === 1 && alt[0] === cred) &&
      !changesState(profile, r) &&
      !r.signing,
  );
  const lifetime = spec.lifetimeSeconds;
  const refreshLifetime = spec.refresh!.lifetimeSeconds;
  const pick = <T>(list: T[], i: number): T => list[i % list.length]!;

  const login = command(
    'login',
    (m) => m.grants.length < 3,
    async (m, s) => {
      const { res } = await callRoute(s, `log in (grant #${m.grants.length + 1})`, loginRoute);
      expectSuccess(s, loginRoute, res, 'logging in');
      const now = s.ctx.target.nowSeconds();
      const grant: Grant = {
        n: m.grants.length + 1,
        access: tokenAt(res.body, spec.issue!.tokenAt ?? '/token', 'the access token'),
        accessUntil: now + lifetime,
        refreshUntil: now + refreshLifetime,
        spent: [],
      };
      if (spec.issue!.refreshTokenAt)
        grant.refresh = tokenAt(res.body, spec.issue!.refreshTokenAt, 'the refresh token');
      for (const t of [grant.access, grant.refresh]) if (t) s.obtained.add(t);
      m.grants.push(grant);
    },
  );

  const commands: fc.Arbitrary<Command>[] = [fc.constant(login)];
  if (useRoutes.length > 0) {
    commands.push(
      fc.tuple(fc.nat(), fc.nat()).map(([g, r]) =>
        command(
          `use-access(${g}, ${r})`,
          (m) => m.grants.length > 0,
          async (m, s) => {
            const grant = pick(m.grants, g);
            const route = pick(useRoutes, r);
            const label = `use grant #${grant.n}'s access token on ${route.id}`;
            const { res } = await callRoute(s, label, route, {
              tokens: { [credId]: grant.access },
            });
            const now = s.ctx.target.nowSeconds();
            if (now < grant.accessUntil - CLOCK_SLACK)
              expectSuccess(s, route, res, `${label}: inside its ${lifetime} s lifetime`);
            else if (now > grant.accessUntil + spec.leewaySeconds + CLOCK_SLACK) {
              s.noteTimeChecked?.();
              expectDenial(
                s,
                route,
                res,
                'token_expired',
                `${label}: past its lifetime and leeway`,
                credId,
              );
            }
          },
        ),
      ),
    );
  }
  const refreshWith = (spentOne: boolean) =>
    fc.nat().map((g) =>
      command(
        spentOne ? `refresh-with-spent(${g})` : `refresh(${g})`,
        (m) => m.grants.some((x) => (spentOne ? x.spent.length > 0 : x.refresh !== undefined)),
        async (m, s) => {
          const grant = pick(
            m.grants.filter((x) => (spentOne ? x.spent.length > 0 : x.refresh !== undefined)),
            g,
          );
          const presented = spentOne ? grant.spent.at(-1)! : grant.refresh!;
          const label = `refresh grant #${grant.n}${spentOne ? ' with its spent refresh token' : ''}`;
          const body = {
            ...(refreshRoute.requestBody as object),
            [spec.refresh!.field ?? 'refreshToken']: presented,
          };
          const { res } = await callRoute(s, label, refreshRoute, { body });
          const now = s.ctx.target.nowSeconds();
          if (spentOne) {
            expectRefused(s, refreshRoute, res, `${label}: a rotated refresh token works once`);
            return;
          }
          if (now > grant.refreshUntil + CLOCK_SLACK) {
            s.noteTimeChecked?.();
            expectRefused(s, refreshRoute, res, `${label}: past its ${refreshLifetime} s lifetime`);
            return;
          }
          if (now >= grant.refreshUntil - CLOCK_SLACK) return;
          expectSuccess(s, refreshRoute, res, `${label}: inside its lifetime`);
          grant.access = tokenAt(res.body, spec.issue!.tokenAt ?? '/token', 'the new access token');
          grant.accessUntil = now + lifetime;
          s.obtained.add(grant.access);
          if (spec.refresh!.rotates) {
            grant.spent.push(presented);
            grant.refresh = tokenAt(
              res.body,
              spec.issue!.refreshTokenAt ?? '/refreshToken',
              'the rotated refresh token',
            );
            s.obtained.add(grant.refresh);
          }
        },
      ),
    );
  commands.push(refreshWith(false));
  if (spec.refresh!.rotates) commands.push(refreshWith(true));

  const accessWait = lifetime + spec.leewaySeconds + CLOCK_SLACK + 1;
  const refreshWait = refreshLifetime + CLOCK_SLACK + 1;
  const maxWait = ctx.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const accessMover = clockMover(ctx.target, accessWait, maxWait, ctx.guest?.clock);
  const refreshMover = clockMover(ctx.target, refreshWait, maxWait, ctx.guest?.clock);
  if (accessMover) {
    commands.push(
      fc.constant(
        command(
          `wait past the access token's ${lifetime} s`,
          (m) => accessMover.available() && m.grants.length > 0,
          () => accessMover.move(accessWait),
        ),
      ),
    );
  }
  if (refreshMover) {
    commands.push(
      fc.constant(
        command(
          `wait past the refresh token's ${refreshLifetime} s`,
          (m) => refreshMover.available() && m.grants.length > 0,
          () => refreshMover.move(refreshWait),
        ),
      ),
    );
  }
  const unchecked = [
    accessMover ? '' : unwaitedReason("the access token's expiry", accessWait, maxWait),
    refreshMover ? '' : unwaitedReason("the refresh token's expiry", refreshWait, maxWait),
  ].filter(Boolean);
  return {
    commands,
    initial: () => ({ grants: [] }),
    preamble: (m, s) => login.run(m, s),
    movers: [accessMover, refreshMover].filter((x) => x !== undefined),
    ...(unchecked.length ? { unchecked: unchecked.join('; ') } : {}),
  };
}

/** The profile's refusal of a refresh token: a 4xx with its invalid-login error. */
function expectRefused(
  s: ModelSession,
  route: ResolvedRoute,
  res: Parameters<typeof expectDenial>[2],
  what: string,
): void {
  expectDenial(s, route, res, 'invalid_login', what);
}

function command(
  name: string,
  check: (m: Readonly<TokenState>) => boolean,
  run: (m: TokenState, s: ModelSession) => Promise<void>,
): Command {
  return { check, run, toString: () => name };
}

function tokenAt(body: unknown, ptr: string, what: string): string {
  const v = jsonPointer(body, ptr);
  if (typeof v !== 'string' || v === '')
    throw new CheckFailure('expectBodySchema', `${what} is not a string at ${ptr}`);
  return v;
}
