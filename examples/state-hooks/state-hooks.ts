/**
 * Reference provider-state hooks (docs/state-protocol.md) for a test deployment: mount them under
 * a path of your choosing, give them a bearer token and three callbacks from your app, and run
 *
 *   AUTHCONFORM_STATE_TOKEN=... npx authconform run ... --state-url https://staging.example.com/__state
 *
 *   POST {base}/reset                       -> your reset(); 200 {"reset": true}
 *   GET  {base}/clock                       -> 200 {"now": ISO, "offsetSeconds": n}
 *   POST {base}/clock {"advanceSeconds": n} -> your advance(n); 200 {"now", "offsetSeconds"}
 *   POST {base}/ensure {"role": "keys.revoked"}
 *                                           -> your ensure(role); 200 {"role", "credentials"}, or 404
 *
 * Every call needs `Authorization: Bearer <token>` (401 otherwise, compared in constant time), and
 * a POST needs `Content-Type: application/json`, which a web page can only send after a CORS
 * preflight these routes never grant. Never mount them in production: they reset your data.
 * The same core serves Express, Fastify and Hono through three thin adapters below. Imports
 * nothing from authconform.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { FastifyPluginAsync } from 'fastify';
import { Hono } from 'hono';

export interface StateCallbacks {
  /** The bearer token the harness is given (AUTHCONFORM_STATE_TOKEN); at least 16 characters. */
  token: string;
  /** Back to the seeded state: data, nonces, rate windows, and the clock to now. */
  reset(): void | Promise<void>;
  /** Moves the app's clock forward by `seconds`. */
  advance(seconds: number): void | Promise<void>;
  /** The app's clock offset in seconds (what `advance` added since the last reset). */
  offsetSeconds(): number;
  /** The app's clock, ms since the epoch. */
  now(): number;
  /**
   * The credentials of a role ("keys.revoked", "hmac", "resources.otherOrganization"), in the
   * credentials-file format; undefined when the app cannot make one (answered 404).
   */
  ensure?(role: string): unknown | Promise<unknown>;
}

/** One call, as every framework has it: method, path below the mount point, two headers, body. */
export interface StateCall {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The body as text ('' when none). */
  body: string;
}

export interface StateAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The longest move one call may ask for: ten years, far past any token lifetime or window. */
const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;

/** The protocol, framework-free. */
export async function answerStateCall(call: StateCall, cb: StateCallbacks): Promise<StateAnswer> {
  const json = (status: number, body: unknown, extra: Record<string, string> = {}) => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
    body,
  });
  if (!tokenMatches(call.authorization, cb.token))
    return json(
      401,
      { error: 'the state hooks need Authorization: Bearer <the state token>' },
      { 'www-authenticate': 'Bearer realm="state-hooks"' },
    );
  const method = call.method.toUpperCase();
  if (
    method === 'POST' &&
    call.contentType?.split(';')[0]!.trim().toLowerCase() !== 'application/json'
  )
    return json(415, {
      error: 'a POST to the state hooks must have Content-Type: application/json',
    });
  let body: Record<string, unknown> = {};
  if (method === 'POST' && call.body.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(call.body);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        return json(400, { error: 'the body must be a JSON object' });
      body = parsed as Record<string, unknown>;
    } catch {
      return json(400, { error: 'the body must be JSON' });
    }
  }
  const clock = () => ({
    now: new Date(cb.now()).toISOString(),
    offsetSeconds: cb.offsetSeconds(),
  });
  switch (`${method} ${call.path.replace(/\/+$/, '') || '/'}`) {
    case 'POST /reset':
      await cb.reset();
      return json(200, { reset: true });
    case 'GET /clock':
      return json(200, clock());
    case 'POST /clock': {
      const n = body.advanceSeconds;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MAX_ADVANCE_SECONDS)
        return json(400, {
          error: `advanceSeconds must be a number from 0 to ${MAX_ADVANCE_SECONDS} (the clock only moves forward)`,
        });
      await cb.advance(n);
      return json(200, clock());
    }
    case 'POST /ensure': {
      const role = body.role;
      if (typeof role !== 'string' || role === '')
        return json(400, { error: 'role must be a credentials role, e.g. "keys.revoked"' });
      const credentials = cb.ensure ? await cb.ensure(role) : undefined;
      if (credentials === undefined)
        return json(404, { error: `this deployment cannot provide the role ${role}` });
      return json(200, { role, credentials });
    }
    default:
      return json(404, {
        error: 'no such state hook; known: POST reset, GET|POST clock, POST ensure',
      });
  }
}

/** Constant-time comparison of the bearer token (hashes first, so lengths do not leak). */
function tokenMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer (\S+)$/i.exec(authorization ?? '');
  if (!m || token.length < 16) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

async function readText(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Express: `app.use('/__state', expressStateHooks(callbacks))`, before or after express.json(). */
export function expressStateHooks(cb: StateCallbacks) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body =
      req.body !== undefined && typeof req.body === 'object'
        ? Promise.resolve(JSON.stringify(req.body))
        : readText(req);
    body
      .then((text) =>
        answerStateCall(
          {
            method: req.method,
            path: req.path,
            authorization: req.headers.authorization,
            contentType: req.headers['content-type'],
            body: text,
          },
          cb,
        ),
      )
      .then((a) => {
        res.status(a.status).set(a.headers).send(JSON.stringify(a.body));
      })
      .catch(next);
  };
}

/**
 * Fastify: `app.register(fastifyStateHooks(callbacks), { prefix: '/__state' })`. Bodies arrive
 * parsed by the app's JSON parser; an app that parses JSON its own way still gets an object.
 */
export function fastifyStateHooks(cb: StateCallbacks): FastifyPluginAsync {
  return async (app) => {
    app.all('/*', async (req, reply) => {
      const prefix = req.routeOptions.url?.replace(/\/\*$/, '') ?? '';
      const a = await answerStateCall(
        {
          method: req.method,
          path: req.url.split('?')[0]!.slice(prefix.length),
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          body:
            req.body === undefined
              ? ''
              : typeof req.body === 'string'
                ? req.body
                : JSON.stringify(req.body),
        },
        cb,
      );
      return reply.code(a.status).headers(a.headers).send(JSON.stringify(a.body));
    });
  };
}

/** Hono: `app.route('/__state', honoStateHooks(callbacks))`. */
export function honoStateHooks(cb: StateCallbacks): Hono {
  const hooks = new Hono();
  hooks.all('/*', async (c) => {
    const full = new URL(c.req.url).pathname;
    const mount = c.req.routePath.replace(/\/\*$/, '');
    const a = await answerStateCall(
      {
        method: c.req.method,
        path: full.slice(mount.length),
        authorization: c.req.header('authorization'),
        contentType: c.req.header('content-type'),
        body: c.req.method === 'GET' ? '' : await c.req.text(),
      },
      cb,
    );
    return c.body(JSON.stringify(a.body), a.status as 200, a.headers);
  });
  return hooks;
}

/**
 * A clock the app reads instead of Date.now(): moved forward by `advance`, back to real time by
 * `reset`. Use it everywhere the app compares times (token expiry, timestamp windows, nonce and
 * rate windows) and for the Date header, which the harness reads the clock from.
 */
export function movableClock() {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advance: (seconds: number) => void (offsetMs += seconds * 1000),
    reset: () => void (offsetMs = 0),
    offsetSeconds: () => offsetMs / 1000,
  };
}

export type MovableClock = ReturnType<typeof movableClock>;
