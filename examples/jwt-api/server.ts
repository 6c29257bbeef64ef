/**
 * The Larkspur Tasks API (a made-up API, profile.yaml beside this file) on Express 5 +
 * jsonwebtoken: bearer access tokens only, verified against the identity service's JWK Set,
 * which the API also publishes at /.well-known/jwks.json; scopes in the token's scope claim.
 *
 *   npx tsx examples/jwt-api/server.ts        # http://127.0.0.1:4050
 *   PORT=5000 npx tsx examples/jwt-api/server.ts
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  accessToken,
  BearerError,
  requireScope,
  type Caller,
  type TokenRules,
} from './access-token.ts';

export const LARKSPUR_RULES: TokenRules = {
  algorithms: ['ES256'],
  issuer: 'https://id.larkspur.example',
  audience: 'https://api.larkspur.example',
  leewaySeconds: 30,
  scopeClaim: 'scope',
  scopeFormat: 'string',
  jwks: JSON.parse(
    readFileSync(join(import.meta.dirname, 'keys.json'), 'utf8'),
  ) as TokenRules['jwks'],
};

const MESSAGES: Record<string, string> = {
  token_missing: 'Send an access token in Authorization Bearer.',
  invalid_token: 'The access token is not valid.',
  token_expired: 'The access token has expired.',
  insufficient_scope: 'The access token lacks the scope this call needs.',
  not_found: 'No such resource.',
  invalid_request: 'The request body is not valid JSON.',
};

function fail(res: Response, status: number, code: string): void {
  // RFC 6750 §3: an expired token is an invalid_token too; the message says which.
  const error = code === 'token_expired' ? 'invalid_token' : code;
  res.status(status).json({ error, message: MESSAGES[code] });
}

export function createApp(rules: TokenRules = LARKSPUR_RULES): express.Express {
  const app = express();
  const tasks = new Map<string, { id: string; title: string; done: boolean }[]>();
  const auth = accessToken(rules);
  app.use(express.json());
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.json(rules.jwks);
  });
  app.get('/v1/tasks', auth, requireScope('tasks:read'), (_req, res) => {
    const caller = res.locals.caller as Caller;
    res.json({ object: 'list', data: tasks.get(caller.sub) ?? [] });
  });
  app.post('/v1/tasks', auth, requireScope('tasks:write'), (req, res) => {
    const caller = res.locals.caller as Caller;
    const title = (req.body as { title?: unknown } | undefined)?.title;
    if (typeof title !== 'string' || title === '') return fail(res, 400, 'invalid_request');
    const task = { id: `task_${randomBytes(6).toString('hex')}`, title, done: false };
    tasks.set(caller.sub, [...(tasks.get(caller.sub) ?? []), task]);
    res.status(201).json(task);
  });
  app.get('/v1/projects', auth, requireScope('projects:read'), (_req, res) => {
    res.json({ object: 'list', data: [{ id: 'proj_garden', name: 'Garden' }] });
  });
  app.get('/v1/me', auth, (_req, res) => {
    res.json({ sub: (res.locals.caller as Caller).sub });
  });
  app.use((_req, res) => fail(res, 404, 'not_found'));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BearerError) {
      if (err.status === 401) res.set('WWW-Authenticate', 'Bearer realm="larkspur"');
      return fail(res, err.status, err.code);
    }
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return fail(res, 400, 'invalid_request');
    res.status(500).json({ error: 'server_error', message: 'Something went wrong on our side.' });
  });
  return app;
}

/** Starts the API on `host`:`port` (0: any free port). */
export function start(
  port = 0,
  host = '127.0.0.1',
  rules: TokenRules = LARKSPUR_RULES,
): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = createApp(rules).listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${bound}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 4050);
  void start(port).then((s) => console.log(`Larkspur Tasks API on ${s.url}`));
}
